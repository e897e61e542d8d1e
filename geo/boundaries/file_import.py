"""Import official unit polygons from GeoJSON, Shapefile or GeoPackage into `boundary`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from geo.boundaries.extent import outside_province
from geo.boundaries.match import (
    Match,
    UnitIndex,
    load_index,
    match_code,
    match_name,
    norm_code,
    pick_code_field,
    pick_name_field,
)
from geo.boundaries.qa import (
    FeatureNote,
    ImportReport,
    centroids_outside,
    missing_polygons,
    name_defects,
)
from geo.boundaries.store import check_area_srid, polygonal, write_boundary
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.textnorm import name_key
from geo.core.vocab import Edition, Level, check_edition_level


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def read_boundary_file(path: Path, crs: str | None = None,
                       layer: str | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """Read a polygon file and reproject it to EPSG:4326; return it and a CRS description."""
    if not path.exists():
        raise InvalidInput(f"{path}: không tìm thấy tệp")
    try:
        frame = gpd.read_file(path, engine="pyogrio", layer=layer)
    except Exception as exc:  # pyogrio raises several unrelated classes
        raise InvalidInput(f"{path.name}: không đọc được dạng GeoJSON/Shapefile/GeoPackage: "
                           f"{exc}") from exc
    if crs:
        try:
            given = CRS.from_user_input(crs)
        except CRSError as exc:
            raise InvalidInput(f"--crs {crs!r} không phải hệ tọa độ đã biết") from exc
        note = _crs_label(given) + " (theo --crs"
        if frame.crs is not None and frame.crs != given:
            note += f", thay cho {_crs_label(frame.crs)} của tệp"
        frame = frame.set_crs(given, allow_override=True)
        note += ")"
    elif frame.crs is None:
        raise InvalidInput(
            f"{path.name}: tệp không có hệ tọa độ (không có .prj hay thông tin CRS); "
            "hãy cho bằng --crs, ví dụ --crs EPSG:5898 cho VN-2000 / TM-3 108°"
        )
    else:
        note = _crs_label(frame.crs)
    if len(frame) == 0:
        raise InvalidInput(f"{path.name}: tệp không có đối tượng nào")
    frame = frame.to_crs(4326)
    bounds = frame.total_bounds
    if not all(math.isfinite(b) for b in bounds) or not (
        -180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90
    ):
        raise InvalidInput(f"{path.name}: tọa độ nằm ngoài Trái Đất sau khi chuyển từ "
                           f"{note}; hệ tọa độ có đúng không? (--crs)")
    return frame, note


def _match(attrs: dict[str, Any], code_field: str | None, name_field: str | None,
           index: UnitIndex) -> Match:
    if code_field is not None:
        found = match_code(attrs[code_field], index)
        if found.reason != "empty code" or name_field is None:
            return found
    if name_field is None:
        return Match(None, "unmatched", reason="no code and no name")
    others = {k: v for k, v in attrs.items() if k != name_field}
    return match_name(attrs[name_field], index, others)


def _name_notes(n: int, name: Any, code: str | None, match: Match,
                index: UnitIndex) -> list[FeatureNote]:
    if not isinstance(name, str):
        return []
    unit = index.units.get(match.code) if match.code else None
    notes = [FeatureNote(n, name, code, d) for d in name_defects(name, unit)]
    if unit and match.how == "code" and name_key(name) != name_key(unit.name) and \
            unit.code not in index.by_alias.get(name_key(name), []):
        notes.append(FeatureNote(n, name, code, f"tên khác tên trong danh mục "
                                                f"{unit.name!r} của mã {unit.code}"))
    if unit and match.how.startswith("alias"):
        notes.append(FeatureNote(n, name, code, f"tên cũ của {unit.code} {unit.name}: "
                                                "nhập làm (một phần) vùng của đơn vị này"))
    return notes


def _has_approximate_communes(conn: Connection, edition: str) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM boundary b JOIN admin_unit a USING (edition,"
                    " code) WHERE b.edition = %s AND a.level = 'commune'"
                    " AND b.quality = 'approximate')", (edition,))
        row = cur.fetchone()
    return bool(row and row[0])


def import_boundaries(conn: Connection, path: str | Path, level: Level,
                      code_field: str | None = None, name_field: str | None = None,
                      crs: str | None = None, edition: Edition = Edition.legacy,
                      layer: str | None = None) -> ImportReport:
    """Import official polygons of one level from a file; return the QA report."""
    check_edition_level(edition, level)
    path = Path(path)
    frame, crs_note = read_boundary_file(path, crs, layer)
    check_area_srid(conn)
    index = load_index(conn, edition, level)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    records: list[dict[str, Any]] = frame[columns].to_dict("records")
    code_field = pick_code_field(records, columns, index, code_field, path.name)
    name_field = pick_name_field(records, columns, index, name_field, path.name)
    if code_field is None and name_field is None:
        raise InvalidInput(f"{path.name}: không trường nào chứa mã hay tên đơn vị cấp {level}; "
                           f"hãy cho --code-field hoặc --name-field (các trường: "
                           f"{', '.join(columns)})")
    report = ImportReport(path.name, level, edition, crs_note, code_field, name_field,
                          features=len(frame))
    shapes: dict[str, list[BaseGeometry]] = {}
    for n, (attrs, geom) in enumerate(zip(records, frame.geometry, strict=True), start=1):
        name = attrs[name_field] if name_field else None
        code = norm_code(attrs[code_field]) if code_field else None
        match = _match(attrs, code_field, name_field, index)
        report.name_defects += _name_notes(n, name, code, match, index)
        polygon = polygonal(geom)
        if match.how == "ambiguous":
            units = ", ".join(f"{c} {index.units[c].name}" for c in match.candidates)
            report.ambiguous.append(FeatureNote(n, name, code, f"có thể là {units}"))
        elif match.code is None:
            report.unmatched.append(FeatureNote(n, name, code, match.reason))
        elif polygon is None:
            kind = "không có hình" if geom is None or geom.is_empty else geom.geom_type
            report.skipped.append(FeatureNote(n, name, code, f"không phải vùng ({kind})"))
        elif (far := outside_province(polygon, edition)) is not None:
            report.outside_province.append(FeatureNote(n, name, code, far))
        else:
            shapes.setdefault(match.code, []).append(polygon)
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM boundary WHERE edition = %s AND quality = 'approximate'"
                    " AND code = ANY(%s)", (edition, list(shapes)))
        report.replaced_approximate = sorted(r[0] for r in cur.fetchall())
    for code, parts in sorted(shapes.items()):
        if len(parts) > 1:
            report.merged.append(f"{code} {index.units[code].name}: {len(parts)} đối tượng")
        area = write_boundary(conn, edition, code, shapely.union_all(parts), source=path.name,
                              quality="official", method="import", replace_official=True)
        if area is None:
            report.skipped.append(FeatureNote(0, index.units[code].name, code,
                                              "vùng rỗng sau ST_MakeValid"))
        else:
            report.written[code] = area
    report.centroids_outside = centroids_outside(conn, edition, level, list(report.written))
    report.without_polygon, report.approximate_only = missing_polygons(conn, edition, level)
    if level == "district" and report.written and _has_approximate_communes(conn, edition):
        report.notes.append("vùng gần đúng của các xã không tự cắt lại: "
                            "hãy chạy lại `kcmap boundaries approximate`")
    return report
