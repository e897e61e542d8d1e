"""Address geocoder for Quảng Ngãi: province → district → commune, both editions, no guessing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from geo.core.db import Connection
from geo.gazetteer.index import GazetteerIndex, NameEntry, Unit, load_index
from geo.geocoding.addrnorm import (
    ADMIN_TYPES,
    SUB_TYPES,
    Token,
    admin_type_at,
    admin_type_before,
    phrase_before,
    sub_before,
    tokenize,
)
from geo.geocoding.coords import ParsedPoint, parse_point

STATUSES = ("ok", "ambiguous", "not_found", "conflict")
PRECISIONS = ("exact", "commune", "district", "province", "none")
_RANK = {"commune": 0, "district": 1, "province": 2}
FUZZY_TYPED = 84.0  # rapidfuzz ratio needed for a typo after an explicit type word
FUZZY_UNTYPED = 90.0
FUZZY_MARGIN = 6.0  # the best typo match must beat the next unit by this much


@dataclass
class GeocodeResult:
    """Where an address (and/or a coordinate pair) is, how precisely, and how sure we are."""

    commune_code: str | None = None
    district_code: str | None = None
    commune_code_2025: str | None = None
    commune_name: str | None = None
    district_name: str | None = None
    commune_name_2025: str | None = None
    precision: str = "none"
    score: float = 0.0
    status: str = "not_found"
    lon: float | None = None
    lat: float | None = None
    method: str = "none"
    candidates: list[dict[str, str | None]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class _Span:
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

    def overlaps(self, other: _Span | None) -> bool:
        """True when the two spans (with their type words) share a word."""
        return other is not None and self.lead < other.end and other.lead < self.end


def _find_spans(index: GazetteerIndex, tokens: list[Token]) -> list[_Span]:
    spans: list[_Span] = []
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
                spans.append(_make_span(tokens, i, j + 1, entries))
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
        if s.kind and any(o.end == s.start and o.start < s.lead and _alone(o, spans)
                          for o in spans):
            s.lead, s.kind, s.level = s.start, None, None
            s.sub = sub_before(tokens, s.start)
    return spans


def _alone(span: _Span, spans: list[_Span]) -> bool:
    """True when no other span shares a word with `span`."""
    return not any(o is not span and o.start < span.end and span.start < o.end for o in spans)


def _make_span(tokens: list[Token], start: int, end: int, entries: tuple[NameEntry, ...],
               ratio: float = 100.0) -> _Span:
    length, kind, level = admin_type_before(tokens, start)
    if length and phrase_before(tokens, start, SUB_TYPES) > length:
        length, kind, level = 0, None, None  # 'Hợp tác xã Bình Minh' is not Xã Bình Minh
    lead = start - length
    seg = tokens[start].seg
    sub = length == 0 and sub_before(tokens, start)
    clean = (lead == 0 or tokens[lead - 1].seg != seg) and \
        (end == len(tokens) or tokens[end].seg != seg)
    return _Span(start, end, lead, kind, level, sub, clean, entries, ratio)


def _marks_agree(entry: NameEntry, tokens: list[Token], span: _Span) -> bool | None:
    """Diacritics of the span against the unit name: True/False, None when not comparable."""
    if entry.marks is None or len(entry.marks) != span.end - span.start:
        return None
    return all(t.m == m for t, m in zip(tokens[span.start:span.end], entry.marks, strict=True))


def _in_usual_order(index: GazetteerIndex, tokens: list[Token]
                    ) -> tuple[list[Token], list[_Span]]:
    """'Tỉnh Quảng Ngãi - Huyện Sơn Tịnh - Xã Tịnh Hà' -> components in the usual order."""
    spans = _find_spans(index, tokens)
    typed = sorted((s.start, _RANK[s.level]) for s in spans if s.level and s.fits(s.level))
    ranks = [r for _, r in typed]
    if len(set(ranks)) < 2 or ranks != sorted(ranks, reverse=True):
        return tokens, spans
    # cut the words into pieces at commas and at type words, then reverse the pieces
    pieces: list[list[Token]] = []
    for i, tok in enumerate(tokens):
        if not pieces or tok.seg != tokens[i - 1].seg or admin_type_at(tokens, i):
            pieces.append([])
        pieces[-1].append(tok)
    out: list[Token] = []
    for seg, piece in enumerate(reversed(pieces)):
        out.extend(Token(t.f, t.m, seg, t.num) for t in piece)
    return out, _find_spans(index, out)


class _Parser:
    """One address being resolved."""

    def __init__(self, index: GazetteerIndex, text: str) -> None:
        self.index = index
        self.tokens, self.spans = _in_usual_order(index, tokenize(text))
        self.marked = any(t.marked for t in self.tokens)  # the writer uses diacritics

    # -- province and district -------------------------------------------------------------

    def province(self) -> _Span | None:
        """Rightmost mention of Quảng Ngãi as a province."""
        found = [s for s in self.spans if s.fits("province")
                 and any(e.unit.edition in ("legacy", "former") for e in s.at("province"))
                 and s.kind in (None, "tinh")]
        return max(found, key=lambda s: s.start, default=None)

    def other_province(self, province: _Span | None) -> Unit | None:
        """Another province named at the end of the address (the address is not ours)."""
        last_seg = self.tokens[-1].seg
        for s in sorted(self.spans, key=lambda s: -s.start):
            if province is not None and s.start < province.start:
                break
            others = [e.unit for e in s.entries if e.unit.edition == "other"]
            if not others or s.sub:
                continue
            typed = s.kind in ("tinh", "thanh pho")
            if typed or (s.kind is None and s.clean and self.tokens[s.start].seg == last_seg
                         and last_seg > 0):
                return others[0]
        return None

    def district(self, province: _Span | None) -> _Span | None:
        """Rightmost span that can be a district, left of the province."""
        found = [s for s in self.spans if s.fits("district") and not s.overlaps(province)
                 and (province is None or s.end <= province.lead)]
        # 'Quảng Ngãi' alone is the province; as a district it needs 'TP' or a province after
        found = [s for s in found if s.kind is not None or province is not None
                 or not any(e.unit.level == "province" and e.unit.edition == "legacy"
                            for e in s.entries)]
        best = max(found, key=lambda s: (s.end, s.kind is not None), default=None)
        if best is None or best.kind is not None or not self.marked:
            return best
        # Diacritics may say the words are a commune, not the district ('Sơn Tinh' vs 'Sơn Tịnh')
        district_marks = [_marks_agree(e, self.tokens, best) for e in best.at("district")]
        commune_marks = [_marks_agree(e, self.tokens, best) for e in best.at("commune")]
        lower = [s for s in self.spans if s.fits("commune") and s.end <= best.lead]
        if False in district_marks and True not in district_marks and True in commune_marks \
                and not lower:
            return None
        return best

    def also_communes(self, district: _Span) -> list[Unit]:
        """Legacy communes the district's own words could also name ('ba to': TT Ba Tơ, Ba Tô)."""
        if district.kind is not None or district.ratio < 100:
            return []
        entries = [e for e in district.at("commune") if e.unit.edition == "legacy"]
        if self.marked:
            entries = [e for e in entries if _marks_agree(e, self.tokens, district) is not False]
        return list({e.unit.code: e.unit for e in entries}.values())

    # -- communes ----------------------------------------------------------------------------

    def commune_units(self, span: _Span, district: Unit | None) -> tuple[list[NameEntry], str]:
        """Units a commune span can mean (district, type, diacritics, edition); note."""
        entries = span.at("commune")
        legacy = [e for e in entries if e.unit.edition == "legacy"]
        new = [e for e in entries if e.unit.edition == "2025"]
        note = ""
        if district is not None:
            pool = [e for e in legacy if e.unit.parent_code == district.code]
            if not pool:
                pool = [e for e in legacy
                        if self.index.former_parent.get(e.unit.code) == district.code]
                note = "moved" if pool else ""
            in_2025 = [e for e in new if district.code in {
                self.index.district_of(u) for u in self.index.sources(e.unit.code)}]
            if span.kind and not any(_accepts(e, span.kind) for e in pool) and \
                    any(_accepts(e, span.kind) for e in in_2025):
                pool, note = [], ""  # 'Xã Nguyễn Nghiêm, Đức Phổ' is the 2025 commune
            pool = pool or in_2025
        else:
            pool = legacy + new
        if not pool:
            return [], "inconsistent"
        if span.kind:
            typed = [e for e in pool if _accepts(e, span.kind)]
            pool = typed or pool
        if self.marked:
            agree = [e for e in pool if _marks_agree(e, self.tokens, span) is not False]
            pool = agree or pool
        names = [e for e in pool if not e.alias]
        if names and len({(e.unit.edition, e.unit.code) for e in pool}) > 1:
            pool = names
        units = {(e.unit.edition, e.unit.code): e for e in pool}
        legacy_units = [e for e in units.values() if e.unit.edition == "legacy"]
        if legacy_units and len(legacy_units) < len(units):
            explained = {self.index.crosswalk_default.get(e.unit.code) for e in legacy_units}
            units = {k: e for k, e in units.items()
                     if e.unit.edition == "legacy" or e.unit.code not in explained}
        return list(units.values()), note

    def commune(self, district: _Span | None, province: _Span | None
                ) -> tuple[_Span | None, list[NameEntry], str]:
        """The commune span below the district (typed, then legacy, then nearest); units, note."""
        bound = district or province
        found = [s for s in self.spans if s.fits("commune") and not s.overlaps(district)
                 and not s.overlaps(province) and (bound is None or s.end <= bound.lead)]
        found.sort(key=lambda s: (-s.end, s.start))
        dunit = _district_unit(district)
        fitting: list[tuple[_Span, list[NameEntry], str]] = []
        misfit: list[_Span] = []
        for span in found:
            if not span.clean:
                span = self.longer_typo(span, dunit) or span
            units, note = self.commune_units(span, dunit)
            if units:
                fitting.append((span, units, note))
            elif span.kind or span.clean:
                misfit.append(span)
        typed_fit = any(f[0].kind for f in fitting)
        if misfit and (not fitting or (misfit[0].kind and not typed_fit)):
            span = misfit[0]  # a commune named with a district it is not in
            return span, [e for e in span.at("commune") if e.unit.edition == "legacy"] or \
                span.at("commune"), "inconsistent"
        if not fitting:
            return None, [], ""
        order = {id(f[0]): i for i, f in enumerate(fitting)}
        return min(fitting, key=lambda f: (
            f[0].kind is None, not any(e.unit.edition == "legacy" for e in f[1]),
            order[id(f[0])]))

    # -- typos -------------------------------------------------------------------------------

    def window_end(self, start: int) -> int:
        """End of the word run starting at `start`: next type word or end of the component."""
        tokens = self.tokens
        j = start
        while j < len(tokens) and tokens[j].seg == tokens[start].seg:
            if j > start and admin_type_at(tokens, j):
                break
            j += 1
        return j

    def windows(self, bound: _Span | None, used: list[_Span | None]
                ) -> list[tuple[int, int, str | None]]:
        """Unmatched word runs that could hold a misspelt unit name, nearest first."""
        tokens = self.tokens
        out: list[tuple[int, int, str | None]] = []
        i = 0
        while i < len(tokens):
            length = admin_type_at(tokens, i)
            level = None
            if length:
                level = ADMIN_TYPES[tuple(t.f for t in tokens[i:i + length])][1]
                if i + length >= len(tokens) or tokens[i + length].seg != tokens[i].seg:
                    i += length
                    continue
            start = i + length
            end = self.window_end(start)
            out.append((start, end, level))
            i = end
        keep = []
        for start, end, level in out:
            probe = _Span(start, end, start, None, None, False, False, ())
            if any(tokens[k].num for k in range(start, end)) or sub_before(tokens, start):
                continue
            if any(probe.overlaps(u) for u in used if u is not None):
                continue
            if any(s.start <= start and end <= s.end for s in self.spans):
                continue  # the words are a known name, rejected on purpose
            if bound is not None and end > bound.lead:
                continue
            keep.append((start, end, level))
        keep.sort(key=lambda w: -w[1])
        return keep

    def longer_typo(self, span: _Span, district: Unit | None) -> _Span | None:
        """'Tịnh Ấn Tâyy' matched 'Tịnh An' exactly: prefer a close match of all the words."""
        end = self.window_end(span.lead if span.kind else span.start)
        end = min([end, *(s.start for s in self.spans if s.start >= span.end)])
        if end <= span.end or any(t.num for t in self.tokens[span.end:end]):
            return None
        choices = list(self.index.district_communes.get(district.code, ())) if district else \
            list(self.index.all_communes)
        found = self.fuzzy(choices, [(span.start, end, span.level)], "commune")
        if found is None or found.ratio < FUZZY_TYPED:
            return None
        if {e.unit.code for e in found.entries} <= {e.unit.code for e in span.entries}:
            return None
        return found

    def fuzzy(self, choices: list[NameEntry], windows: list[tuple[int, int, str | None]],
              level: str) -> _Span | None:
        """Typo-tolerant match of the nearest window against a small list of units."""
        if not choices:
            return None
        keys = [e.key for e in choices]
        for start, end, wlevel in windows:
            if wlevel not in (None, level):
                continue
            query = "".join(t.f for t in self.tokens[start:end])
            if not 4 <= len(query) <= 30:
                continue
            cutoff = FUZZY_TYPED if wlevel == level else FUZZY_UNTYPED
            hits = process.extract(query, keys, scorer=fuzz.ratio, limit=4, score_cutoff=cutoff)
            if not hits:
                continue
            best = hits[0][1]
            top = [choices[i] for _, score, i in hits if score >= best - FUZZY_MARGIN]
            entries = tuple({(e.unit.edition, e.unit.code): e for e in top}.values())
            return _make_span(self.tokens, start, end, entries, ratio=best)
        return None


