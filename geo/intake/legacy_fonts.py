"""Vietnamese typed with pre-Unicode font encodings, found per column and converted.

Old workbooks hold text typed with TCVN3/ABC fonts (.VnTime: "Quảng Ngãi" is stored as
"Qu¶ng Ng·i") or VNI-Windows fonts (VNI-Times: "Quaûng Ngaõi"). A column is converted only
when its text is clearly in one of them: no cell holds a character beyond Latin-1 (text that is
already Unicode Vietnamese is never touched), and most cells with non-ASCII text show the
encoding's patterns (TCVN3: a Latin-1 symbol inside a word; VNI: tone and vowel marks right
after a vowel, and only there). Latin-1 words ("Café", "Müller") do not match either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

TCVN3 = "TCVN3"
VNI = "VNI-Windows"
SCAN_ROWS = 400  # rows (header included) a column's encoding is judged on

# TCVN3 (TCVN 5712:1993) byte -> Unicode, as glibc's TCVN5712-1 decodes it; a .VnTime cell
# holds the bytes as Latin-1 (or Windows-1252 for 0x80-0x9F) characters.
_TCVN_BYTES = bytes.fromhex(
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa1a2a3a4a5a6a7a8a9aaabac"
    "adaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8"
    "d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfeff")
_TCVN_TEXT = (
    "\xc0\u1ea2\xc3\xc1\u1ea0\u1eb6\u1eac\xc8\u1eba\u1ebc\xc9\u1eb8\u1ec6\xcc\u1ec8\u0128\xcd"
    "\u1eca\xd2\u1ece\xd5\xd3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\xd9\u1ee6\u0168\u0102"
    "\xc2\xca\xd4\u01a0\u01af\u0110\u0103\xe2\xea\xf4\u01a1\u01b0\u0111\u1eb0\u0300\u0309"
    "\u0303\u0301\u0323\xe0\u1ea3\xe3\xe1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4\u1eae"
    "\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\xe8\u1ec2\u1ebb\u1ebd"
    "\xe9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\xec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\xed\u1ecb\xf2"
    "\u1ed4\u1ecf\xf5\xf3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3"
    "\xf9\u1ed6\u1ee7\u0169\xfa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u1ef5"
    "\u1ed0")
_NEUTRAL = "°±²³´"  # TCVN3's combining tone marks; far more often "25°C", "m²", DMS
_TCVN: dict[str, str] = {}
for _b, _u in zip(_TCVN_BYTES, _TCVN_TEXT, strict=True):
    if chr(_b) in _NEUTRAL:
        continue
    _TCVN[chr(_b)] = _u
    if _b < 0xA0:  # the same byte read as Windows-1252
        try:
            _TCVN.setdefault(bytes([_b]).decode("cp1252"), _u)
        except UnicodeDecodeError:
            pass
_TCVN_TABLE = str.maketrans(_TCVN)
# TCVN3 characters that are symbols or controls in Latin-1 (0x80-0xBF, ×, ÷): inside a word
# they give it away
_TCVN_SIGNAL = "".join(c for c in _TCVN if ord(c) < 0xC0 or c in "×÷")
_SIGNAL_CLASS = f"[{re.escape(_TCVN_SIGNAL)}]"
_TCVN_WORD = re.compile(f"[^\\W\\d_]{_SIGNAL_CLASS}|{_SIGNAL_CLASS}[^\\W\\d_]")

# VNI-Windows: marks typed after the vowel; a few letters are one character.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "ê": _BREVE,
    "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE,
    "ä": _CIRC + _DOT,
    "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VNI_LETTERS = {"ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ",
                "ô": "ơ", "ö": "ư"}
_VNI_LETTERS.update({k.upper(): v.upper() for k, v in list(_VNI_LETTERS.items())})
_VOWELS = set("aeiouyAEIOUY") | {"ô", "ö", "Ô", "Ö"}
_STRONG = set("ùøûõïÙØÛÕÏ")


def _beyond_latin1(text: str) -> bool:
    return any(ord(c) > 0xFF for c in text)


def looks_tcvn3(text: str) -> bool:
    """Whether a cell's text shows TCVN3 (.VnTime) bytes inside words."""
    return _TCVN_WORD.search(text) is not None


