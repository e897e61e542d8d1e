"""Query parameters of the project filter, shared by the coverage, gaps and project routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from geo.analytics.filters import ProjectFilter, parse_filter
from geo.core.db import Connection
from geo.core.vocab import Allocation, Edition, Level
from geo.publish.map_views import ViewQuery


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


LEVEL = Query(Level.commune, description="unit level")
EDITION = Query(Edition.legacy, description="legacy (before 1 July 2025) | 2025 (after)")
ALLOCATION = Query(Allocation.none,
                   description="how district-level projects are shared out over the communes")
DISTRICT = Query(None, max_length=10, description="legacy district code (empty = all)")
TRADE = Query(None, max_length=200, description="trade (establishments, villages)")


def view_query(q: Filters, level: Level = LEVEL, edition: Edition = EDITION,
               allocation: Allocation = ALLOCATION, district: str | None = DISTRICT,
               trade: str | None = TRADE) -> ViewQuery:
    """The query parameters of a map view (PNG, downloads, briefing), typed."""
    return ViewQuery(level=level, edition=edition, allocation=allocation, years=q.years,
                     source=q.source, activity=q.activity, status=q.status,
                     district=district or None, trade=trade or None)


ViewParams = Annotated[ViewQuery, Depends(view_query)]