def _accepts(entry: NameEntry, kind: str) -> bool:
    """True when the type word written before a name fits the unit (or its former type)."""
    return not entry.types or kind in entry.types


def _district_unit(span: _Span | None) -> Unit | None:
    if span is None:
        return None
    units = [e.unit for e in span.at("district") if e.unit.edition == "legacy"]
    return units[0] if units else None


def _candidate(index: GazetteerIndex, unit: Unit) -> dict[str, str | None]:
    if unit.edition == "legacy":
        district = index.district_of(unit)
    else:
        districts = {index.district_of(u) for u in index.sources(unit.code)}
        district = districts.pop() if len(districts) == 1 else None
    return {"code": unit.code, "name": unit.name, "district_code": district,
            "edition": unit.edition}


def _place(result: GeocodeResult, unit: Unit | None, precision: str) -> None:
    result.precision = precision
    if unit is not None and unit.lon is not None:
        result.lon, result.lat = unit.lon, unit.lat
        result.method = f"centroid:{precision}"


def _fill_district(index: GazetteerIndex, result: GeocodeResult, code: str | None) -> None:
    unit = index.unit("legacy", code)
    if unit is not None:
        result.district_code = unit.code
        result.district_name = unit.name
        if result.commune_code_2025 is None and unit.code in index.crosswalk_default:
            code_2025 = index.crosswalk_default[unit.code]  # island district (Lý Sơn)
            _fill_2025(index, result, code_2025)