def looks_vni(text: str) -> bool:
    """Whether every non-ASCII character of a cell is a VNI mark after a vowel or a VNI
    letter, with at least one tone mark after a vowel or a word-initial 'ñ' (đ)."""
    strong = False
    for i, c in enumerate(text):
        if ord(c) < 0x80:
            continue
        prev = text[i - 1] if i else " "
        if c in _VNI_MARKS and prev in _VOWELS:
            strong = strong or c in _STRONG
        elif c in _VNI_LETTERS and c not in _VNI_MARKS:
            strong = strong or (c in "ñÑ" and not prev.isalpha())
        else:
            return False
    return strong


def from_tcvn3(text: str) -> str:
    """TCVN3 text as Unicode (NFC)."""
    return unicodedata.normalize("NFC", text.translate(_TCVN_TABLE))


def from_vni(text: str) -> str:
    """VNI-Windows text as Unicode (NFC)."""
    out: list[str] = []
    for i, c in enumerate(text):
        prev = text[i - 1] if i else " "
        if c in _VNI_MARKS and prev in _VOWELS and out:
            mark = _VNI_MARKS[c]
            if out[-1] in "ơưƠƯ":  # horn letters take tones only
                mark = mark[-1] if mark not in (_CIRC, _BREVE) else ""
            out.append(mark)
        elif c in _VNI_LETTERS:
            out.append(_VNI_LETTERS[c])
        else:
            out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


def column_encoding(texts: Iterable[str]) -> str | None:
    """TCVN3, VNI or None for the texts of one column."""
    marked = [t for t in texts if any(ord(c) >= 0x80 and c not in _NEUTRAL for c in t)]
    if not marked or any(_beyond_latin1(t) for t in marked):
        return None
    for name, test in ((TCVN3, looks_tcvn3), (VNI, looks_vni)):
        hits = sum(1 for t in marked if test(t))
        if hits * 2 > len(marked) and (hits >= 2 or hits == len(marked)):
            return name
    return None


CONVERT = {TCVN3: from_tcvn3, VNI: from_vni}
_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_SYLLABLE = re.compile(
    "(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}"
    "(ch|ng|nh|[cmnpt])?")


def _vietnamese_words(text: str) -> bool:
    """Whether every word with a non-ASCII letter is a Vietnamese syllable."""
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower())
                                     .translate(_TONES))
        if _SYLLABLE.fullmatch(bare) is None:
            return False
    return True


def weak_tcvn3(texts: Iterable[str]) -> bool:
    """In a sheet where other columns are clearly TCVN3: a column whose every marked cell is
    Latin-1 text that reads as Vietnamese syllables once converted ('Tæng céng')."""
    marked = [t for t in texts if any(ord(c) >= 0x80 and c not in _NEUTRAL for c in t)]
    return bool(marked) and not any(_beyond_latin1(t) for t in marked) and all(
        _vietnamese_words(from_tcvn3(t)) for t in marked)


def converting(rows: Iterator[Sequence[object]], found: list[dict[str, str]]
               ) -> Iterator[list[object]]:
    """The rows, with each column whose first SCAN_ROWS rows are in TCVN3 or VNI converted;
    `found` receives {"column": index as text, "encoding"} for each such column."""
    head: list[list[object]] = []
    failed: Exception | None = None
    try:
        for values in rows:
            head.append(list(values))
            if len(head) >= SCAN_ROWS:
                break
    except Exception as exc:  # a reader error: raised after the rows before it
        failed = exc
    width = max((len(r) for r in head), default=0)
    columns = [[str(r[col]) for r in head if col < len(r) and isinstance(r[col], str)]
               for col in range(width)]
    plan: dict[int, str] = {}
    for col, texts in enumerate(columns):
        encoding = column_encoding(texts)
        if encoding is not None:
            plan[col] = encoding
    if TCVN3 in plan.values():
        plan.update({col: TCVN3 for col, texts in enumerate(columns)
                     if col not in plan and weak_tcvn3(texts)})
    found.extend({"column": str(col), "encoding": plan[col]} for col in sorted(plan))

    def convert(values: list[object]) -> list[object]:
        for col, encoding in plan.items():
            if col < len(values) and isinstance(values[col], str):
                values[col] = CONVERT[encoding](str(values[col]))
        return values

    for values in head:
        yield convert(values)
    if failed is not None:
        raise failed
    for values in rows:
        yield convert(list(values))
