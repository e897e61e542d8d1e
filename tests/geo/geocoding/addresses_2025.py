"""Addresses written in the 2025 geography (no district), generated from the 2025 unit list.

Every 2025 commune, ward and special zone of the gazetteer is written in several styles.
Styles A-C are the ones the geocoder was tuned on; styles D-L are held out and are the ones the
accuracy figure is measured on (D-I were run once before one fix, to 'Tỉnh Quảng Ngãi, Xã Ba
Xa', a type-word-like name in reversed order; J-L were written after it and not tuned on).

Whether an address *settles* its unit is decided here, from the unit list alone (not from the
geocoder): the written type word and name (compared with diacritics when the style keeps them,
folded otherwise) must lead to one 2025 unit only, counting the 2025 units of that type and name
and the 2025 targets of the legacy communes of that type and name. 'Xã Trà Giang' does not
settle it (a legacy Xã Trà Giang became part of Xã Đông Trà Bồng); 'xa son ha' does not (Sơn Hà
and Sơn Hạ are both 2025 communes); 'Xã Bình Minh' does (the legacy Xã Bình Minh is part of the
2025 Xã Bình Minh).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TUNED = ("A", "B", "C")
HELD_OUT = ("D", "E", "F", "G", "H", "I", "J", "K", "L")

# unit type column (as stored) -> (full type word, abbreviation)
_TYPE_WORDS = {"xã": ("xã", "X."), "phường": ("phường", "P."), "đặc khu": ("đặc khu", "Đặc khu")}
_TONES = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_STREETS = ("Lê Lợi", "Hùng Vương", "Phan Đình Phùng", "Nguyễn Du", "Bà Triệu")


@dataclass(frozen=True)
class Unit2025:
    """A 2025 unit as the generator sees it."""

    code: str
    type: str  # lower case, with diacritics: 'xã', 'phường', 'đặc khu'
    name: str  # short name: 'Sơn Tịnh'


@dataclass(frozen=True)
class Address:
    """A generated address, the unit it was written for and whether the text settles it."""

    text: str
    style: str
    code: str
    settled: bool


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _marks(text: str) -> str:
    """Lower case with diacritics, tone moved to the end of each word ('hoà' == 'hòa')."""
    words = []
    for word in text.lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        tone = "".join(_TONES[ch] for ch in decomposed if ch in _TONES)
        kept = "".join(ch for ch in decomposed if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", kept) + tone)
    return " ".join(words)


def _number(code: str, salt: str) -> int:
    return zlib.crc32(f"{salt}{code}".encode()) % 20 + 1


def _a(u: Unit2025) -> str:
    return f"{_TYPE_WORDS[u.type][0].capitalize()} {u.name}, tỉnh Quảng Ngãi"


def _b(u: Unit2025) -> str:
    return f"{_TYPE_WORDS[u.type][1]} {u.name}, T. Quảng Ngãi"


def _c(u: Unit2025) -> str:
    return fold(f"{u.type} {u.name}, tỉnh Quảng Ngãi")


def _d(u: Unit2025) -> str:
    return f"{u.type} {u.name}".upper()


def _e(u: Unit2025) -> str:
    return f"Thôn {_number(u.code, 'thon')}, {u.type} {u.name}, Quảng Ngãi"


def _f(u: Unit2025) -> str:
    street = _STREETS[_number(u.code, "street") % len(_STREETS)]
    abbr = _TYPE_WORDS[u.type][1]
    glue = "" if abbr.endswith(".") else " "
    return f"Số {_number(u.code, 'so')} {street}, {abbr}{glue}{u.name} - QNgãi"


def _g(u: Unit2025) -> str:
    return f"{_TYPE_WORDS[u.type][1]} {fold(u.name).title()}, Quang Ngai"


def _h(u: Unit2025) -> str:
    return fold(f"Tổ dân phố {_number(u.code, 'to')}, {u.type} {u.name}, tỉnh Quảng Ngãi"
                ).upper()


def _i(u: Unit2025) -> str:
    return unicodedata.normalize("NFD", f"Tỉnh Quảng Ngãi, {u.type.capitalize()} {u.name}")


def _j(u: Unit2025) -> str:
    abbr = _TYPE_WORDS[u.type][1]
    glue = "" if abbr.endswith(".") else " "
    return f"{abbr}{glue}{u.name},T.Quảng Ngãi"


def _k(u: Unit2025) -> str:
    return fold(f"thôn {_number(u.code, 'k')} {_TYPE_WORDS[u.type][1]} {u.name} quảng ngãi")


_OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ùy": "uỳ",
              "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}


def _l(u: Unit2025) -> str:
    name = u.name
    for new, old in _OLD_TONES.items():
        name = name.replace(new, old)
    return f"Xóm {_number(u.code, 'xom')} - {u.type.title()} {name} - Quảng Ngãi"


# style -> (writer, keeps diacritics)
STYLES: dict[str, tuple[Callable[[Unit2025], str], bool]] = {
    "A": (_a, True), "B": (_b, True), "C": (_c, False),
    "D": (_d, True), "E": (_e, True), "F": (_f, True), "G": (_g, False), "H": (_h, False),
    "I": (_i, True), "J": (_j, True), "K": (_k, False), "L": (_l, True),
}


class Gazetteer2025:
    """The 2025 units and what each written (type, name) can mean, read from the database."""

    def __init__(self, conn: Any) -> None:
        with conn.cursor() as cur:
            cur.execute("SELECT edition, code, level, short_name, type FROM admin_unit"
                        " WHERE level = 'commune' ORDER BY edition, code")
            rows = [(e, c, lv, n, t.lower()) for e, c, lv, n, t in cur.fetchall()]
            cur.execute("SELECT legacy_code, code_2025 FROM unit_crosswalk")
            targets: dict[str, set[str]] = defaultdict(set)
            for legacy, new in cur.fetchall():
                targets[legacy].add(new)
        self.units = [Unit2025(code, typ, name) for edition, code, _, name, typ in rows
                      if edition == "2025"]
        # (type, written name) -> 2025 codes it can mean; with and without diacritics
        self.marked: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.folded: dict[tuple[str, str], set[str]] = defaultdict(set)
        for edition, code, _, name, typ in rows:
            means = {code} if edition == "2025" else targets.get(code, set())
            self.marked[(typ, _marks(name))] |= means
            self.folded[(typ, fold(name))] |= means

    def settled(self, unit: Unit2025, marked: bool) -> bool:
        """True when the type word and the name as written lead to this unit only."""
        if marked:
            return self.marked[(unit.type, _marks(unit.name))] == {unit.code}
        return self.folded[(unit.type, fold(unit.name))] == {unit.code}

    def addresses(self, styles: tuple[str, ...]) -> list[Address]:
        """Every 2025 unit written in each of the styles."""
        out = []
        for style in styles:
            write, marked = STYLES[style]
            for unit in self.units:
                out.append(Address(write(unit), style, unit.code, self.settled(unit, marked)))
        return out
