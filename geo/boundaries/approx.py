"""Approximate unit polygons: Voronoi cells of gazetteer centroids, clipped to plausible extents."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from geo.boundaries.qa import ApproxReport
from geo.boundaries.store import (
    area_totals,
    check_area_srid,
    official_polygons,
    polygonal,
    write_boundary,
)
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.vocab import Edition

SOURCE = "approximate: voronoi of gazetteer centroids"
M_PER_DEG = 111_320.0  # metres per degree of latitude (and of scaled longitude)
MARGIN_M = 200.0  # room kept around a centroid lying on or outside its bounding box
SPLIT_M = 1.0  # how far apart duplicate centroids are pushed to split their cell


@dataclass
class _Unit:
    code: str
    name: str
    parent: str | None
    point: Point  # in the local plane
    bbox: BaseGeometry | None  # in the local plane
    site: Point | None = None  # Voronoi site: the point, unless another unit shares it


class _Plane:
    """Local equirectangular plane x = lon·cos(lat0), y = lat: affine, so edges stay straight."""

    def __init__(self, lat0: float) -> None:
        self.scale = np.array([math.cos(math.radians(lat0)), 1.0])

    def fwd(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda c: c * self.scale)

    def back(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda c: c / self.scale)


def _units(conn: Connection, edition: str, level: str) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT code, name, parent_code, ST_X(centroid), ST_Y(centroid), ST_XMin(bbox),"
            " ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox) FROM admin_unit"
            " WHERE edition = %s AND level = %s ORDER BY code",
            (edition, level),
        )
        return list(cur.fetchall())


def _to_units(rows: list[tuple[Any, ...]], plane: _Plane) -> list[_Unit]:
    units = []
    for code, name, parent, x, y, *bb in rows:
        if x is None:
            continue
        bbox = plane.fwd(box(*bb)) if bb[0] is not None else None
        units.append(_Unit(code, name, parent, plane.fwd(Point(x, y)), bbox))
    return units


def _sites(units: list[_Unit], report: ApproxReport) -> list[Point]:
    """Voronoi sites; units sharing a centroid are pushed apart so they split one cell."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        groups[(u.point.x, u.point.y)].append(i)
    sites = [u.point for u in units]
    for (x, y), members in groups.items():
        if len(members) < 2:
            continue
        names = ", ".join(f"{units[i].code} {units[i].name}" for i in members)
        report.notes.append(f"lỗi danh mục: {names} dùng chung một tâm điểm; ô Voronoi được chia "
                            "cho các đơn vị này và tâm điểm nằm trên cạnh chung")
        d = SPLIT_M / M_PER_DEG
        for k, i in enumerate(members):
            angle = math.pi + 2 * math.pi * k / len(members)
            sites[i] = Point(x + d * math.cos(angle), y + d * math.sin(angle))
    for u, site in zip(units, sites, strict=True):
        u.site = site
    return sites


def _cells(sites: list[Point], extent: BaseGeometry) -> list[BaseGeometry]:
    """The Voronoi cell of each site, in the order of the sites."""
    regions = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(sites), extend_to=extent))
    tree = shapely.STRtree(regions)
    cells = []
    for site in sites:
        hits = [regions[j] for j in tree.query(site, predicate="intersects")]
        cells.append(next((r for r in hits if r.contains(site)), hits[0]))
    return cells


def _radii(sites: list[Point]) -> list[float]:
    """Fallback clip radius per site: 0.75 × nearest other site, kept within 1–10 km."""
    if len(sites) < 2:
        return [3000 / M_PER_DEG] * len(sites)
    tree = shapely.STRtree(sites)
    idx, dist = tree.query_nearest(sites, exclusive=True, return_distance=True)
    nearest = np.full(len(sites), np.inf)
    np.minimum.at(nearest, idx[0], dist)
    return [min(max(0.75 * d * M_PER_DEG, 1000.0), 10_000.0) / M_PER_DEG for d in nearest]