def _fill_2025(index: GazetteerIndex, result: GeocodeResult, code: str | None) -> None:
    unit = index.unit("2025", code)
    if unit is not None:
        result.commune_code_2025 = unit.code
        result.commune_name_2025 = unit.name


def _resolve_units(index: GazetteerIndex, result: GeocodeResult, entries: list[NameEntry],
                   district: Unit | None) -> None:
    """Fill the result from the unit(s) a commune span means."""
    units = [e.unit for e in entries]
    if len(units) == 1:
        unit = units[0]
        if unit.edition == "legacy":
            result.commune_code, result.commune_name = unit.code, unit.name
            _fill_2025(index, result, index.crosswalk_default.get(unit.code))
            _fill_district(index, result, unit.parent_code)
            _place(result, unit, "commune")
            result.status = "ok"
            return
        _fill_2025(index, result, unit.code)
        sources = index.sources(unit.code)
        if len(sources) == 1 and sources[0].level == "commune":
            result.commune_code, result.commune_name = sources[0].code, sources[0].name
            _fill_district(index, result, sources[0].parent_code)
            _place(result, sources[0], "commune")
            result.status = "ok"
            return
        districts = {index.district_of(u) for u in sources}
        result.status = "ok"
        if len(districts) == 1:
            code = districts.pop()
            _fill_district(index, result, code)
            _place(result, index.unit("legacy", code), "district")
            if not (len(sources) == 1 and sources[0].level == "district"):
                result.issues.append(
                    f"{unit.name} is a 2025 commune made of "
                    + ", ".join(u.name for u in sources)
                    + "; the legacy commune is not known")
        else:
            _place(result, index.province, "province")
            result.issues.append(f"{unit.name} is a 2025 commune outside the legacy units")
        return
    _ambiguous(index, result, units, district)


