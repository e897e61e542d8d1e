"""Spans of an address: runs of words whose joined key names gazetteer units."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from geo.gazetteer.index import GazetteerIndex, NameEntry, Unit
from geo.geocoding.addrnorm import (
    Lead,
    Token,
    admin_type_at,
    lead_words,
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
    levels: frozenset[str] = frozenset()  # levels of the entries' units (make_span fills it)

    def at(self, level: str) -> list[NameEntry]:
        """Entries of a level (communes: both editions)."""
        if level not in self.levels:
            return []
        return [e for e in self.entries if e.unit.level == level]

    def fits(self, level: str) -> bool:
        """True when this span can stand for a unit of `level`."""
        return not self.sub and self.level in (None, level) and level in self.levels

    def overlaps(self, other: Span | None) -> bool:
        """True when the two spans (with their type words) share a word."""
        return other is not None and self.lead < other.end and other.lead < self.end


def find_spans(index: GazetteerIndex, tokens: list[Token]) -> list[Span]:
    spans: list[Span] = []
    n = len(tokens)
    prefixes = index.key_prefixes
    by_key = index.by_key
    key_levels = index.key_levels
    max_words = index.max_words
    for i in range(n):
        first = tokens[i]
        if first.num or first.f not in prefixes:
            continue
        seg = first.seg
        key = ""
        lead = None
        stop = i + max_words
        for j in range(i, stop if stop < n else n):
            token = tokens[j]
            if token.seg != seg or token.num:
                break
            key += token.f
            if key not in prefixes:
                break  # no name starts with these words
            entries = by_key.get(key)
            if entries:
                if lead is None:
                    lead = lead_words(tokens, i)
                spans.append(make_span(tokens, i, j + 1, entries, lead=lead,
                                       levels=key_levels[key]))
    # The rules below are about spans sharing words (type words included); spans come in
    # (start, end) order, so when each ends before the next one's type word, none applies.
    if all(a.end <= b.lead for a, b in pairwise(spans)):
        return spans
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
              ratio: float = 100.0, lead: Lead | None = None,
              levels: frozenset[str] | None = None) -> Span:
    length, kind, level, sub = lead or lead_words(tokens, start)
    first = start - length
    seg = tokens[start].seg
    clean = (first == 0 or tokens[first - 1].seg != seg) and \
        (end == len(tokens) or tokens[end].seg != seg)
    if levels is None:
        levels = frozenset(e.unit.level for e in entries)
    return Span(start, end, first, kind, level, sub, clean, entries, ratio, levels)


def marks_agree(entry: NameEntry, tokens: list[Token], span: Span) -> bool | None:
    """Diacritics of the span against the unit name: True/False, None when not comparable."""
    if entry.marks is None or len(entry.marks) != span.end - span.start:
        return None
    return tuple(t.m for t in tokens[span.start:span.end]) == entry.marks


def in_usual_order(index: GazetteerIndex, tokens: list[Token]
                    ) -> tuple[list[Token], list[Span]]:
    """'Tỉnh Quảng Ngãi - Huyện Sơn Tịnh - Xã Tịnh Hà' -> components in the usual order."""
    spans = find_spans(index, tokens)
    # spans come in order of their first word, no two with the same first word
    ranks = [_RANK[s.level] for s in spans if s.level and not s.sub and s.level in s.levels]
    if len(ranks) < 2 or len(set(ranks)) < 2 or ranks != sorted(ranks, reverse=True):
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
    """The first legacy district a span names, if any."""
    if span is None:
        return None
    for e in span.entries:
        if e.unit.level == "district" and e.unit.edition == "legacy":
            return e.unit
    return None
