"""Administrative units of province 51 in both editions, loaded from vietnamadminunits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from geo.core.db import Connection
from geo.core.textnorm import name_key, tidy

PROVINCE_CODE = "51"
SOURCE = "vietnamadminunits"


@dataclass
class GazetteerCounts:
    """How many units of each kind were loaded."""

    legacy_districts: int
    legacy_communes: int
    units_2025: int
    crosswalk: int
    aliases: int


def _package_rows(sql: str) -> list[dict[str, Any]]:
    from vietnamadminunits.database import query

    rows: list[dict[str, Any]] = query(sql)
    return rows


def _bbox_wkt(bounds: str | None) -> str | None:
    """'lat1,lon1 – lat2,lon2' (the package's format) -> WKT polygon, or None."""
    if not bounds:
        return None
    try:
        a, b = (part.strip() for part in bounds.replace("–", "-").split(" - "))
        lat1, lon1 = (float(x) for x in a.split(","))
        lat2, lon2 = (float(x) for x in b.split(","))
    except ValueError:
        return None
    x0, x1 = sorted((lon1, lon2))
    y0, y1 = sorted((lat1, lat2))
    if x0 == x1 or y0 == y1:
        return None
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def _point_wkt(lat: float | None, lon: float | None) -> str | None:
    return None if lat is None or lon is None else f"POINT({lon} {lat})"


_UPSERT = """
INSERT INTO admin_unit (edition, code, level, name, short_name, type, parent_code, name_key,
                        centroid, bbox, source)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s,
        ST_GeomFromText(%s, 4326), ST_GeomFromText(%s, 4326), %s)
ON CONFLICT (edition, code) DO UPDATE SET
  level = EXCLUDED.level, name = EXCLUDED.name, short_name = EXCLUDED.short_name,
  type = EXCLUDED.type, parent_code = EXCLUDED.parent_code, name_key = EXCLUDED.name_key,
  centroid = EXCLUDED.centroid, bbox = EXCLUDED.bbox, source = EXCLUDED.source
"""


def _legacy_rows() -> list[dict[str, Any]]:
    return _package_rows(
        "SELECT * FROM admin_units_legacy WHERE provinceCode = '51' ORDER BY districtCode, wardCode"
    )


def _rows_2025() -> list[dict[str, Any]]:
    return _package_rows(
        "SELECT * FROM admin_units WHERE provinceCode = '51' ORDER BY wardCode"
    )


_GLUED_TYPES = ("thanhpho", "thitran", "thixa", "phuong", "huyen", "xa", "tt", "tx", "tp")


def _aliases(raw: str | None) -> list[str]:
    """Alias keys from the package (type word glued on, sometimes with diacritics)."""
    if not raw:
        return []
    keys: set[str] = set()
    for alias in json.loads(raw):
        key = name_key(alias)
        if not key:
            continue
        keys.add(key)
        for prefix in _GLUED_TYPES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                keys.add(key[len(prefix):])
                break
    return sorted(keys)


def load(conn: Connection) -> GazetteerCounts:
    """Upsert both editions, their aliases and the crosswalk; return counts."""
    legacy = _legacy_rows()
    new = _rows_2025()
    alias_rows: set[tuple[str, str, str, str]] = set()
    with conn.cursor() as cur:
        p = legacy[0]
        for edition, prov in (("legacy", p), ("2025", new[0])):
            cur.execute(_UPSERT, (
                edition, PROVINCE_CODE, "province", prov["province"], prov["provinceShort"],
                "Tỉnh", None, name_key(prov["province"]),
                _point_wkt(prov["provinceLat"], prov["provinceLon"]),
                _bbox_wkt(prov.get("provinceBounds")), SOURCE,
            ))
        districts = {r["districtCode"]: r for r in legacy}
        for code, r in districts.items():
            cur.execute(_UPSERT, (
                "legacy", code, "district", tidy(r["district"]), tidy(r["districtShort"]),
                r["districtType"], PROVINCE_CODE, name_key(r["district"]),
                _point_wkt(r["districtLat"], r["districtLon"]),
                _bbox_wkt(r["districtBounds"]), SOURCE,
            ))
            for a in _aliases(r["districtAlias"]):
                alias_rows.add(("legacy", code, a, "vietnamadminunits alias"))
        communes = [r for r in legacy if r["wardCode"]]
        for r in communes:
            cur.execute(_UPSERT, (
                "legacy", r["wardCode"], "commune", tidy(r["ward"]), tidy(r["wardShort"]),
                r["wardType"], r["districtCode"], name_key(r["ward"]),
                _point_wkt(r["wardLat"], r["wardLon"]), _bbox_wkt(r["wardBounds"]), SOURCE,
            ))
            for a in _aliases(r["wardAlias"]):
                alias_rows.add(("legacy", r["wardCode"], a, "vietnamadminunits alias"))
        for r in new:
            cur.execute(_UPSERT, (
                "2025", r["wardCode"], "commune", tidy(r["ward"]), tidy(r["wardShort"]),
                r["wardType"], PROVINCE_CODE, name_key(r["ward"]),
                _point_wkt(r["wardLat"], r["wardLon"]), None, SOURCE,
            ))
            for a in _aliases(r["wardAlias"]):
                alias_rows.add(("2025", r["wardCode"], a, "vietnamadminunits alias"))
        cur.execute("DELETE FROM unit_alias")
        for row in sorted(alias_rows):
            cur.execute(
                "INSERT INTO unit_alias (edition, code, alias_key, note) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                row,
            )
        crosswalk = build_crosswalk(legacy, new)
        cur.execute("DELETE FROM unit_crosswalk")
        for legacy_code, code_2025, share, method, default in crosswalk:
            cur.execute(
                "INSERT INTO unit_crosswalk (legacy_code, code_2025, share, share_method,"
                " is_default) VALUES (%s, %s, %s, %s, %s)",
                (legacy_code, code_2025, share, method, default),
            )
    return GazetteerCounts(len(districts), len(communes), len(new), len(crosswalk),
                           len(alias_rows))


def build_crosswalk(
    legacy: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[tuple[str, str, float, str, bool]]:
    """Legacy commune (or island district) -> 2025 commune rows from the package's converter."""
    data = json.loads(
        resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    old_code: dict[str, str] = {}
    for r in legacy:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        old_code[key] = r["wardCode"] or r["districtCode"]
    new_code = {r["wardKey"]: r["wardCode"] for r in new}
    province_key = legacy[0]["provinceKey"]
    rows: list[tuple[str, str, float, str, bool]] = []
    whole = data["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {})
    for new_key, old_keys in whole.items():
        for old_key in old_keys:
            if old_key in old_code and new_key in new_code:
                rows.append((old_code[old_key], new_code[new_key], 1.0, "whole", True))
    divided = data["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {})
    for old_key, parts in divided.items():
        if old_key not in old_code:
            continue
        targets = [p for p in parts if p["newWardKey"] in new_code]
        for part in targets:
            rows.append((old_code[old_key], new_code[part["newWardKey"]], 1.0 / len(targets),
                         "even", bool(part["isDefaultNewWard"])))
    return rows
