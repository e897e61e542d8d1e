"""Query parameters of the project filter, shared by the coverage, gaps and project routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from geo.analytics.filters import ProjectFilter, parse_filter
from geo.core.db import Connection


@dataclass
class FilterQuery:
    """years, source, activity and status as given in the URL (checked by geo.analytics.filters)."""

    years: str | None = Query(None, max_length=200,
                              description="2021-2025 (default), 2023, or 2021,2023")
    source: str | None = Query(None, max_length=40, description="KCQG | KCDP (empty = both)")
    activity: str | None = Query(None, max_length=400,
                                 description="activity type code(s), comma-separated")
    status: str | None = Query(None, max_length=200,
                               description="project statuses (default approved, in_progress, "
                                           "completed; 'all' for every status)")

    def parse(self, conn: Connection) -> ProjectFilter:
        """The checked ProjectFilter (InvalidInput names a bad value)."""
        return parse_filter(conn, self.years, self.source, self.activity, self.status)


Filters = Annotated[FilterQuery, Depends()]