def _clip_area(unit: _Unit, radius: float) -> tuple[BaseGeometry, str]:
    if unit.bbox is None:
        return (unit.point.buffer(radius, quad_segs=16),
                f"a circle of {radius * M_PER_DEG / 1000:.1f} km (no gazetteer bounding box)")
    if unit.bbox.contains(unit.point):
        return unit.bbox, "its gazetteer bounding box"
    grown = box(*shapely.union(unit.bbox, unit.point.buffer(MARGIN_M / M_PER_DEG)).bounds)
    return grown, "its gazetteer bounding box (expanded to hold the centroid)"


def _keep(cut: BaseGeometry | None, unit: _Unit) -> BaseGeometry | None:
    """The cut geometry if it still holds the unit's site, else None."""
    return cut if cut is not None and cut.contains(unit.site or unit.point) else None


def _commune_polygon(unit: _Unit, cell: BaseGeometry, radius: float,
                     districts: dict[str, BaseGeometry], communes: dict[str, BaseGeometry],
                     report: ApproxReport) -> tuple[BaseGeometry, str]:
    clip, how = _clip_area(unit, radius)
    geom = polygonal(shapely.intersection(cell, clip)) or cell
    steps = [f"Voronoi cell of the gazetteer centroid clipped to {how}"]
    district = districts.get(unit.parent or "")
    if district is not None and district.contains(unit.site or unit.point):
        cut = _keep(polygonal(shapely.intersection(geom, district)), unit)
        if cut is not None:
            geom = cut
            steps.append("to the official district polygon")
            report.clipped_to_district.append(unit.code)
    if unit.code not in report.clipped_to_district:
        report.not_clipped.append(unit.code)
        if district is not None:
            report.notes.append(f"{unit.code} {unit.name}: tâm điểm nằm ngoài vùng chính thức "
                                f"của huyện {unit.parent}; không cắt theo huyện")
            others = [g for c, g in districts.items() if c != unit.parent]
            cut = _keep(polygonal(shapely.difference(geom, shapely.union_all(others))),
                        unit)
            if others and cut is not None:
                geom = cut
                steps.append("minus other districts' official polygons")
            elif others:
                holder = [c for c, g in districts.items() if g.contains(unit.site or unit.point)]
                report.notes.append(f"{unit.code} {unit.name}: tâm điểm nằm trong vùng chính thức "
                                    f"của huyện {', '.join(holder)}; vùng gần đúng "
                                    "chồng lên vùng đó")
    if communes:
        cut = _keep(polygonal(shapely.difference(
            geom, shapely.union_all(list(communes.values())))), unit)
        if cut is not None:
            geom = cut
            steps.append("minus official commune polygons")
        else:
            report.notes.append(f"{unit.code} {unit.name}: tâm điểm nằm trong vùng chính thức của "
                                "một xã; vùng gần đúng chồng lên vùng đó")
    return geom, ", ".join(steps)


def _partition(polygons: list[BaseGeometry]) -> list[BaseGeometry]:
    """Node all outlines together and rebuild each polygon from the faces it owns, so that
    neighbours share edges exactly instead of overlapping by floating-point slivers."""
    lines = shapely.union_all([shapely.boundary(p) for p in polygons])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines).tolist()))
    tree = shapely.STRtree(polygons)
    owned: list[list[BaseGeometry]] = [[] for _ in polygons]
    for face in faces:
        shares = {int(i): shapely.intersection(polygons[i], face).area
                  for i in tree.query(face, predicate="intersects")}
        best = max(shares, key=lambda i: shares[i], default=None)
        if best is not None and shares[best] > 0.5 * face.area:
            owned[best].append(face)
    return [polygonal(shapely.union_all(f)) or p if f else p
            for f, p in zip(owned, polygons, strict=True)]


def _summarise(methods: list[str], report: ApproxReport) -> None:
    circles = sum("circle" in m for m in methods)
    grown = sum("expanded" in m for m in methods)
    if circles:
        report.notes.append(f"{circles} xã không có khung bao trong danh mục: cắt theo hình tròn "
                            "bán kính 0,75 × khoảng cách tới tâm điểm gần nhất "
                            "(1–10 km)")
    if grown:
        report.notes.append(f"{grown} xã: khung bao được nới ra để chứa tâm điểm")