def _ambiguous(index: GazetteerIndex, result: GeocodeResult, units: list[Unit],
               district: Unit | None) -> None:
    result.status = "ambiguous"
    result.candidates = [_candidate(index, u) for u in units]
    districts = {c["district_code"] for c in result.candidates}
    if district is not None:
        districts = {district.code}
    if len(districts) == 1 and None not in districts:
        code = districts.pop()
        _fill_district(index, result, code)
        _place(result, index.unit("legacy", code), "district")
    else:
        _place(result, index.province, "province")
    targets = {c["code"] if c["edition"] == "2025" else index.crosswalk_default.get(c["code"] or "")
               for c in result.candidates}
    if len(targets) == 1:
        _fill_2025(index, result, targets.pop())
    result.issues.append(
        "several units fit equally: " + ", ".join(
            f"{c['name']} ({c['code']})" for c in result.candidates))


def _score(span: _Span | None, district: _Span | None, province: _Span | None,
           note: str) -> float:
    if span is None:
        return 0.0
    score = span.ratio / 100 if span.ratio < 100 else 1.0
    if span.ratio < 100:
        score *= 0.9
    if span.kind is None and not span.clean:
        score -= 0.05
    if district is None and province is None:
        score -= 0.03
    if any(e.alias for e in span.entries) and not any(not e.alias for e in span.entries):
        score -= 0.02
    if note == "moved":
        score -= 0.03
    return round(max(0.0, min(1.0, score)), 3)


