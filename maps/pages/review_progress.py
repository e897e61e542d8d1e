"""Review progress per district (% of establishments confirmed) as HTML and as a map box.

`review_progress_box(rows)` is ready for the coverage map: `review_progress_box(
geo.records.review.review_progress(conn)).add_to(m)` adds a small box listing every district.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from maps.core.format import esc, format_int
from maps.core.legend import MapBox


def percent_text(row: dict[str, Any]) -> str:
    """'42,5 %' (Vietnamese decimal comma), or '–' for a district without establishments."""
    pct = row["percent_confirmed"]
    return "–" if pct is None else f"{pct:.1f}".replace(".", ",") + " %"


def progress_rows_html(rows: Sequence[dict[str, Any]], linked: Collection[str] = ()) -> str:
    """Table rows: district (a link to its review page when in `linked`), counts, percent."""
    out = []
    for r in rows:
        name = esc(r["district_name"])
        if r["district_code"] in linked:
            name = f'<a href="/review/{esc(r["district_code"])}">{name}</a>'
        out.append(
            f'<tr data-district="{esc(r["district_code"])}"><td>{name}</td>'
            f'<td class="kc-num">{esc(format_int(r["total"]))}</td>'
            f'<td class="kc-num">{esc(format_int(r["confirmed"]))}</td>'
            f'<td class="kc-num kc-pct">{esc(percent_text(r))}</td>'
            f'<td class="kc-num">{esc(format_int(r["conflicts"]))}</td></tr>')
    return "".join(out)


def progress_table_html(rows: Sequence[dict[str, Any]], linked: Collection[str] = ()) -> str:
    """A table of review progress per district."""
    return ('<table class="kc-table kc-progress"><thead><tr><th>Huyện</th><th>Số cơ sở</th>'
            '<th>Đã xác nhận</th><th>Tỷ lệ</th><th>Xung đột</th></tr></thead>'
            f"<tbody>{progress_rows_html(rows, linked)}</tbody></table>")


def review_progress_box(rows: Sequence[dict[str, Any]], position: str = "bottomleft"
                        ) -> MapBox:
    """A map box: '% vị trí đã xác nhận' per district (every text escaped)."""
    items = "".join(
        f"<li>{esc(r['district_name'])}: {esc(percent_text(r))}</li>" for r in rows
        if r["total"])
    html = ('<div class="kc-legend-title">Tiến độ rà soát vị trí cơ sở CNNT</div>'
            f'<ul class="kc-legend-list">{items}</ul>'
            '<p class="kc-legend-note">Tỷ lệ cơ sở đã được huyện xác nhận hoặc sửa vị trí.</p>')
    return MapBox(html, position, "kc-review-progress")
