"""Establishment clusters of low-zoom tiles from one grid per data version.

A tile at zoom 8 covers most of the province: clustering its points in SQL reads every
establishment, for every such tile. Instead, the drawable establishments (first location,
filters applied) are summed once per data version and filter into cells of the finest
clustering zoom (count, sum of x and y, and the record of a lone point), kept per process;
a tile's clusters at any coarser zoom are sums of those cells (cells nest: a cell at zoom z is
4 × 4 cells at zoom z + 2), so counts and positions (the mean of the points) are the same as
clustering the points themselves. Lone points get their fields from the database by key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from geo.core.bulk_query import bulk_cursor
from geo.core.db import Connection
from geo.publish import tile_sql

WORLD = 2 * -tile_sql.WORLD_ORIGIN
MAX_GRIDS = 16

Cell = tuple[int, int, int, float, float, int, int]  # gx, gy, n, sum x, sum y, id, location


@dataclass
class Grid:
    """Cells of FINE level (2^FINE cells across the world), indexed by their tile at zoom
    INDEX_Z (x, y counted from the south)."""

    fine: int
    index_z: int
    tiles: dict[tuple[int, int], list[Cell]] = field(default_factory=dict)


_grids: OrderedDict[str, Grid] = OrderedDict()
_lock = threading.Lock()
_build_lock = threading.Lock()


def build_grid(conn: Connection, fine: int, index_z: int, district: str | None,
               trade: str | None) -> Grid:
    """Sum the drawable establishments of the filter into cells of level FINE."""
    grid = Grid(fine, index_z)
    shift = fine - index_z
    with bulk_cursor(conn) as cur:
        cur.execute(tile_sql.ESTABLISHMENT_GRID,
                    {"cell": WORLD / (1 << fine), "district": district, "trade": trade})
        for gx, gy, n, sx, sy, rid, lid in cur.fetchall():
            cell = (int(gx), int(gy), int(n), float(sx), float(sy), int(rid), int(lid))
            grid.tiles.setdefault((cell[0] >> shift, cell[1] >> shift), []).append(cell)
    return grid


def grid_for(conn: Connection, key: str, fine: int, index_z: int, district: str | None,
             trade: str | None) -> Grid:
    """The grid of KEY (the layer version: filter and data version), built once."""
    with _lock:
        hit = _grids.get(key)
        if hit is not None:
            _grids.move_to_end(key)
            return hit
    with _build_lock:
        with _lock:
            hit = _grids.get(key)
        if hit is None:
            hit = build_grid(conn, fine, index_z, district, trade)
            with _lock:
                _grids[key] = hit
                while len(_grids) > MAX_GRIDS:
                    _grids.popitem(last=False)
    return hit


def clear() -> None:
    """Forget every grid."""
    with _lock:
        _grids.clear()


def tile_cells(grid: Grid, z: int, x: int, y: int, per_tile: int) -> dict[str, list[Any]]:
    """The clusters of tile z/x/y (PER_TILE × PER_TILE cells per tile) as the arrays of
    tile_sql.ESTABLISHMENT_CELLS: mean x, y, count, and record and location of lone points."""
    span = grid.index_z - z
    south_y = (1 << z) - 1 - y
    x0, x1 = x << span, (x + 1) << span
    y0, y1 = south_y << span, (south_y + 1) << span
    if (x1 - x0) * (y1 - y0) <= len(grid.tiles):
        lists = [grid.tiles.get((ix, iy), []) for ix in range(x0, x1) for iy in range(y0, y1)]
    else:
        lists = [cells for (ix, iy), cells in grid.tiles.items()
                 if x0 <= ix < x1 and y0 <= iy < y1]
    level = z + per_tile.bit_length() - 1
    shift = grid.fine - level
    sums: dict[tuple[int, int], list[Any]] = {}
    for cells in lists:
        for gx, gy, n, sx, sy, rid, lid in cells:
            key = (gx >> shift, gy >> shift)
            acc = sums.get(key)
            if acc is None:
                sums[key] = [n, sx, sy, rid, lid]
            else:
                acc[0] += n
                acc[1] += sx
                acc[2] += sy
    out: dict[str, list[Any]] = {"cx": [], "cy": [], "n": [], "rid": [], "lid": []}
    for n, sx, sy, rid, lid in sums.values():
        out["cx"].append(sx / n)
        out["cy"].append(sy / n)
        out["n"].append(n)
        out["rid"].append(rid if n == 1 else None)
        out["lid"].append(lid if n == 1 else None)
    return out
