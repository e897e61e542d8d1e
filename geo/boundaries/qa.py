"""Quality report of boundary imports and approximate builds: checks and readable text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from geo.boundaries.match import Unit
from geo.core.db import Connection
from geo.core.textnorm import tidy


@dataclass
class FeatureNote:
    """A remark about one feature of an imported file (1-based feature number)."""

    feature: int
    name: str | None
    code: str | None
    detail: str


@dataclass
class CentroidOutside:
    """A gazetteer centroid lying outside the polygon it should be in."""

    code: str
    name: str
    polygon_code: str
    polygon_name: str
    distance_m: float
    found_in: str | None = None


@dataclass
class ImportReport:
    """What an import did and which problems it found."""

    file: str
    level: str
    edition: str
    crs: str
    code_field: str | None
    name_field: str | None
    features: int = 0
    written: dict[str, float] = field(default_factory=dict)
    replaced_approximate: list[str] = field(default_factory=list)
    unmatched: list[FeatureNote] = field(default_factory=list)
    ambiguous: list[FeatureNote] = field(default_factory=list)
    skipped: list[FeatureNote] = field(default_factory=list)
    outside_province: list[FeatureNote] = field(default_factory=list)  # refused, not written
    merged: list[str] = field(default_factory=list)
    name_defects: list[FeatureNote] = field(default_factory=list)
    centroids_outside: list[CentroidOutside] = field(default_factory=list)
    without_polygon: list[tuple[str, str]] = field(default_factory=list)
    approximate_only: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ApproxReport:
    """What build_approximate wrote and how it clipped."""

    edition: str
    communes_written: list[str] = field(default_factory=list)
    communes_official: list[str] = field(default_factory=list)
    districts_written: list[str] = field(default_factory=list)
    districts_official: list[str] = field(default_factory=list)
    clipped_to_district: list[str] = field(default_factory=list)
    not_clipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    totals: list[tuple[str, str, int, float]] = field(default_factory=list)


def _odd_caps(text: str) -> bool:
    words = [w for w in text.replace(".", " ").split() if any(c.isalpha() for c in w)]
    if len(text) > 4 and (text.isupper() or text.islower()):
        return True
    return any(not w.isupper() and any(c.isupper() for c in w[1:]) for w in words)


def name_defects(raw: str, unit: Unit | None) -> list[str]:
    """Spelling defects of a name from a file: stray spaces, non-NFC text, odd capitals."""
    found = []
    if raw != " ".join(raw.split()):
        found.append("thừa dấu cách")
    if unicodedata.normalize("NFC", raw) != raw:
        found.append("Unicode dạng tách (không phải NFC)")
    text = tidy(raw)
    forms = {unit.name, unit.short_name} if unit else set()
    if text not in forms and text.casefold() in {f.casefold() for f in forms}:
        found.append(f"viết hoa lạ (danh mục: {unit.name if unit else ''!r})")
    elif text not in forms and _odd_caps(text):
        found.append("viết hoa lạ")
    return found


_OUTSIDE_PARENT = """
SELECT c.code, c.name, d.code, d.name,
       ST_Distance(b.geom::geography, c.centroid::geography),
       (SELECT string_agg(o.code, ',' ORDER BY o.code) FROM boundary o
          JOIN admin_unit od ON od.edition = o.edition AND od.code = o.code
         WHERE o.edition = c.edition AND od.level = 'district'
           AND ST_Intersects(o.geom, c.centroid))
FROM admin_unit c
JOIN admin_unit d ON d.edition = c.edition AND d.code = c.parent_code
JOIN boundary b ON b.edition = d.edition AND b.code = d.code
WHERE c.edition = %s AND c.level = 'commune' AND c.centroid IS NOT NULL
  AND d.code = ANY(%s) AND NOT ST_Intersects(b.geom, c.centroid)
ORDER BY c.code
"""
_OUTSIDE_OWN = """
SELECT u.code, u.name, u.code, u.name,
       ST_Distance(b.geom::geography, u.centroid::geography), NULL
FROM admin_unit u JOIN boundary b ON b.edition = u.edition AND b.code = u.code
WHERE u.edition = %s AND u.code = ANY(%s) AND u.centroid IS NOT NULL
  AND NOT ST_Intersects(b.geom, u.centroid)
ORDER BY u.code
"""


def centroids_outside(conn: Connection, edition: str, level: str,
                      codes: list[str]) -> list[CentroidOutside]:
    """Units whose centroid lies outside their own polygon, and (districts) their communes'."""
    queries = [_OUTSIDE_OWN] + ([_OUTSIDE_PARENT] if level == "district" else [])
    found: list[CentroidOutside] = []
    with conn.cursor() as cur:
        for sql in queries:
            cur.execute(sql, (edition, codes))
            found += [CentroidOutside(*row) for row in cur.fetchall()]
    return found


