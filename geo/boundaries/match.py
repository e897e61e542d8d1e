"""Match features of a boundary file to gazetteer units: by code field, else by name."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.textnorm import fold, name_key, strip_type

_NAME_LIKE = re.compile(r"(^|_)(name|ten|tenhc|ten_hc|label)(_|$)|^name|^ten")
_CODE_LIKE = re.compile(r"code|(^|_)(ma|mahc|id)(_|$)|^ma(huyen|xa|dvhc)|_c$")


@dataclass(frozen=True)
class Unit:
    """A gazetteer unit as the matcher sees it."""

    code: str
    name: str
    short_name: str
    parent_code: str | None
    parent_name: str | None


@dataclass
class UnitIndex:
    """Gazetteer units of one level and edition, indexed by code, name key and alias key."""

    units: dict[str, Unit]
    by_code: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    by_alias: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Match:
    """Outcome of matching one feature: a unit code, or why there is none."""

    code: str | None
    how: str
    candidates: list[str] = field(default_factory=list)
    reason: str = ""


def norm_code(value: Any) -> str | None:
    """Comparable form of a code cell: 522, 522.0, '0522 ' -> '522'; blanks -> None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text or None


def fine_key(name: str) -> str:
    """Like name_key but keeping diacritics: tells 'Bình Thanh' from 'Bình Thạnh'."""
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFC", name).lower()).split()
    folded = fold(name).split()
    kept = strip_type(" ".join(folded)).split()
    if len(words) == len(folded):
        words = words[len(folded) - len(kept):]
    return "".join(words)


def load_index(conn: Connection, edition: str, level: str) -> UnitIndex:
    """Index the units of one level and edition with their aliases."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.code, u.name, u.short_name, u.name_key, u.parent_code, p.name"
            " FROM admin_unit u LEFT JOIN admin_unit p"
            " ON p.edition = u.edition AND p.code = u.parent_code"
            " WHERE u.edition = %s AND u.level = %s ORDER BY u.code",
            (edition, level),
        )
        rows = cur.fetchall()
        cur.execute(
            "SELECT a.alias_key, a.code FROM unit_alias a JOIN admin_unit u USING (edition, code)"
            " WHERE a.edition = %s AND u.level = %s ORDER BY a.code",
            (edition, level),
        )
        aliases = cur.fetchall()
    index = UnitIndex(units={})
    for code, name, short, key, parent, parent_name in rows:
        index.units[code] = Unit(code, name, short, parent, parent_name)
        index.by_code[norm_code(code) or code] = code
        index.by_key.setdefault(key, []).append(code)
    for key, code in aliases:
        if code not in index.by_alias.setdefault(key, []):
            index.by_alias[key].append(code)
    return index


def match_code(value: Any, index: UnitIndex) -> Match:
    """Match a code cell against the gazetteer codes of the level."""
    code = norm_code(value)
    if code is None:
        return Match(None, "unmatched", reason="mã trống")
    if code in index.by_code:
        return Match(index.by_code[code], "code")
    return Match(None, "unmatched", reason=f"mã {code!r} không có trong danh mục")


def _by_parent(candidates: list[str], attrs: Mapping[str, Any], index: UnitIndex) -> list[str]:
    """Candidates whose parent unit's code or name appears among the feature's attributes."""
    codes = {norm_code(v) for v in attrs.values()}
    keys = {name_key(v) for v in attrs.values() if isinstance(v, str)}
    hits = []
    for c in candidates:
        unit = index.units[c]
        if norm_code(unit.parent_code) in codes or (
            unit.parent_name and name_key(unit.parent_name) in keys
        ):
            hits.append(c)
    return hits


def match_name(name: Any, index: UnitIndex, attrs: Mapping[str, Any]) -> Match:
    """Match a name by name key, then alias key; narrow ties by diacritics, then parent."""
    if not isinstance(name, str) or not name_key(name):
        return Match(None, "unmatched", reason="tên trống")
    key = name_key(name)
    how, codes = "name", index.by_key.get(key, [])
    if not codes:
        how, codes = "alias", index.by_alias.get(key, [])
    if not codes:
        return Match(None, "unmatched", reason="không có đơn vị nào ở cấp này mang tên này")
    if len(codes) > 1:
        exact = [c for c in codes if fine_key(index.units[c].name) == fine_key(name)]
        codes = exact or codes
    if len(codes) > 1:
        codes = _by_parent(codes, attrs, index) or codes
        how += " + parent unit"
    if len(codes) > 1:
        return Match(None, "ambiguous", candidates=codes)
    return Match(codes[0], how)


def _field(columns: list[str], wanted: str, option: str, file: str) -> str:
    if wanted in columns:
        return wanted
    folded = [c for c in columns if c.lower() == wanted.lower()]
    if len(folded) == 1:
        return folded[0]
    raise InvalidInput(
        f"{file}: {option} {wanted!r} không phải một trường của tệp "
        f"(các trường: {', '.join(columns) or 'không có'})"
    )


def pick_code_field(records: list[dict[str, Any]], columns: list[str], index: UnitIndex,
                    given: str | None, file: str) -> str | None:
    """The given code field, else a field most of whose values are gazetteer codes."""
    if given:
        return _field(columns, given, "--code-field", file)
    best: tuple[bool, int, str] | None = None
    for col in columns:
        values = [norm_code(r[col]) for r in records]
        present = [v for v in values if v is not None]
        hits = sum(1 for v in present if v in index.by_code)
        if hits and hits * 2 >= len(present):
            cand = (bool(_CODE_LIKE.search(fold(col).replace(" ", "_"))), hits, col)
            best = cand if best is None or cand[:2] > best[:2] else best
    return best[2] if best else None


def pick_name_field(records: list[dict[str, Any]], columns: list[str], index: UnitIndex,
                    given: str | None, file: str) -> str | None:
    """The given name field, else the text field matching most unit names (or called name)."""
    if given:
        return _field(columns, given, "--name-field", file)
    best: tuple[int, bool, str] | None = None
    for col in columns:
        values = [r[col] for r in records if isinstance(r[col], str)]
        if not values:
            continue
        hits = sum(1 for v in values if name_key(v) in index.by_key or name_key(v) in
                   index.by_alias)
        named = bool(_NAME_LIKE.search(fold(col).replace(" ", "_")))
        if hits or named:
            cand = (hits, named, col)
            best = cand if best is None or cand[:2] > best[:2] else best
    return best[2] if best else None