def geocode_address(index: GazetteerIndex, text: str | None) -> GeocodeResult:
    """Resolve a free-text address to legacy commune/district and 2025 commune codes."""
    result = GeocodeResult()
    p = _Parser(index, text or "")
    if not p.tokens:
        result.issues.append("empty address")
        return result
    province = p.province()
    other = p.other_province(province)
    if other is not None:
        result.issues.append(f"address is in {other.name}, not in Quảng Ngãi")
        return result
    district = p.district(province)
    if district is None:
        windows = [w for w in p.windows(province, [province]) if w[2] in (None, "district")]
        district = p.fuzzy(list(index.all_districts), windows[:1], "district")
        if district is not None:
            words = " ".join(t.f for t in p.tokens[district.start:district.end])
            result.issues.append(f"spelling corrected: '{words}'")
    dunit = _district_unit(district)
    span, entries, note = p.commune(district, province)
    if span is None:
        span, entries, note = _fuzzy_commune(p, result, district, province)
    if span is not None and note == "inconsistent":
        return _inconsistent(index, result, entries, dunit)
    if span is not None:
        if span.ratio < 100:
            words = " ".join(t.f for t in p.tokens[span.start:span.end])
            result.issues.append(f"spelling corrected: '{words}'")
        _resolve_units(index, result, entries, dunit)
        if note == "moved" and dunit is not None and result.commune_name:
            result.issues.append(
                f"{result.commune_name} moved from {dunit.name} to {result.district_name}")
        result.score = 0.5 if result.status == "ambiguous" else _score(
            span, district, province, note)
        if result.status == "ok" and result.precision != "commune":
            result.score = min(result.score, 0.9)
        return result
    if district is not None and dunit is not None:
        also = p.also_communes(district)
        if also:
            _ambiguous(index, result, [*also, dunit], None)
            result.score = 0.5
            return result
        _fill_district(index, result, dunit.code)
        _place(result, dunit, "district")
        result.status = "ok"
        result.score = 0.9 if district.kind or district.clean else 0.85
        if district.ratio < 100:
            result.score = round(0.85 * district.ratio / 100, 3)
        return result
    if province is not None and any(e.unit.edition == "legacy" for e in province.entries):
        _place(result, index.province, "province")
        result.status = "ok"
        result.score = 0.5
        return result
    if province is not None:
        result.issues.append("former Kon Tum province: no legacy unit to map to")
    else:
        result.issues.append("no unit of Quảng Ngãi recognised")
    return result


