"""Review progress per district (% of establishments confirmed) as table rows and a map box.

`review_progress_box(rows)` is ready for the coverage map: `review_progress_box(
geo.records.review.review_progress(conn)).add_to(m)` adds a small box listing every district.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from maps.core.legend import MapBox
from maps.core.templates import render


def percent_text(row: dict[str, Any]) -> str:
    """'42,5 %' (Vietnamese decimal comma), or '–' for a district without establishments."""
    pct = row["percent_confirmed"]
    return "–" if pct is None else f"{pct:.1f}".replace(".", ",") + " %"


def progress_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their percent text ('pct'), for review/macros.html progress_table."""
    return [{**r, "pct": percent_text(r)} for r in rows]


def review_progress_html(rows: Sequence[dict[str, Any]]) -> Markup:
    """'% vị trí đã xác nhận' per district (for the side panel of the coverage map)."""
    return render("boxes/review_progress.html",
                  rows=[(r["district_name"], percent_text(r)) for r in rows if r["total"]])


def review_progress_box(rows: Sequence[dict[str, Any]], position: str = "bottomleft"
                        ) -> MapBox:
    """A map box: '% vị trí đã xác nhận' per district."""
    return MapBox(review_progress_html(rows), position, "kc-review-progress")
