"""In-memory gazetteer for geocoding: name keys, history, crosswalk and commune polygons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import shapely
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.core.db import Connection
from geo.geocoding.addrnorm import folded_key, iy_key, marked_tokens, type_key
from geo.geocoding.coords import PROVINCE_BBOX, inside_bbox

PROVINCE_CODE = "51"

# Communes that changed district inside the period records come from (the gazetteer keeps only
# the current parent): code -> (former district code, year of the move).
MOVED_COMMUNES: dict[str, tuple[str, int]] = {
    # 2013 (Resolution 123/NQ-CP): nine Sơn Tịnh communes to TP Quảng Ngãi ...
    "21187": ("527", 2013), "21190": ("527", 2013), "21199": ("527", 2013),
    "21202": ("527", 2013), "21208": ("527", 2013), "21211": ("527", 2013),
    "21214": ("527", 2013), "21223": ("527", 2013), "21232": ("527", 2013),
    # ... and Tư Nghĩa communes (Nghĩa Hà, Nghĩa An and Nghĩa Phú, now An Phú)
    "21256": ("528", 2013), "21262": ("528", 2013),
    # 2005: Nghĩa Dũng and Nghĩa Dõng from Tư Nghĩa to the then town of Quảng Ngãi
    "21034": ("528", 2005), "21037": ("528", 2005),
}

# Glued type prefixes found in package aliases ('xaphovan', 'thitranducpho').
_ALIAS_PREFIXES = (
    ("thanhpho", "thanh pho"), ("thitran", "thi tran"), ("thixa", "thi xa"),
    ("phuong", "phuong"), ("huyen", "huyen"), ("xa", "xa"), ("tt", "thi tran"),
    ("tx", "thi xa"), ("tp", "thanh pho"),
)


@dataclass(frozen=True, slots=True)
class Unit:
    """An administrative unit: edition 'legacy' or '2025'; 'other'/'former' mark provinces."""

    edition: str
    code: str
    level: str
    name: str
    short_name: str
    type: str  # canonical folded type: 'xa', 'phuong', 'thi tran', 'huyen', ...
    parent_code: str | None
    lon: float | None
    lat: float | None


@dataclass(frozen=True, slots=True)
class NameEntry:
    """A unit reachable by a key: its own name or an alias, with the type words it accepts."""

    unit: Unit
    key: str  # folded, space-free name or alias: 'tinhantay'
    alias: bool
    types: frozenset[str]  # empty: any type word of the unit's level
    marks: tuple[str, ...] | None  # diacritic-preserving syllables; None for aliases


@dataclass
class GazetteerIndex:
    """Everything the geocoder needs, held in memory (loaded once from the database)."""

    units: dict[tuple[str, str], Unit]
    by_key: dict[str, tuple[NameEntry, ...]]
    max_words: int
    former_parent: dict[str, str]
    crosswalk_default: dict[str, str]
    crosswalk_sources: dict[str, tuple[str, ...]]
    district_communes: dict[str, tuple[NameEntry, ...]]  # current and former communes
    all_communes: tuple[NameEntry, ...]  # legacy commune names (typo fallback without district)
    all_districts: tuple[NameEntry, ...]  # legacy district names and aliases
    bbox: tuple[float, float, float, float]
    fingerprint: tuple[Any, ...] = ()
    polygons: dict[str, list[tuple[str, str, BaseGeometry]]] = field(default_factory=dict)
    trees: dict[str, STRtree] = field(default_factory=dict)

    @property
    def province(self) -> Unit:
        """The legacy province unit."""
        return self.units[("legacy", PROVINCE_CODE)]

    @cached_property
    def key_prefixes(self) -> frozenset[str]:
        """Every prefix of every name key: a run of words whose key is not one ends a scan."""
        return frozenset(key[:n] for key in self.by_key for n in range(1, len(key) + 1))

    @cached_property
    def key_levels(self) -> dict[str, frozenset[str]]:
        """Levels of the units each name key reaches."""
        return {key: frozenset(e.unit.level for e in entries)
                for key, entries in self.by_key.items()}

    @cached_property
    def districts_2025(self) -> dict[str, frozenset[str | None]]:
        """Legacy districts of the units each 2025 commune was made from."""
        return {code: frozenset(self.district_of(u) for u in self.sources(code))
                for code in self.crosswalk_sources}

    @cached_property
    def _entry_keys(self) -> dict[int, tuple[tuple[NameEntry, ...], list[str]]]:
        lists = [self.all_districts, self.all_communes, *self.district_communes.values()]
        return {id(t): (t, [e.key for e in t]) for t in lists}

    def entry_keys(self, entries: Sequence[NameEntry]) -> list[str]:
        """Name keys of entries (kept for the index's own lists: districts, communes)."""
        own = self._entry_keys.get(id(entries))
        if own is not None and own[0] is entries:
            return own[1]
        return [e.key for e in entries]

    def unit(self, edition: str, code: str | None) -> Unit | None:
        """A unit by edition and code, or None."""
        return None if code is None else self.units.get((edition, code))

    def district_of(self, unit: Unit) -> str | None:
        """Legacy district code of a legacy commune or district."""
        if unit.edition != "legacy":
            return None
        if unit.level == "district":
            return unit.code
        return unit.parent_code if unit.level == "commune" else None

    def sources(self, code_2025: str) -> tuple[Unit, ...]:
        """Legacy units (communes, or an island district) merged into a 2025 commune."""
        out = []
        for code in self.crosswalk_sources.get(code_2025, ()):
            unit = self.units.get(("legacy", code))
            if unit is not None:
                out.append(unit)
        return tuple(out)

    def inside_province(self, lon: float, lat: float) -> bool:
        """True when a point lies in the province bounding box (with a small margin)."""
        return inside_bbox(self.bbox, lon, lat)

    def unit_at(self, level: str, lon: float, lat: float) -> tuple[Unit, str] | None:
        """Legacy unit of a level whose boundary contains the point, with boundary quality."""
        tree = self.trees.get(level)
        if tree is None:
            return None
        point = Point(lon, lat)
        hits = [self.polygons[level][int(i)] for i in tree.query(point, predicate="intersects")]
        if not hits:
            return None
        code, quality, _ = min(hits, key=lambda h: h[2].area)
        unit = self.units.get(("legacy", code))
        return (unit, quality) if unit is not None else None

    @property
    def has_boundaries(self) -> bool:
        """True when commune or district polygons are loaded."""
        return bool(self.trees)


def _accepted_types(keys: set[str], own: str) -> dict[str, set[str]]:
    """Split a unit's alias keys into plain keys -> type words glued to them in other aliases."""
    plain = {k for k in keys if not any(
        k.startswith(p) and k[len(p):] in keys | {own} for p, _ in _ALIAS_PREFIXES)}
    types: dict[str, set[str]] = {k: set() for k in plain | {own}}
    for k in keys:
        for prefix, kind in _ALIAS_PREFIXES:
            rest = k[len(prefix):]
            if k.startswith(prefix) and rest in types:
                types[rest].add(kind)
                break
    return types


@lru_cache(maxsize=1)
def _other_provinces() -> tuple[tuple[str, str, str], ...]:
    """(key, name, type) of the other provinces, both editions (from vietnamadminunits)."""
    from vietnamadminunits.database import query

    seen: dict[str, tuple[str, str, str]] = {}
    for table in ("admin_units_legacy", "admin_units"):
        rows = query(
            f"SELECT DISTINCT province, provinceShort FROM {table}"  # noqa: S608 - constant
        )
        for row in rows:
            key = folded_key(row["provinceShort"])
            if key and key not in ("quangngai", "kontum"):
                kind = "thanh pho" if row["province"].startswith("Thành phố") else "tinh"
                seen[key] = (key, row["province"], kind)
    seen["hochiminh"] = ("hochiminh", "Thành phố Hồ Chí Minh", "thanh pho")
    seen["saigon"] = ("saigon", "Thành phố Hồ Chí Minh", "thanh pho")
    return tuple(seen.values())


def _load_units(conn: Connection) -> dict[tuple[str, str], Unit]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT edition, code, level, name, short_name, type, parent_code,"
            " ST_X(centroid), ST_Y(centroid) FROM admin_unit"
        )
        rows = cur.fetchall()
    return {
        (r[0], r[1]): Unit(r[0], r[1], r[2], r[3], r[4], type_key(r[5]), r[6], r[7], r[8])
        for r in rows
    }