def _fuzzy_commune(p: _Parser, result: GeocodeResult, district: _Span | None,
                   province: _Span | None) -> tuple[_Span | None, list[NameEntry], str]:
    """Typo fallback, bounded to the district's communes when the district is known."""
    index = p.index
    dunit = _district_unit(district)
    windows = p.windows(district or province, [district, province])
    choices = list(index.district_communes.get(dunit.code, ())) if dunit else \
        list(index.all_communes)
    fuzzy = p.fuzzy(choices, windows, "commune")
    if fuzzy is not None:
        entries, note = p.commune_units(fuzzy, dunit)
        if entries:
            return fuzzy, entries, note
    if dunit is not None and dunit.code not in index.district_communes:
        result.issues.append(f"{dunit.name} has no commune-level units in the legacy edition")
    elif windows and dunit is not None and windows[0][2] == "commune":
        start, end, _ = windows[0]
        words = " ".join(t.f for t in p.tokens[start:end])
        result.issues.append(f"commune '{words}' not found in {dunit.name}")
    return None, [], ""


def _inconsistent(index: GazetteerIndex, result: GeocodeResult, entries: list[NameEntry],
                  dunit: Unit | None) -> GeocodeResult:
    """A commune named with a district it is not in: list both, answer their common parent."""
    units = [e.unit for e in entries]
    if dunit is not None:
        result.issues.append(", ".join(u.name for u in units) + f" is not in {dunit.name}")
        units = [*units, dunit]
    _ambiguous(index, result, units, None)
    result.score = 0.3
    return result


