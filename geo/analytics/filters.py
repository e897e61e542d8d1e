"""Project filters shared by indicators, gaps, project lists and maps: years, source, activity."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.vocab import FundingSource, ProjectStatus

DEFAULT_YEARS = (2021, 2025)
DEFAULT_STATUSES = ("approved", "in_progress", "completed")
ALL_STATUSES = tuple(s.value for s in ProjectStatus)
SOURCES = tuple(s.value for s in FundingSource)
MIN_YEAR, MAX_YEAR = 2000, 2100
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|–|—|\.\.)\s*(\d{4})\s*$")


def _default_years() -> tuple[int, ...]:
    return tuple(range(DEFAULT_YEARS[0], DEFAULT_YEARS[1] + 1))


@dataclass(frozen=True)
class ProjectFilter:
    """Which projects count: years, funding sources, activity types, statuses (empty = all)."""

    years: tuple[int, ...] = field(default_factory=_default_years)
    sources: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = DEFAULT_STATUSES

    def params(self) -> dict[str, Any]:
        """Parameters of FILTER_SQL."""
        return {"f_years": list(self.years), "f_sources": list(self.sources),
                "f_activities": list(self.activities), "f_statuses": list(self.statuses)}

    def year_span(self) -> tuple[int, int]:
        """First and last year."""
        return self.years[0], self.years[-1]

    def years_text(self) -> str:
        """'2021–2025' for a run of years, else '2021, 2023'."""
        y = self.years
        if len(y) > 1 and y[-1] - y[0] + 1 == len(y):
            return f"{y[0]}–{y[-1]}"
        return ", ".join(str(v) for v in y)

    def to_dict(self) -> dict[str, list[Any]]:
        """The filter as JSON-ready lists."""
        return {"years": list(self.years), "sources": list(self.sources),
                "activities": list(self.activities), "statuses": list(self.statuses)}

    def years_param(self) -> str:
        """The years as a query value: '2021-2025' for a run, else '2021,2023'."""
        y = self.years
        if len(y) > 1 and y[-1] - y[0] + 1 == len(y):
            return f"{y[0]}-{y[-1]}"
        return ",".join(str(v) for v in y)

    def query(self) -> dict[str, str]:
        """The filter as URL query parameters (only what differs from the defaults)."""
        out: dict[str, str] = {}
        if self.years != _default_years():
            out["years"] = self.years_param()
        if self.sources:
            out["source"] = ",".join(self.sources)
        if self.activities:
            out["activity"] = ",".join(self.activities)
        if self.statuses != DEFAULT_STATUSES:
            out["status"] = ",".join(self.statuses)
        return out


# The WHERE clause of a project row `p` matching a ProjectFilter (parameters from params()).
FILTER_SQL = """p.archived_at IS NULL
  AND p.year = ANY(%(f_years)s::int[]) AND p.status = ANY(%(f_statuses)s::text[])
  AND (cardinality(%(f_sources)s::text[]) = 0 OR p.funding_source = ANY(%(f_sources)s::text[]))
  AND (cardinality(%(f_activities)s::text[]) = 0
       OR p.activity_type = ANY(%(f_activities)s::text[]))"""


def _items(text: str | None) -> list[str]:
    """Comma-separated items, stripped, empty ones dropped."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def parse_years(text: str | None) -> tuple[int, ...]:
    """'2021-2025', '2022' or '2021,2023' (mixed allowed) -> sorted years; empty = default."""
    parts = _items(text)
    if not parts:
        return _default_years()
    years: set[int] = set()
    for part in parts:
        m = _RANGE.match(part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
        elif part.isdigit() and len(part) == 4:
            lo = hi = int(part)
        else:
            raise InvalidInput(f"Năm: {part!r} không phải một năm hay một khoảng như 2021-2025")
        if lo > hi:
            raise InvalidInput(f"Năm: khoảng {lo}–{hi} bị đảo ngược")
        if lo < MIN_YEAR or hi > MAX_YEAR:
            raise InvalidInput(f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}")
        years.update(range(lo, hi + 1))
    return tuple(sorted(years))


def parse_sources(text: str | None) -> tuple[str, ...]:
    """'KCQG', 'KCĐP' or both (comma list, any case); empty or 'all' = every source."""
    out: list[str] = []
    for part in _items(text):
        key = part.upper().replace("Đ", "D")
        if key in ("ALL", "*"):
            return ()
        if key not in SOURCES:
            raise InvalidInput(f"Nguồn kinh phí phải là KCQG hoặc KCĐP, không phải {part!r}")
        if key not in out:
            out.append(key)
    return () if set(out) == set(SOURCES) else tuple(sorted(out))


def parse_statuses(text: str | None) -> tuple[str, ...]:
    """Comma list of project statuses; empty = approved, in progress, completed."""
    parts = _items(text)
    if not parts:
        return DEFAULT_STATUSES
    if parts == ["all"]:
        return ALL_STATUSES
    unknown = [s for s in parts if s not in ALL_STATUSES]
    if unknown:
        raise InvalidInput(f"Trạng thái đề án phải là một trong: {', '.join(ALL_STATUSES)}")
    return tuple(s for s in ALL_STATUSES if s in parts)


def activity_types(conn: Connection) -> dict[str, str]:
    """Activity type code -> Vietnamese name, in code order."""
    with conn.cursor() as cur:
        cur.execute("SELECT code, name_vi FROM activity_type ORDER BY code")
        return {str(code): str(name) for code, name in cur.fetchall()}


def parse_activities(conn: Connection, text: str | None) -> tuple[str, ...]:
    """Comma list of activity type codes checked against the database; empty = all."""
    parts = _items(text)
    if not parts or parts == ["all"]:
        return ()
    known = activity_types(conn)
    unknown = [a for a in parts if a not in known]
    if unknown:
        raise InvalidInput(f"Hoạt động phải là một trong: {', '.join(known)}; "
                           f"không có {unknown[0]!r}")
    return tuple(sorted(set(parts)))


def parse_filter(conn: Connection, years: str | None = None, source: str | None = None,
                 activity: str | None = None, status: str | None = None) -> ProjectFilter:
    """A ProjectFilter from query-string values; InvalidInput names the bad one."""
    return ProjectFilter(parse_years(years), parse_sources(source),
                         parse_activities(conn, activity), parse_statuses(status))