def _load_aliases(conn: Connection) -> dict[tuple[str, str], set[str]]:
    with conn.cursor() as cur:
        cur.execute("SELECT edition, code, alias_key FROM unit_alias")
        rows = cur.fetchall()
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for edition, code, alias in rows:
        out[(edition, code)].add(iy_key(alias))
    return out


def _load_crosswalk(conn: Connection) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT legacy_code, code_2025, is_default FROM unit_crosswalk"
            " ORDER BY legacy_code, code_2025"
        )
        rows = cur.fetchall()
    default: dict[str, str] = {}
    sources: dict[str, list[str]] = defaultdict(list)
    for legacy, new, is_default in rows:
        if is_default or legacy not in default:
            default[legacy] = new
        sources[new].append(legacy)
    return default, {k: tuple(v) for k, v in sources.items()}


def _load_bbox(conn: Connection) -> tuple[float, float, float, float]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT ST_XMin(bbox), ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox) FROM admin_unit"
            " WHERE edition = 'legacy' AND code = %s AND bbox IS NOT NULL",
            (PROVINCE_CODE,),
        )
        row = cur.fetchone()
    return (row[0], row[1], row[2], row[3]) if row else PROVINCE_BBOX


def _load_polygons(conn: Connection) -> dict[str, list[tuple[str, str, BaseGeometry]]]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.level, b.code, b.quality, ST_AsBinary(b.geom) FROM boundary b"
            " JOIN admin_unit u ON u.edition = b.edition AND u.code = b.code"
            " WHERE b.edition = 'legacy' AND u.level IN ('commune', 'district')"
        )
        rows = cur.fetchall()
    out: dict[str, list[tuple[str, str, BaseGeometry]]] = defaultdict(list)
    for level, code, quality, wkb in rows:
        out[level].append((code, quality, shapely.from_wkb(bytes(wkb))))
    return dict(out)


