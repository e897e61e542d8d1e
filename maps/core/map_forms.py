"""The filter form of the map pages: plain GET forms that reload the page (escaped HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from geo.analytics.filters import DEFAULT_STATUSES, ProjectFilter
from maps.core.format import esc
from maps.core.palette import SOURCE_LABELS

ALL = ("", "Tất cả")


def select(name: str, label: str, choices: Sequence[tuple[str, str]], selected: str) -> str:
    """A labelled <select>; the option whose value equals SELECTED is selected."""
    options = "".join(
        f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(text)}</option>'
        for v, text in choices)
    return (f'<label class="kc-field"><span>{esc(label)}</span>'
            f'<select name="{esc(name)}">{options}</select></label>')


def text_input(name: str, label: str, value: str, placeholder: str = "",
               hint: str = "") -> str:
    """A labelled text input, with an optional hint below it."""
    hint_html = f'<small class="kc-hint">{esc(hint)}</small>' if hint else ""
    return (f'<label class="kc-field"><span>{esc(label)}</span>'
            f'<input type="text" name="{esc(name)}" value="{esc(value)}" '
            f'placeholder="{esc(placeholder)}" autocomplete="off">{hint_html}</label>')


def project_fields(flt: ProjectFilter, activity_types: Mapping[str, str]) -> list[str]:
    """Years, funding source and activity type fields of a project filter."""
    source = flt.sources[0] if len(flt.sources) == 1 else ""
    activity = flt.activities[0] if len(flt.activities) == 1 else ""
    fields = [
        text_input("years", "Năm", flt.years_param(), "2021-2025",
                   "Một năm (2023), khoảng (2021-2025) hoặc danh sách (2021,2023)"),
        select("source", "Nguồn kinh phí", [ALL, *SOURCE_LABELS.items()], source),
        select("activity", "Hoạt động khuyến công", [ALL, *activity_types.items()], activity),
    ]
    if len(flt.activities) > 1:  # a list given in the URL: keep it unless the user picks one
        fields[-1] = select("activity", "Hoạt động khuyến công",
                            [(",".join(flt.activities), "Nhiều hoạt động (theo đường dẫn)"),
                             ALL, *activity_types.items()], ",".join(flt.activities))
    if flt.statuses != DEFAULT_STATUSES:
        fields.append(f'<input type="hidden" name="status" value="{esc(",".join(flt.statuses))}">')
    return fields


def filter_form(action: str, fields: Sequence[str]) -> str:
    """A GET form of FIELDS with submit and reset; submitting reloads the map."""
    return (f'<form class="kc-filter" method="get" action="{esc(action)}">{"".join(fields)}'
            '<div class="kc-buttons"><button type="submit">Cập nhật bản đồ</button> '
            f'<a href="{esc(action)}">Đặt lại</a></div></form>')


def url_with(path: str, params: Mapping[str, str]) -> str:
    """PATH with the non-empty PARAMS as a query string."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def downloads_html(links: Sequence[tuple[str, str]]) -> str:
    """'Tải về: CSV · XLSX' links."""
    items = " · ".join(f'<a href="{esc(url)}" download>{esc(label)}</a>' for label, url in links)
    return f'<p class="kc-downloads">Tải về: {items}</p>'
