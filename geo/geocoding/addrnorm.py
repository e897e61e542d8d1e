"""Address normalisation: Unicode, tone placement, abbreviations, tokens and type words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from geo.core.textnorm import fold

# Tone marks (combining) -> a letter, so a syllable's tone is kept wherever it was written:
# 'hoà' and 'hòa' both become 'hoaf'; 'thuỷ' and 'thủy' both 'thuyr'.
_TONES = {
    "\u0300": "f", "\u0340": "f",  # grave (huyền)
    "\u0301": "s", "\u0341": "s",  # acute (sắc)
    "\u0309": "r",  # hook above (hỏi)
    "\u0303": "x",  # tilde (ngã)
    "\u0323": "j",  # dot below (nặng)
}
# Look-alike letters that real spreadsheets use for Đ/đ.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_WORD = re.compile(r"[^\W_]+")
_WORDS_AND_GAPS = re.compile(r"([^\W_]+)")  # split: gap, word, gap, word, ..., gap
_HARD_SEPARATORS = frozenset(",;|()[]{}\n\r\t–—")
# An abbreviation glued to the next capitalised word: 'TTChâu Ổ', 'QNgãi', 'H.Đức' is
# handled by the dot already.
_GLUED = re.compile(r"\b(TT|TP|TX|Tp|Tx|Tt|[HXPQT])(\w)(\w)")
# Where _GLUED could split anything: an abbreviation before a word character that is not a
# digit, '_' or a lower-case letter (the split needs a capital there). Most addresses have none.
_LOWER = "".join(c for c in map(chr, range(0x80, 0x2000)) if c.islower())
_GLUED_HINT = re.compile(r"[HXPQT](?<=(?<!\w)[HXPQT])[ptx]?[^\W\d_a-z" + re.escape(_LOWER) + "]")


class Token(NamedTuple):
    """One word of an address: folded form, diacritic-preserving form, segment number."""

    f: str  # folded: 'tịnh' -> 'tinh'
    m: str  # canonical marks: 'tịnh' -> 'tinhj'; equal to f when the word has no marks
    seg: int  # comma-separated component the word belongs to
    num: bool  # contains a digit (house numbers, hamlet numbers)

    @property
    def marked(self) -> bool:
        """True when the word was written with diacritics."""
        return self.m != self.f


def fold_word(word: str) -> str:
    """Lower-case a word and strip its diacritics (đ -> d), Ð look-alikes included."""
    return fold(word.translate(_LOOKALIKES))


def canonical_marks(word: str) -> str:
    """Diacritic-preserving key of a syllable with the tone moved to the end: 'Hoà' -> 'hoaf'."""
    decomposed = unicodedata.normalize("NFD", word.translate(_LOOKALIKES).lower())
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


_SHORT_I = re.compile(r"(?<=[bcdghklmnpqrstvx])y(?![aeiou])")


def iy_key(folded: str) -> str:
    """Spell the short vowel 'y' after a consonant as 'i' (Lý/Lí, Kỳ/Kì, Mỹ/Mĩ); keeps 'uy'."""
    return _SHORT_I.sub("i", folded)


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> tuple[str, str, bool]:
    folded = iy_key(fold_word(word))
    marks = canonical_marks(word)
    return folded, (folded if marks == folded else marks), any(c.isdigit() for c in folded)


def marked_tokens(name: str) -> tuple[str, ...]:
    """Canonical diacritic-preserving syllables of a unit name: 'Ba Tơ' -> ('ba', 'tơ')."""
    return tuple(_word_forms(w)[1] for w in _WORD.findall(unicodedata.normalize("NFC", name)))


def folded_key(name: str) -> str:
    """Folded, space-free key of a name without type word: 'Tịnh Ấn Tây' -> 'tinhantay'."""
    return "".join(_word_forms(w)[0] for w in _WORD.findall(unicodedata.normalize("NFC", name)))


def _unglue(match: re.Match[str]) -> str:
    abbr, first, second = match.groups()
    if first.isupper() and second.islower():
        return f"{abbr} {first}{second}"
    return match.group(0)


# Token-level abbreviations (folded words -> words); replacement words carry no marks so they
# do not count as the writer's own diacritics.
_EXPANSIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("q", "ngai"): ("quang", "ngai"),
    ("q", "ng"): ("quang", "ngai"),
    ("qngai",): ("quang", "ngai"),
    ("qng",): ("quang", "ngai"),
    ("tpqn",): ("tp", "quang", "ngai"),
    ("tpqng",): ("tp", "quang", "ngai"),
    ("tpqngai",): ("tp", "quang", "ngai"),
    ("tp", "qn"): ("tp", "quang", "ngai"),
    ("t", "tran"): ("thi", "tran"),
    ("th", "tran"): ("thi", "tran"),
    ("t", "p"): ("tp",),
    ("t", "x"): ("tx",),
    ("t", "t"): ("tt",),
    ("th", "pho"): ("thanh", "pho"),
    ("tphcm",): ("ho", "chi", "minh"),
    ("hcm",): ("ho", "chi", "minh"),
}
_EXPANSION_FIRST = frozenset(k[0] for k in _EXPANSIONS)
_FOLDED = attrgetter("f")


def normalize_text(text: str) -> str:
    """NFC, look-alike letters fixed, glued abbreviations split ('QNgãi' -> 'Q Ngãi')."""
    text = unicodedata.normalize("NFC", text)
    if "Ð" in text or "ð" in text or "Ɖ" in text or "ɖ" in text:
        text = text.translate(_LOOKALIKES)
    return _GLUED.sub(_unglue, text) if _GLUED_HINT.search(text) else text


@lru_cache(maxsize=4096)
def _breaks(between: str) -> bool:
    """True when the text between two words starts a new component (comma, ' - ', '/')."""
    return any(ch in _HARD_SEPARATORS for ch in between) or " - " in between \
        or between.strip() in ("-", "/")


@lru_cache(maxsize=65536)
def _token(word: str, seg: int) -> Token:
    folded, marks, num = _word_forms(word)
    return Token(folded, marks, seg, num)


def tokenize(text: str) -> list[Token]:
    """Words of an address with their comma segment, abbreviations expanded."""
    parts = _WORDS_AND_GAPS.split(normalize_text(text))  # gap, word, gap, ..., word, gap
    if len(parts) < 2:
        return []
    segs = [0]
    seg = 0
    for gap in parts[2:-1:2]:  # the gaps between words
        if gap != " " and _breaks(gap):
            seg += 1
        segs.append(seg)
    raw = list(map(_token, parts[1::2], segs))
    if _EXPANSION_FIRST.isdisjoint(map(_FOLDED, raw)):
        return raw
    tokens: list[Token] = []
    i = 0
    n = len(raw)
    while i < n:
        token = raw[i]
        if token.f in _EXPANSION_FIRST:
            s = token.seg
            for length in (2, 1):
                words = tuple(r.f for r in raw[i:i + length])
                if len(words) == length and words in _EXPANSIONS and raw[i + length - 1].seg == s:
                    for word in _EXPANSIONS[words]:
                        tokens.append(Token(word, word, s, False))
                    i += length
                    break
            else:
                tokens.append(token)
                i += 1
            continue
        tokens.append(token)
        i += 1
    return tokens


# Administrative type words (folded) -> (canonical type, level). Single letters are the usual
# abbreviations ('X.', 'P.', 'H.', 'T.').
ADMIN_TYPES: dict[tuple[str, ...], tuple[str, str]] = {
    ("xa",): ("xa", "commune"),
    ("x",): ("xa", "commune"),
    ("phuong",): ("phuong", "commune"),
    ("p",): ("phuong", "commune"),
    ("thi", "tran"): ("thi tran", "commune"),
    ("tt",): ("thi tran", "commune"),
    ("dac", "khu"): ("dac khu", "commune"),
    ("huyen",): ("huyen", "district"),
    ("h",): ("huyen", "district"),
    ("thi", "xa"): ("thi xa", "district"),
    ("tx",): ("thi xa", "district"),
    ("thanh", "pho"): ("thanh pho", "district"),
    ("tp",): ("thanh pho", "district"),
    ("quan",): ("quan", "district"),
    ("tinh",): ("tinh", "province"),
    ("t",): ("tinh", "province"),
}

# Words that introduce something below the commune (hamlet, street, site): a unit-like name
# right after one of them is not a unit.
SUB_TYPES: frozenset[tuple[str, ...]] = frozenset({
    ("thon",), ("xom",), ("ap",), ("lang",), ("to",), ("to", "dan", "pho"), ("tdp",),
    ("khu", "pho"), ("kp",), ("khoi",), ("khoi", "pho"), ("doi",), ("buon",), ("plei",),
    ("ban",), ("khu",), ("khu", "dan", "cu"), ("kdc",), ("khu", "do", "thi"), ("kdt",),
    ("cum",), ("khu", "cong", "nghiep"), ("kcn",), ("cum", "cong", "nghiep"), ("ccn",),
    ("cho",), ("duong",), ("d",), ("so",), ("so", "nha"), ("ngo",), ("hem",), ("kiet",),
    ("ngach",), ("lo",), ("quoc", "lo"), ("ql",), ("tinh", "lo"), ("tl",), ("km",),
    ("cau",), ("cong", "ty"), ("cty",), ("htx",), ("hop", "tac", "xa"), ("co", "so"),
    ("truong",), ("nha",), ("doanh", "nghiep"), ("dn",), ("dntn",), ("lang", "nghe"),
    ("nui",), ("bai",), ("dao",), ("cang",), ("ben",),
})

# Type words whose folded form is also a syllable of unit names: when the writer used
# diacritics they must be spelled exactly like this to count as a type word
# ('tỉnh' is a type word, 'Tịnh' starts a commune name; 'xã' vs Ba Xa; 'phường' vs Nghĩa Phương).
_NEED_MARKS: dict[str, str] = {
    fold_word(w): canonical_marks(w)
    for w in ("tỉnh", "xã", "phường", "huyện", "thành", "phố", "thị", "trấn", "tổ", "làng",
              "chợ", "bản", "lô", "cầu", "đội", "số", "nhà", "đảo", "bãi", "bến", "núi", "quận",
              "khối", "ấp")
}


def _typed_ok(token: Token) -> bool:
    """True when the word has no marks, or is marked the way the type word is spelt."""
    return token.m == token.f or _NEED_MARKS.get(token.f, token.m) == token.m


# Last word -> lengths (longest first) of the phrases of each table ending with it: most words
# end no phrase, and phrase_before answers them with one dict lookup.
_ENDINGS: dict[int, dict[str, tuple[int, ...]]] = {}


def _endings(table: dict[tuple[str, ...], tuple[str, str]] | frozenset[tuple[str, ...]]
             ) -> dict[str, tuple[int, ...]]:
    found = _ENDINGS.get(id(table))
    if found is None:
        lengths: dict[str, set[int]] = {}
        for phrase in table:
            lengths.setdefault(phrase[-1], set()).add(len(phrase))
        found = {w: tuple(sorted((n for n in ns if n <= 4), reverse=True))
                 for w, ns in lengths.items()}
        _ENDINGS[id(table)] = found
    return found


_ADMIN_ENDINGS = _endings(ADMIN_TYPES)
_SUB_ENDINGS = _endings(SUB_TYPES)
_ADMIN_FIRST = frozenset(phrase[0] for phrase in ADMIN_TYPES)


def phrase_before(tokens: list[Token], start: int,
                  table: dict[tuple[str, ...], tuple[str, str]] | frozenset[tuple[str, ...]]
                  ) -> int:
    """Length of the longest phrase of `table` ending right before `start` (same segment)."""
    if start < 1:
        return 0
    prev = tokens[start - 1]
    endings = _ADMIN_ENDINGS if table is ADMIN_TYPES else \
        _SUB_ENDINGS if table is SUB_TYPES else _endings(table)
    lengths = endings.get(prev.f)
    if not lengths:
        return 0
    seg = tokens[start].seg
    for length in lengths:
        if length == 1:  # (prev.f,) is in the table: it ends a phrase of length 1
            if prev.seg == seg and _typed_ok(prev):
                return 1
            continue
        first = start - length
        if first < 0:
            continue
        words = tokens[first:start]
        if words[0].seg != seg:
            continue
        key = tuple(t.f for t in words)
        if key in table and all(_typed_ok(t) for t in words):
            return length
    return 0


def admin_type_before(tokens: list[Token], start: int) -> tuple[int, str | None, str | None]:
    """(length, canonical type, level) of an administrative type phrase right before start."""
    length = phrase_before(tokens, start, ADMIN_TYPES)
    if not length:
        return 0, None, None
    kind, level = ADMIN_TYPES[tuple(t.f for t in tokens[start - length:start])]
    return length, kind, level


def admin_type_at(tokens: list[Token], start: int) -> int:
    """Length of an administrative type phrase starting at `start` (same segment), or 0."""
    if start >= len(tokens) or tokens[start].f not in _ADMIN_FIRST:
        return 0
    for length in (2, 1):
        words = tokens[start:start + length]
        if len(words) < length or words[-1].seg != tokens[start].seg:
            continue
        key = tuple(t.f for t in words)
        if key in ADMIN_TYPES and all(_typed_ok(t) for t in words):
            return length
    return 0


Lead = tuple[int, str | None, str | None, bool]
_NO_LEAD: Lead = (0, None, None, False)


def lead_words(tokens: list[Token], start: int) -> Lead:
    """(length, canonical type, level) of the type word before `start`, and whether a
    hamlet/street word or a number comes right before it instead ('Hợp tác xã Bình Minh':
    no type word, after a hamlet/street word)."""
    if start == 0:
        return _NO_LEAD
    seg = tokens[start].seg
    prev = tokens[start - 1]
    if prev.seg != seg:
        return _NO_LEAD
    if prev.num:
        return 0, None, None, True
    if prev.f not in _ADMIN_ENDINGS and prev.f not in _SUB_ENDINGS:
        return _NO_LEAD  # the word before ends no type or hamlet/street phrase
    first = start - 4 if start > 4 else 0  # phrases have at most 4 words
    while tokens[first].seg != seg:
        first += 1
    return _lead_of(tuple(tokens[first:start]))


@lru_cache(maxsize=8192)
def _lead_of(words: tuple[Token, ...]) -> Lead:
    """lead_words of the word after these words (one component; the last is no number)."""
    tokens = list(words)
    tokens.append(Token("", "", words[-1].seg, False))
    start = len(words)
    length, kind, level = admin_type_before(tokens, start)
    if length and phrase_before(tokens, start, SUB_TYPES) > length:
        length, kind, level = 0, None, None  # 'Hợp tác xã Bình Minh' is not Xã Bình Minh
    return length, kind, level, length == 0 and sub_before(tokens, start)


def sub_before(tokens: list[Token], start: int) -> bool:
    """True when a hamlet/street word or a number comes right before `start`."""
    if start > 0 and tokens[start - 1].seg == tokens[start].seg and tokens[start - 1].num:
        return True
    return phrase_before(tokens, start, SUB_TYPES) > 0


def type_key(type_name: str) -> str:
    """Canonical type of a unit's type column: 'Thị trấn' -> 'thi tran'."""
    return " ".join(fold_word(w) for w in type_name.split())
