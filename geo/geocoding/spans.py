"""Spans of an address: runs of words whose joined key names gazetteer units."""

from __future__ import annotations

from dataclasses import dataclass

from geo.gazetteer.index import GazetteerIndex, NameEntry, Unit
from geo.geocoding.addrnorm import (
    SUB_TYPES,
    Token,
    admin_type_at,
    admin_type_before,
    phrase_before,
    sub_before,
)

_RANK = {"commune": 0, "district": 1, "province": 2}


@dataclass(slots=True)
class Span:
    """Words [start, end) whose joined key names units; `lead` includes a type word before."""

    start: int
    end: int
    lead: int
    kind: str | None  # canonical admin type word before the span
    level: str | None  # level that type word implies
    sub: bool  # after a hamlet/street word or a number
    clean: bool  # (type word +) name fill the whole comma component
    entries: tuple[NameEntry, ...]
    ratio: float = 100.0  # name similarity (100 = exact key)

    def at(self, level: str) -> list[NameEntry]:
        """Entries of a level (communes: both editions)."""
        return [e for e in self.entries if e.unit.level == level]

    def fits(self, level: str) -> bool:
        """True when this span can stand for a unit of `level`."""
        return not self.sub and self.level in (None, level) and bool(self.at(level))

    def overlaps(self, other: Span | None) -> bool:
        """True when the two spans (with their type words) share a word."""
        return other is not None and self.lead < other.end and other.lead < self.end


def find_spans(index: GazetteerIndex, tokens: list[Token]) -> list[Span]:
    spans: list[Span] = []
    n = len(tokens)
    for i in range(n):
        if tokens[i].num:
            continue
        seg = tokens[i].seg
        key = ""
        for j in range(i, min(n, i + index.max_words)):
            if tokens[j].seg != seg or tokens[j].num:
                break
            key += tokens[j].f
            entries = index.by_key.get(key)
            if entries:
                spans.append(make_span(tokens, i, j + 1, entries))
    # A name inside a longer name of the same words is not a separate name ('Sơn Tây' in
    # 'Sơn Tây Thượng').
    spans = [s for s in spans if not any(
        o is not s and o.start <= s.start and s.end <= o.end and o.end - o.start > s.end - s.start
        for o in spans)]
    # Words claimed by a name after a type word are not also an untyped name ('huyen binh son
    # tinh quang ngai': not 'Sơn Tịnh').
    spans = [s for s in spans if s.kind or not any(
        o.kind and o.start < s.end and s.start < o.end for o in spans)]
    # A "type word" that ends an unambiguous name before it is not a type word ('nghia phuong
    # tu nghia': the 'phuong' of Nghĩa Phương does not make Tư Nghĩa a ward).
    for s in spans:
        if s.kind and any(o.end == s.start and o.start < s.lead and alone(o, spans)
                          for o in spans):
            s.lead, s.kind, s.level = s.start, None, None
            s.sub = sub_before(tokens, s.start)
    return spans


def alone(span: Span, spans: list[Span]) -> bool:
    """True when no other span shares a word with `span`."""
    return not any(o is not span and o.start < span.end and span.start < o.end for o in spans)


def make_span(tokens: list[Token], start: int, end: int, entries: tuple[NameEntry, ...],
               ratio: float = 100.0) -> Span:
    length, kind, level = admin_type_before(tokens, start)
    if length and phrase_before(tokens, start, SUB_TYPES) > length:
        length, kind, level = 0, None, None  # 'Hợp tác xã Bình Minh' is not Xã Bình Minh
    lead = start - length
    seg = tokens[start].seg
    sub = length == 0 and sub_before(tokens, start)
    clean = (lead == 0 or tokens[lead - 1].seg != seg) and \
        (end == len(tokens) or tokens[end].seg != seg)
    return Span(start, end, lead, kind, level, sub, clean, entries, ratio)


def marks_agree(entry: NameEntry, tokens: list[Token], span: Span) -> bool | None:
    """Diacritics of the span against the unit name: True/False, None when not comparable."""
    if entry.marks is None or len(entry.marks) != span.end - span.start:
        return None
    return all(t.m == m for t, m in zip(tokens[span.start:span.end], entry.marks, strict=True))


def in_usual_order(index: GazetteerIndex, tokens: list[Token]
                    ) -> tuple[list[Token], list[Span]]:
    """'Tỉnh Quảng Ngãi - Huyện Sơn Tịnh - Xã Tịnh Hà' -> components in the usual order."""
    spans = find_spans(index, tokens)
    typed = sorted((s.start, _RANK[s.level]) for s in spans if s.level and s.fits(s.level))
    ranks = [r for _, r in typed]
    if len(set(ranks)) < 2 or ranks != sorted(ranks, reverse=True):
        return tokens, spans
    # cut the words into pieces at commas and at type words (not at a word of a name: the 'Xa'
    # of 'Xã Ba Xa', the 'Tinh' of 'Xa Tinh An Tay'), then reverse the pieces
    named = {i for s in spans for i in range(s.lead + 1, s.end)}
    pieces: list[list[Token]] = []
    for i, tok in enumerate(tokens):
        if not pieces or tok.seg != tokens[i - 1].seg or (
                i not in named and admin_type_at(tokens, i)):
            pieces.append([])
        pieces[-1].append(tok)
    out: list[Token] = []
    for seg, piece in enumerate(reversed(pieces)):
        out.extend(Token(t.f, t.m, seg, t.num) for t in piece)
    return out, find_spans(index, out)

def district_unit(span: Span | None) -> Unit | None:
    if span is None:
        return None
    units = [e.unit for e in span.at("district") if e.unit.edition == "legacy"]
    return units[0] if units else None