def index_fingerprint(conn: Connection) -> tuple[Any, ...]:
    """Cheap summary of the tables the index is built from (to know when to reload)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM admin_unit), (SELECT count(*) FROM unit_alias),"
            " (SELECT count(*) FROM unit_crosswalk), (SELECT count(*) FROM boundary),"
            " (SELECT max(loaded_at) FROM boundary)"
        )
        row = cur.fetchone()
    return tuple(row) if row else ()


def _entries(units: dict[tuple[str, str], Unit],
             aliases: dict[tuple[str, str], set[str]]) -> dict[str, list[NameEntry]]:
    by_key: dict[str, list[NameEntry]] = defaultdict(list)
    for (edition, code), unit in units.items():
        if edition == "2025" and unit.level == "province":
            continue
        own = folded_key(unit.short_name)
        types = _accepted_types(aliases.get((edition, code), set()), own)
        for key, glued in types.items():
            is_alias = key != own
            accepted = set(glued)
            if not is_alias:
                accepted.add(unit.type)
            by_key[key].append(NameEntry(
                unit, key, is_alias, frozenset(accepted),
                None if is_alias else marked_tokens(unit.short_name),
            ))
    for key, name, kind in _other_provinces():
        other = Unit("other", key, "province", name, name, kind, None, None, None)
        by_key[key].append(NameEntry(other, key, False, frozenset({kind}), None))
    # Kon Tum joined Quảng Ngãi in 2025: its name marks a 2025-edition address, not a foreign one
    former = Unit("former", "kontum", "province", "Tỉnh Kon Tum (trước 2025)", "Kon Tum", "tinh",
                  None, None, None)
    by_key["kontum"].append(NameEntry(former, "kontum", False, frozenset({"tinh"}), None))
    return by_key


def load_index(conn: Connection) -> GazetteerIndex:
    """Build the in-memory geocoding index from the gazetteer and boundary tables."""
    units = _load_units(conn)
    by_key = _entries(units, _load_aliases(conn))
    default, sources = _load_crosswalk(conn)
    district_communes: dict[str, list[NameEntry]] = defaultdict(list)
    for entries in by_key.values():
        for entry in entries:
            u = entry.unit
            if u.edition == "legacy" and u.level == "commune" and u.parent_code:
                district_communes[u.parent_code].append(entry)
                if u.code in MOVED_COMMUNES:  # old records still name the former district
                    district_communes[MOVED_COMMUNES[u.code][0]].append(entry)
    polygons = _load_polygons(conn)
    trees = {level: STRtree([g for _, _, g in items]) for level, items in polygons.items()}
    max_words = max(len(u.short_name.split()) for u in units.values()) + 2
    return GazetteerIndex(
        units=units,
        by_key={k: tuple(v) for k, v in by_key.items()},
        max_words=max_words,
        former_parent={code: parent for code, (parent, _) in MOVED_COMMUNES.items()},
        crosswalk_default=default,
        crosswalk_sources=sources,
        district_communes={k: tuple(v) for k, v in district_communes.items()},
        all_communes=tuple(e for entries in by_key.values() for e in entries
                           if e.unit.edition == "legacy" and e.unit.level == "commune"
                           and not e.alias),
        all_districts=tuple(e for entries in by_key.values() for e in entries
                            if e.unit.edition == "legacy" and e.unit.level == "district"),
        bbox=_load_bbox(conn),
        fingerprint=index_fingerprint(conn),
        polygons=polygons,
        trees=trees,
    )


def refresh_index(conn: Connection, index: GazetteerIndex | None) -> GazetteerIndex:
    """Return `index` if the tables did not change since it was built, else a fresh one."""
    if index is not None and index.fingerprint == index_fingerprint(conn):
        return index
    return load_index(conn)
