"""The address parser: finds the province, district and commune mentioned in an address."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from geo.gazetteer.index import GazetteerIndex, NameEntry, Unit
from geo.geocoding.addrnorm import (
    ADMIN_TYPES,
    admin_type_at,
    sub_before,
    tokenize,
)
from geo.geocoding.spans import Span, district_unit, in_usual_order, make_span, marks_agree

FUZZY_TYPED = 84.0  # rapidfuzz ratio needed for a typo after an explicit type word
FUZZY_UNTYPED = 90.0
FUZZY_MARGIN = 6.0  # the best typo match must beat the next unit by this much

class AddressParser:
    """One address being resolved."""

    def __init__(self, index: GazetteerIndex, text: str) -> None:
        self.index = index
        self.tokens, self.spans = in_usual_order(index, tokenize(text))
        self.marked = any(t.m != t.f for t in self.tokens)  # the writer uses diacritics

    # -- province and district -------------------------------------------------------------

    def province(self) -> Span | None:
        """Rightmost mention of Quảng Ngãi as a province."""
        found = [s for s in self.spans if s.fits("province") and s.kind in (None, "tinh")
                 and any(e.unit.edition in ("legacy", "former") for e in s.at("province"))]
        return max(found, key=lambda s: s.start, default=None)

    def other_province(self, province: Span | None) -> Unit | None:
        """Another province named at the end of the address (the address is not ours)."""
        last_seg = self.tokens[-1].seg
        for s in reversed(self.spans):  # spans come by first word, no two share one
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

    def district(self, province: Span | None) -> Span | None:
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
        district_marks = [marks_agree(e, self.tokens, best) for e in best.at("district")]
        commune_marks = [marks_agree(e, self.tokens, best) for e in best.at("commune")]
        lower = [s for s in self.spans if s.fits("commune") and s.end <= best.lead]
        if False in district_marks and True not in district_marks and True in commune_marks \
                and not lower:
            return None
        return best

    def also_communes(self, district: Span) -> list[Unit]:
        """Communes the district's own words could also name ('ba to': TT Ba Tơ, Ba Tô).

        Legacy communes, and 2025 communes of that name unless the district or one of those
        legacy communes became that very 2025 commune ('Sơn Tịnh': the district and the 2025
        Xã Sơn Tịnh; 'Lý Sơn': the district is the 2025 Đặc khu Lý Sơn, nothing else)."""
        if district.kind is not None or district.ratio < 100:
            return []
        entries = [e for e in district.at("commune")
                   if e.unit.edition == "legacy" or (e.unit.edition == "2025" and not e.alias)]
        if self.marked:
            entries = [e for e in entries if marks_agree(e, self.tokens, district) is not False]
        legacy = {e.unit.code: e.unit for e in entries if e.unit.edition == "legacy"}
        dunit = district_unit(district)
        default = self.index.crosswalk_default
        became = {default.get(code) for code in [*legacy, dunit.code if dunit else ""]}
        new = {e.unit.code: e.unit for e in entries
               if e.unit.edition == "2025" and e.unit.code not in became}
        return [*legacy.values(), *new.values()]

    # -- communes ----------------------------------------------------------------------------

    def commune_units(self, span: Span, district: Unit | None) -> tuple[list[NameEntry], str]:
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
            in_2025 = [e for e in new
                       if district.code in self.index.districts_2025.get(e.unit.code, ())]
            if span.kind and not any(accepts(e, span.kind) for e in pool) and \
                    any(accepts(e, span.kind) for e in in_2025):
                pool, note = [], ""  # 'Xã Nguyễn Nghiêm, Đức Phổ' is the 2025 commune
            pool = pool or in_2025
        else:
            pool = legacy + new
        if not pool:
            return [], "inconsistent"
        if len(pool) == 1:
            return pool, note  # the rules below only choose among several
        if span.kind:
            typed = [e for e in pool if accepts(e, span.kind)]
            pool = typed or pool
        if self.marked:
            agree = [e for e in pool if marks_agree(e, self.tokens, span) is not False]
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

    def commune(self, district: Span | None, province: Span | None
                ) -> tuple[Span | None, list[NameEntry], str]:
        """The commune span below the district (typed, then legacy, then nearest); units, note."""
        bound = district or province
        found = [s for s in self.spans if s.fits("commune") and not s.overlaps(district)
                 and not s.overlaps(province) and (bound is None or s.end <= bound.lead)]
        if len(found) > 1:
            found.sort(key=lambda s: (-s.end, s.start))
        dunit = district_unit(district)
        fitting: list[tuple[Span, list[NameEntry], str]] = []
        misfit: list[Span] = []
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
        if len(fitting) == 1:
            return fitting[0]
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

    def windows(self, bound: Span | None, used: list[Span | None]
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
            if bound is not None and end > bound.lead:
                continue
            if any(start < u.end and u.lead < end for u in used if u is not None):
                continue  # the words overlap a span already used
            if any(s.start <= start and end <= s.end for s in self.spans):
                continue  # the words are a known name, rejected on purpose
            if any(tokens[k].num for k in range(start, end)) or sub_before(tokens, start):
                continue
            keep.append((start, end, level))
        keep.sort(key=lambda w: -w[1])
        return keep

    def longer_typo(self, span: Span, district: Unit | None) -> Span | None:
        """'Tịnh Ấn Tâyy' matched 'Tịnh An' exactly: prefer a close match of all the words."""
        end = self.window_end(span.lead if span.kind else span.start)
        end = min([end, *(s.start for s in self.spans if s.start >= span.end)])
        if end <= span.end or any(t.num for t in self.tokens[span.end:end]):
            return None
        choices = self.index.district_communes.get(district.code, ()) if district else \
            self.index.all_communes
        found = self.fuzzy(choices, [(span.start, end, span.level)], "commune")
        if found is None or found.ratio < FUZZY_TYPED:
            return None
        if {e.unit.code for e in found.entries} <= {e.unit.code for e in span.entries}:
            return None
        return found

    def fuzzy(self, choices: Sequence[NameEntry], windows: list[tuple[int, int, str | None]],
              level: str) -> Span | None:
        """Typo-tolerant match of the nearest window against a small list of units."""
        if not choices:
            return None
        keys: list[str] | None = None
        for start, end, wlevel in windows:
            if wlevel not in (None, level):
                continue
            query = "".join(t.f for t in self.tokens[start:end])
            if not 4 <= len(query) <= 30:
                continue
            cutoff = FUZZY_TYPED if wlevel == level else FUZZY_UNTYPED
            if keys is None:
                keys = self.index.entry_keys(choices)
            hits = process.extract(query, keys, scorer=fuzz.ratio, limit=4, score_cutoff=cutoff)
            if not hits:
                continue
            best = hits[0][1]
            top = [choices[i] for _, score, i in hits if score >= best - FUZZY_MARGIN]
            entries = tuple({(e.unit.edition, e.unit.code): e for e in top}.values())
            return make_span(self.tokens, start, end, entries, ratio=best)
        return None


def accepts(entry: NameEntry, kind: str) -> bool:
    """True when the type word written before a name fits the unit (or its former type)."""
    return not entry.types or kind in entry.types
