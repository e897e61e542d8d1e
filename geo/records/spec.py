"""What may be edited on each kind of record, and how a submitted value is checked."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from geo.core.errors import InvalidInput

MAX_REASON = 1000
PROJECT_STATUSES = ("planned", "approved", "in_progress", "completed", "cancelled")
MAX_VND = 10**15


@dataclass(frozen=True)
class Spec:
    """An editable entity: its table, location column and fields with their limits."""

    entity: str
    table: str
    location_fk: str
    texts: dict[str, tuple[int, bool]]  # field -> (max length, required)
    ints: dict[str, tuple[int, int, bool]]  # field -> (min, max, required)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    locatable: bool = False  # one location, movable (point or commune)
    reviewable: bool = False  # has reviewed_at / reviewed_by

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every attribute column, in a fixed order."""
        return (*self.texts, *self.ints, *self.choices)


SPECS = {
    "establishment": Spec(
        "establishment", "establishment", "establishment_id",
        {"name": (300, True), "owner_name": (200, False), "phone": (100, False),
         "trade": (200, False), "address_raw": (500, False)},
        {"workers": (0, 1_000_000, False)}, locatable=True, reviewable=True),
    "craft_village": Spec(
        "craft_village", "craft_village", "village_id",
        {"name": (300, True), "trade": (200, False), "decision": (200, False)},
        {"recognised_year": (1900, 2100, False), "households": (0, 1_000_000, False),
         "workers": (0, 1_000_000, False)}, locatable=True),
    "project": Spec(
        "project", "project", "project_id",
        {"title": (500, True), "beneficiary": (300, False)},
        {"year": (2000, 2100, True), "kc_vnd": (0, MAX_VND, True),
         "counterpart_vnd": (0, MAX_VND, True)},
        {"funding_source": ("KCQG", "KCDP"), "status": PROJECT_STATUSES,
         "activity_type": ()}),  # activity types are checked against their table
}


def check_text(name: str, value: object, limit: int, required: bool) -> str | None:
    """A text field: stripped, NUL-free, within its length; empty means NULL unless required."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise InvalidInput(f"{name} must be text")
    if "\x00" in text:
        raise InvalidInput(f"{name} contains a NUL character")
    if len(text) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters")
    if required and not text:
        raise InvalidInput(f"{name} must not be empty")
    return text or None


def check_int(name: str, value: object, lo: int, hi: int, required: bool) -> int | None:
    """A whole number lo..hi ('' or None means NULL unless required)."""
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{name} must be a whole number")
    if isinstance(value, str):
        text = value.strip().replace(".", "") if name.endswith("_vnd") else value.strip()
        if not text.isdigit() or len(text) > 18:
            raise InvalidInput(f"{name} must be a whole number")
        value = int(text)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(f"{name} must be a whole number {lo}–{hi}")
    return value


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """One of the allowed codes (an empty tuple: any short code, checked elsewhere)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed) or 'the known codes'}")
    code = value.strip()
    if allowed and code not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}")
    return code


def check_attributes(spec: Spec, changes: dict[str, Any]) -> dict[str, Any]:
    """Checked values of the attribute fields present in changes."""
    out: dict[str, Any] = {}
    for name, (limit, required) in spec.texts.items():
        if name in changes:
            out[name] = check_text(name, changes[name], limit, required)
    for name, (lo, hi, required) in spec.ints.items():
        if name in changes:
            out[name] = check_int(name, changes[name], lo, hi, required)
    for name, allowed in spec.choices.items():
        if name in changes:
            out[name] = check_choice(name, changes[name], allowed)
    return out


def check_reason(value: object) -> str:
    """The reason of a change: text of at most MAX_REASON characters."""
    reason = value or ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON or "\x00" in reason:
        raise InvalidInput(f"reason must be text of at most {MAX_REASON} characters")
    return reason.strip()