def locate(conn_or_index: Connection | GazetteerIndex, address: str | None,
           lat_raw: object = None, lon_raw: object = None,
           vn2000_crs: str = "EPSG:5898") -> GeocodeResult:
    """Exact point from coordinates when usable, checked against the address; else the address."""
    # pass a GazetteerIndex for many rows: a connection builds a fresh index on every call
    index = conn_or_index if isinstance(conn_or_index, GazetteerIndex) else \
        load_index(conn_or_index)
    result = geocode_address(index, address) if address and address.strip() else GeocodeResult()
    if lat_raw in (None, "") and lon_raw in (None, ""):
        return result
    point = parse_point(lat_raw, lon_raw, vn2000_crs=vn2000_crs, bbox=index.bbox)
    if not point.accepted or point.lon is None or point.lat is None:
        result.issues.extend(point.issues)
        if address and address.strip():
            result.issues.append("coordinates not used: located by the address")
        return result
    return _with_point(index, result, point)


def _with_point(index: GazetteerIndex, by_address: GeocodeResult,
                point: ParsedPoint) -> GeocodeResult:
    assert point.lon is not None and point.lat is not None
    result = GeocodeResult(precision="exact", lon=point.lon, lat=point.lat,
                           method=point.method, status="ok", score=1.0,
                           issues=[*by_address.issues, *point.issues])
    at_commune = index.unit_at("commune", point.lon, point.lat)
    at_district = index.unit_at("district", point.lon, point.lat)
    found = at_commune or at_district
    if found is None:
        # nothing to check against: keep what the address says
        for name in ("commune_code", "commune_name", "district_code", "district_name",
                     "commune_code_2025", "commune_name_2025"):
            setattr(result, name, getattr(by_address, name))
        result.issues.append("no commune boundary contains the point" if index.has_boundaries
                             else "no boundaries loaded: point not checked against the address")
        if by_address.status in ("ambiguous", "conflict"):
            result.candidates = by_address.candidates
        return result
    unit, quality = found
    if unit.level == "commune":
        result.commune_code, result.commune_name = unit.code, unit.name
        _fill_2025(index, result, index.crosswalk_default.get(unit.code))
        _fill_district(index, result, unit.parent_code)
    else:
        _fill_district(index, result, unit.code)
        if by_address.commune_code and by_address.district_code == unit.code:
            result.commune_code, result.commune_name = by_address.commune_code, \
                by_address.commune_name
            result.commune_code_2025 = by_address.commune_code_2025
            result.commune_name_2025 = by_address.commune_name_2025
    approx = " (approximate boundary)" if quality == "approximate" else ""
    here = f"{unit.name}{approx}" if unit.level == "commune" else \
        f"{result.district_name}{approx}"
    said = by_address.commune_code if unit.level == "commune" else None
    named = [c for c in by_address.candidates if c["edition"] == "legacy"]
    if said and said != unit.code:
        result.issues.append(
            f"point lies in {here} but the address names {by_address.commune_name}")
    elif by_address.district_code and by_address.district_code != result.district_code:
        result.issues.append(
            f"point lies in {here} but the address names {by_address.district_name}")
    elif named and not any(c["code"] in (result.commune_code, result.district_code)
                           for c in named):
        result.issues.append(
            f"point lies in {here} but the address names "
            + " or ".join(str(c["name"]) for c in named))
    else:
        if named:
            result.issues = [i for i in result.issues if not i.startswith("several units")]
            result.issues.append(f"the point settles the ambiguous address: {here}")
        return result
    result.status = "conflict"
    result.score = 0.5
    if quality == "approximate" and by_address.commune_code:
        # An approximate polygon is weaker evidence than a named commune: keep the address's
        # units (the point stays exact) and leave the disagreement to the district review.
        for name in ("commune_code", "commune_name", "district_code", "district_name",
                     "commune_code_2025", "commune_name_2025"):
            setattr(result, name, getattr(by_address, name))
        result.issues.append("kept the address's commune: the boundaries are approximate")
    by_text = named or [{
        "code": by_address.commune_code or by_address.district_code,
        "name": by_address.commune_name or by_address.district_name,
        "district_code": by_address.district_code, "edition": "legacy"}]
    by_point = {"code": unit.code, "name": unit.name, "district_code": result.district_code,
                "edition": "legacy"}
    result.candidates = [*by_text, by_point]
    return result