_DISTRICT_UNION = """
WITH u AS (
  SELECT d.code,
         ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(b.geom)), 3)) AS geom
  FROM admin_unit d
  JOIN admin_unit c ON c.edition = d.edition AND c.parent_code = d.code
  JOIN boundary b ON b.edition = c.edition AND b.code = c.code
  WHERE d.edition = %s AND d.level = 'district'
  GROUP BY d.code
)
INSERT INTO boundary (edition, code, geom, source, quality, area_km2, method)
SELECT %s, u.code, u.geom, %s, 'approximate', ST_Area(ST_Transform(u.geom, 3406)) / 1e6,
       'union of the polygons of its communes'
FROM u WHERE NOT ST_IsEmpty(u.geom)
ON CONFLICT (edition, code) DO NOTHING
RETURNING code
"""


def _districts(conn: Connection, plane: _Plane, official: dict[str, BaseGeometry],
               report: ApproxReport) -> None:
    """Approximate districts: union of their communes; bounding box when they have none."""
    report.districts_official = sorted(official)
    with conn.cursor() as cur:
        cur.execute(_DISTRICT_UNION, ("legacy", "legacy", SOURCE))
        report.districts_written = [r[0] for r in cur.fetchall()]
    for unit in _to_units(_units(conn, "legacy", "district"), plane):
        if unit.code in official or unit.code in report.districts_written:
            continue
        clip, how = _clip_area(unit, 3000 / M_PER_DEG)
        write_boundary(conn, "legacy", unit.code, plane.back(clip), source=SOURCE,
                       quality="approximate", method=f"no communes: {how}",
                       replace_official=False)
        report.districts_written.append(unit.code)
        report.notes.append(f"{unit.code} {unit.name} không có xã nào: vùng là {how}")
    report.districts_written.sort()


def build_approximate(conn: Connection, edition: Edition = Edition.legacy) -> ApproxReport:
    """Replace approximate polygons of an edition from gazetteer centroids; keep official ones."""
    check_area_srid(conn)
    rows = _units(conn, edition, "commune")
    lats = [r[4] for r in rows if r[4] is not None]
    if not lats:
        raise InvalidInput(f"Chưa có xã nào (bản {edition}) có tâm điểm: "
                           "hãy chạy `kcmap gazetteer load`")
    plane = _Plane(sum(lats) / len(lats))
    report = ApproxReport(edition)
    units = _to_units(rows, plane)
    report.notes += [f"{r[0]} {r[1]}: không có tâm điểm trong danh mục, không có vùng" for r in rows
                     if r[3] is None]
    with conn.cursor() as cur:
        cur.execute("DELETE FROM boundary WHERE edition = %s AND quality = 'approximate'",
                    (edition,))
    districts = {c: plane.fwd(g) for c, g in official_polygons(conn, edition, "district").items()}
    communes = {c: plane.fwd(g) for c, g in official_polygons(conn, edition, "commune").items()}
    sites = _sites(units, report)
    extent = shapely.union_all([u.bbox or u.point for u in units]).envelope.buffer(0.2)
    built: list[tuple[_Unit, BaseGeometry, str]] = []
    for unit, cell, radius in zip(units, _cells(sites, extent), _radii(sites), strict=True):
        if unit.code in communes:
            report.communes_official.append(unit.code)
            continue
        others = {c: g for c, g in communes.items() if c != unit.code}
        built.append((unit, *_commune_polygon(unit, cell, radius, districts, others, report)))
    for (unit, _, method), geom in zip(built, _partition([g for _, g, _ in built]), strict=True):
        write_boundary(conn, edition, unit.code, plane.back(geom), source=SOURCE,
                       quality="approximate", method=method, replace_official=False)
        report.communes_written.append(unit.code)
    _summarise([m for _, _, m in built], report)
    if edition == "legacy":
        if not districts:
            report.notes.append("chưa có vùng chính thức của huyện: xã không được cắt theo huyện "
                                "(nhập tệp ranh giới huyện rồi chạy lại lệnh này)")
        _districts(conn, plane, districts, report)
    report.totals = area_totals(conn, edition)
    return report
