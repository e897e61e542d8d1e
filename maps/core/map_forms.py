"""The fields of the map pages' filter forms (plain GET forms that reload the page).

Fields are data; maps/templates/map/macros.html draws them (`filter_form`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from geo.analytics.filters import DEFAULT_STATUSES, ProjectFilter
from maps.core.palette import SOURCE_LABELS

ALL = ("", "Tất cả")


@dataclass(frozen=True)
class Select:
    """A labelled <select>; the option whose value equals `selected` is selected."""

    name: str
    label: str
    choices: Sequence[tuple[str, str]]
    selected: str
    kind: Literal["select"] = "select"


@dataclass(frozen=True)
class TextInput:
    """A labelled text input, with an optional hint below it."""

    name: str
    label: str
    value: str
    placeholder: str = ""
    hint: str = ""
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class Hidden:
    """A hidden field keeping a value of the URL."""

    name: str
    value: str
    kind: Literal["hidden"] = "hidden"


Field = Select | TextInput | Hidden


def select(name: str, label: str, choices: Sequence[tuple[str, str]], selected: str) -> Select:
    """A labelled <select>; the option whose value equals SELECTED is selected."""
    return Select(name, label, tuple(choices), selected)


def text_input(name: str, label: str, value: str, placeholder: str = "",
               hint: str = "") -> TextInput:
    """A labelled text input, with an optional hint below it."""
    return TextInput(name, label, value, placeholder, hint)


def project_fields(flt: ProjectFilter, activity_types: Mapping[str, str]) -> list[Field]:
    """Years, funding source and activity type fields of a project filter."""
    source = flt.sources[0] if len(flt.sources) == 1 else ""
    activity = flt.activities[0] if len(flt.activities) == 1 else ""
    fields: list[Field] = [
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
        fields.append(Hidden("status", ",".join(flt.statuses)))
    return fields


def url_with(path: str, params: Mapping[str, str]) -> str:
    """PATH with the non-empty PARAMS as a query string."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path