def missing_polygons(conn: Connection, edition: str,
                     level: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(units without any polygon, units with only an approximate one) of a level."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.code, u.name, b.quality FROM admin_unit u LEFT JOIN boundary b"
            " ON b.edition = u.edition AND b.code = u.code"
            " WHERE u.edition = %s AND u.level = %s"
            " AND (b.code IS NULL OR b.quality = 'approximate') ORDER BY u.code",
            (edition, level),
        )
        rows = cur.fetchall()
    return ([(c, n) for c, n, q in rows if q is None],
            [(c, n) for c, n, q in rows if q == "approximate"])


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return [f"{title}: không có"]
    return [f"{title} ({len(lines)}):"] + [f"  {line}" for line in lines]


def _feature(n: FeatureNote) -> str:
    label = " ".join(p for p in (f"mã={n.code!r}" if n.code else "",
                                  f"tên={n.name!r}" if n.name is not None else "") if p)
    return f"đối tượng {n.feature} {label or '(không mã, không tên)'}: {n.detail}"


def _units(units: list[tuple[str, str]]) -> list[str]:
    return [f"{code} {name}" for code, name in units]


def format_import_report(r: ImportReport) -> str:
    """The import report as readable text, one problem per line."""
    outside = []
    for c in r.centroids_outside:
        where = "vùng của chính nó" if c.code == c.polygon_code else \
            f"huyện {c.polygon_code} {c.polygon_name}"
        found = f"; nằm trong huyện {c.found_in}" if c.found_in else \
            ("; không nằm trong vùng huyện nào" if c.code != c.polygon_code else "")
        outside.append(f"{c.code} {c.name}: nằm ngoài {where} {c.distance_m / 1000:.1f} km{found}")
    keys = f"trường mã {r.code_field!r}" if r.code_field else "tên"
    lines = [
        f"Nhập {r.file}: {r.features} đối tượng, cấp {r.level}, bản {r.edition}",
        f"  Hệ tọa độ: {r.crs}; ghép theo {keys}; trường tên: {r.name_field or 'không có'}",
        f"  đã ghi: {len(r.written)} vùng chính thức, {sum(r.written.values()):.1f} km² "
        f"(EPSG:3406); thay vùng gần đúng: {len(r.replaced_approximate)}",
    ]
    lines += [f"  ghi chú: {n}" for n in r.notes]
    lines += _section("Đối tượng không ghép được", [_feature(n) for n in r.unmatched])
    lines += _section("Tên trùng nhiều đơn vị (không đoán)", [_feature(n) for n in r.ambiguous])
    lines += _section("Đối tượng bị bỏ qua", [_feature(n) for n in r.skipped])
    if r.outside_province:
        lines += _section("Đối tượng nằm ngoài tỉnh (bị từ chối)",
                          [_feature(n) for n in r.outside_province])
    lines += _section("Đơn vị có nhiều đối tượng (đã gộp)", r.merged)
    lines += _section("Tâm điểm danh mục nằm ngoài vùng", outside)
    lines += _section(f"Đơn vị cấp {r.level} chưa có vùng nào",
                      _units(r.without_polygon))
    lines += _section(f"Đơn vị cấp {r.level} chỉ có vùng gần đúng",
                      _units(r.approximate_only))
    lines += _section("Lỗi viết tên trong tệp", [_feature(n) for n in r.name_defects])
    return "\n".join(lines)


def format_approx_report(r: ApproxReport) -> str:
    """The approximate-build report as readable text."""
    lines = [
        f"Ranh giới gần đúng, bản {r.edition} (ô Voronoi quanh tâm điểm danh mục)",
        f"  xã: ghi {len(r.communes_written)} vùng gần đúng, "
        f"giữ {len(r.communes_official)} vùng chính thức",
    ]
    if r.edition == "legacy":
        lines += [
            f"  huyện: ghi {len(r.districts_written)} vùng gần đúng, "
            f"giữ {len(r.districts_official)} vùng chính thức",
            f"  xã được cắt theo vùng chính thức của huyện: "
            f"{len(r.clipped_to_district)}; không cắt: {len(r.not_clipped)}",
        ]
    lines += _section("Ghi chú", r.notes)
    lines += ["Các vùng đã lưu (diện tích theo EPSG:3406):"]
    lines += [f"  {lv} {q}: {n} đơn vị, {km2:.1f} km²" for lv, q, n, km2 in r.totals]
    return "\n".join(lines)
