"""Mapbox Vector Tiles of the map layers straight from PostGIS, and their TileJSON documents.

A tile is one `ST_AsMVT` query (geo.publish.tile_sql) over the indexed EPSG:3857 columns of
migration 0011. Point layers are clustered in SQL: below POINTS_ZOOM the points of a tile are
grouped in cells of CLUSTER_PX pixels aligned on the tile (a cluster feature carries its
`count`, a lone point its record's public fields, each point counted in one tile only); from
POINTS_ZOOM on only points a couple of pixels apart are merged, and points near a tile's edge
are in both tiles so their symbols are never cut. Establishment clusters below POINTS_ZOOM are
sums of the level-16 cells that migration 0016 keeps up to date in every writing transaction
(a tile at zoom 8 would otherwise read most of the province's points).
Tiles carry public fields only; the field lists are checked against the record spec when this
module is imported, so a personal field (owner name, phone, address) can never be added.

Tiles are keyed on the data version of the tables their layer reads (geo.core.payload_cache):
the tag is the tile's ETag, and built tiles are kept per process under it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from geo.analytics.filters import FILTER_SQL, ProjectFilter
from geo.core.db import Connection
from geo.core.errors import KcmapError
from geo.core.payload_cache import data_version
from geo.core.vocab import Edition, Level, TileLayer, check_edition_level
from geo.publish import tile_sql
from geo.records.spec import PERSONAL_FIELDS

MAX_ZOOM = 22  # tiles are served for z 0..MAX_ZOOM
TILEJSON_MAX_ZOOM = 16  # clients over-zoom beyond this
POINTS_ZOOM = 15  # from this zoom on, points are drawn one by one
CELL_LEVEL = 16  # establishment_cell's level (migration 0016): clusters of zoom 14 are its cells
CLUSTER_PX = 64  # cluster cell below POINTS_ZOOM, in pixels of a 256-pixel tile
SAME_PLACE_PX = 2  # from POINTS_ZOOM on, points closer than this are one cluster
BUFFER_PX = 8  # points this close to a tile's edge are drawn by its neighbour too
WORLD = 2 * -tile_sql.WORLD_ORIGIN  # width of the EPSG:3857 square, metres
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"

# The attributes each layer's features may carry (TileJSON vector_layers fields).
FIELDS: dict[TileLayer, dict[str, str]] = {
    TileLayer.establishments: {
        "id": "Number", "name": "String", "trade": "String", "workers": "Number",
        "precision": "String", "status": "String", "district": "String", "count": "Number"},
    TileLayer.villages: {
        "id": "Number", "name": "String", "trade": "String", "workers": "Number",
        "households": "Number", "recognised_year": "Number", "precision": "String",
        "district": "String", "count": "Number"},
    TileLayer.projects: {
        "id": "Number", "title": "String", "year": "Number", "funding_source": "String",
        "activity_type": "String", "kc_vnd": "Number", "status": "String",
        "precision": "String", "district": "String", "count": "Number"},
    TileLayer.communes: {"code": "String", "name": "String", "parent": "String",
                         "quality": "String"},
    TileLayer.districts: {"code": "String", "name": "String", "parent": "String",
                          "quality": "String"},
}
_leaks = {f for fields in FIELDS.values() for f in fields} & set(PERSONAL_FIELDS)
if _leaks:  # pragma: no cover - a guard against a future edit
    raise RuntimeError(f"personal fields in vector tiles: {sorted(_leaks)}")

TABLES: dict[TileLayer, tuple[str, ...]] = {
    TileLayer.establishments: ("establishment", "location", "admin_unit"),
    TileLayer.villages: ("craft_village", "location", "admin_unit"),
    TileLayer.projects: ("project", "location", "admin_unit", "activity_type"),
    TileLayer.communes: ("admin_unit", "boundary"),
    TileLayer.districts: ("admin_unit", "boundary"),
}
POINT_LAYERS = (TileLayer.establishments, TileLayer.villages, TileLayer.projects)


class TileOutOfRange(KcmapError):
    """z, x or y outside the tile pyramid (answered 400)."""


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse a tile outside z 0..MAX_ZOOM, x and y 0..2^z - 1."""
    if not 0 <= z <= MAX_ZOOM:
        raise TileOutOfRange(f"mức thu phóng z phải từ 0 đến {MAX_ZOOM}, không phải {z}")
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise TileOutOfRange(f"ô x, y ở mức {z} phải từ 0 đến {n - 1}, không phải {x}, {y}")


@dataclass(frozen=True)
class TileQuery:
    """What a tile shows: its layer and the map filters (each layer uses those it has)."""

    layer: TileLayer
    edition: Edition = Edition.legacy
    district: str | None = None
    trade: str | None = None
    projects: ProjectFilter | None = None

    def __post_init__(self) -> None:
        if self.layer == TileLayer.districts:
            check_edition_level(self.edition, Level.district)

    def key(self) -> tuple[object, ...]:
        """The parameters a tile of this query depends on."""
        flt = self.projects if self.layer == TileLayer.projects else None
        edition = self.edition if self.layer in (TileLayer.communes, TileLayer.districts) \
            else None
        trade = self.trade if self.layer == TileLayer.establishments else None
        return (self.layer.value, edition, self.district, trade,
                flt.to_dict() if flt is not None else None)


def _sql_and_params(q: TileQuery, z: int, x: int, y: int) -> tuple[str, dict[str, Any]]:
    tile_m = WORLD / (1 << z)
    params: dict[str, Any] = {
        "z": z, "x": x, "y": y, "layer": q.layer.value, "district": q.district,
        "margin": BUFFER_PX / 256, "buffer": tile_sql.EXTENT * BUFFER_PX // 256}
    if q.layer in POINT_LAYERS:
        px = CLUSTER_PX if z < POINTS_ZOOM else SAME_PLACE_PX
        params["cell"] = tile_m * px / 256
        params["trade"] = q.trade
        if z < POINTS_ZOOM:  # a tile's clusters count its own points only, none twice
            params["margin"] = 0.0
    if q.layer == TileLayer.establishments:
        return tile_sql.ESTABLISHMENTS, params
    if q.layer == TileLayer.villages:
        return tile_sql.VILLAGES, params
    if q.layer == TileLayer.projects:
        flt = q.projects or ProjectFilter()
        return tile_sql.projects(FILTER_SQL), {**params, **flt.params()}
    params["edition"] = q.edition.value
    params["level"] = "district" if q.layer == TileLayer.districts else "commune"
    return tile_sql.UNITS, params


def layer_version(conn: Connection, q: TileQuery) -> str:
    """A short tag of the query and of the data version of the tables its layer reads: it
    changes with every write to them (pages put it into their tile URLs as `v=`)."""
    version = data_version(conn, TABLES[q.layer])
    return hashlib.sha256(repr((q.key(), version)).encode()).hexdigest()[:16]


def tile_tag(conn: Connection, q: TileQuery, z: int, x: int, y: int,
             version: str | None = None) -> str:
    """The tag (ETag) of a tile: its position and its layer_version (VERSION if known)."""
    check_tile(z, x, y)
    version = version or layer_version(conn, q)
    return hashlib.sha256(repr((version, z, x, y)).encode()).hexdigest()[:32]


_MAX_TILES = 8192
_MAX_BYTES = 64 * 1024 * 1024
_tiles: OrderedDict[str, bytes] = OrderedDict()
_size = 0
_lock = threading.Lock()


def _remember(tag: str, body: bytes) -> None:
    global _size
    with _lock:
        if tag in _tiles:
            return
        _tiles[tag] = body
        _size += len(body)
        while _tiles and (len(_tiles) > _MAX_TILES or _size > _MAX_BYTES):
            _, old = _tiles.popitem(last=False)
            _size -= len(old)


def _kept_cells(z: int, x: int, y: int) -> dict[str, Any]:
    """Parameters of tile_sql.ESTABLISHMENT_CELLS for tile z/x/y (z < POINTS_ZOOM): its range
    of level-CELL_LEVEL columns and rows, and the shift to its clusters (CLUSTER_PX pixels)."""
    span = CELL_LEVEL - z
    level = z + (256 // CLUSTER_PX).bit_length() - 1
    return {"gx0": x << span, "gx1": (x + 1) << span, "gy0": y << span,
            "gy1": (y + 1) << span, "shift": CELL_LEVEL - level, "size": WORLD / (1 << level)}


def build_tile(conn: Connection, q: TileQuery, z: int, x: int, y: int) -> bytes:
    """The tile's MVT bytes (b'' when it has no feature), queried now. Establishment
    clusters below POINTS_ZOOM are sums of the cells kept by migration 0016."""
    check_tile(z, x, y)
    sql, params = _sql_and_params(q, z, x, y)
    if q.layer == TileLayer.establishments and z < POINTS_ZOOM:
        sql, params = tile_sql.ESTABLISHMENT_CELLS, {**params, **_kept_cells(z, x, y)}
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('jit', 'off', true)")  # compiling costs more than it saves
        cur.execute(sql, params)
        row = cur.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def tile(conn: Connection, q: TileQuery, z: int, x: int, y: int,
         version: str | None = None) -> bytes:
    """The tile's MVT bytes (b'' when empty), kept per process under its tag (tile_tag) for
    the layer VERSION (layer_version, read now when not given)."""
    version = version or layer_version(conn, q)
    tag = tile_tag(conn, q, z, x, y, version)
    with _lock:
        hit = _tiles.get(tag)
        if hit is not None:
            _tiles.move_to_end(tag)
            return hit
    body = build_tile(conn, q, z, x, y)
    _remember(tag, body)
    return body


def clear() -> None:
    """Forget every kept tile (as after a restart; benchmarks measure cold tiles with it)."""
    global _size
    with _lock:
        _tiles.clear()
        _size = 0


_NAMES = {TileLayer.establishments: "Cơ sở công nghiệp nông thôn",
          TileLayer.projects: "Đề án khuyến công", TileLayer.villages: "Làng nghề",
          TileLayer.communes: "Ranh giới xã", TileLayer.districts: "Ranh giới huyện"}


def layer_bounds(conn: Connection, edition: Edition = Edition.legacy) -> list[float]:
    """[west, south, east, north] of the province's polygons (WGS 84), or of its gazetteer
    box when no polygon is loaded."""
    with conn.cursor() as cur:
        cur.execute(tile_sql.BOUNDS, {"edition": edition.value})
        row = cur.fetchone()
        if row is None or row[0] is None:
            cur.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                        "(SELECT ST_Extent(bbox)::geometry AS e FROM admin_unit "
                        "WHERE edition = %s) b", (edition.value,))
            row = cur.fetchone()
    if row is None or row[0] is None:
        return [-180.0, -85.0511, 180.0, 85.0511]
    return [round(float(v), 5) for v in row]


def tilejson(conn: Connection, q: TileQuery, tile_url: str) -> dict[str, Any]:
    """The TileJSON 3.0.0 document of a layer: TILE_URL is its {z}/{x}/{y} template."""
    bounds = layer_bounds(conn, q.edition if q.layer == TileLayer.communes else Edition.legacy)
    centre = [round((bounds[0] + bounds[2]) / 2, 5), round((bounds[1] + bounds[3]) / 2, 5), 9]
    name = _NAMES[q.layer]
    return {
        "tilejson": "3.0.0", "name": name, "scheme": "xyz", "tiles": [tile_url],
        "minzoom": 0, "maxzoom": TILEJSON_MAX_ZOOM, "bounds": bounds, "center": centre,
        "attribution": "kcmap – Sở Công Thương Quảng Ngãi",
        "description": f"{name} (vector tiles, EPSG:3857)",
        "vector_layers": [{"id": q.layer.value, "description": name,
                           "minzoom": 0, "maxzoom": TILEJSON_MAX_ZOOM,
                           "fields": FIELDS[q.layer]}],
    }
