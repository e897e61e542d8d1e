"""PATCH request models generated from the record specs: the one place a submitted value is
checked (FastAPI validates a request body with them; edit_record validates a plain mapping,
e.g. a review form, with the same model)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from annotated_types import Ge, Le
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    create_model,
    model_validator,
)

from geo.core.errors import InvalidInput
from geo.geocoding.coords import parse_point
from geo.records.kinds import RecordKind
from geo.records.spec import MAX_REASON, SPECS, FieldSpec, FieldType, KindSpec

LOCATION_INPUTS = ("lon", "lat", "commune_code", "confirm_outside")


def _text(f: FieldSpec) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = value.strip()
        else:
            raise ValueError("phải là văn bản")
        if "\x00" in text:
            raise ValueError("có ký tự NUL")
        if len(text) > f.limit:
            raise ValueError(f"dài quá {f.limit} ký tự")
        if f.required and not text:
            raise ValueError("không được để trống")
        return text or None
    return check


def _int(f: FieldSpec) -> Callable[[object], int | None]:
    def check(value: object) -> int | None:
        if value is None or value == "":
            if f.required:
                raise ValueError("bắt buộc")
            return None
        if isinstance(value, bool):
            raise ValueError("phải là số nguyên")
        if isinstance(value, str):
            text = value.strip()
            if f.type is FieldType.MONEY:
                text = text.replace(".", "")
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise ValueError("phải là số nguyên")
            value = int(text)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or not f.lo <= value <= f.hi:
            raise ValueError(f"phải là số nguyên {f.lo}–{f.hi}")
        return value
    return check


def _choice(f: FieldSpec) -> Callable[[object], str]:
    words = ", ".join(f.choices) or "các mã đã biết"
    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > 40:
            raise ValueError(f"phải là một trong {words}")
        code = value.strip()
        if f.choices and code not in f.choices:
            raise ValueError(f"phải là một trong {words}")
        return code
    return check


def _annotation(f: FieldSpec) -> Any:
    """The type of a field in a PATCH body, with its check and its OpenAPI limits."""
    if f.type is FieldType.TEXT:
        return Annotated[Annotated[str, StringConstraints(max_length=f.limit)] | None,
                         BeforeValidator(_text(f)), Field(description=f.label)]
    if f.type is FieldType.CHOICE:
        desc = f"{f.label}: {' | '.join(f.choices)}" if f.choices else f.label
        return Annotated[str, BeforeValidator(_choice(f)), Field(description=desc)]
    return Annotated[Annotated[int, Ge(f.lo), Le(f.hi)] | None, BeforeValidator(_int(f)),
                     Field(description=f.label)]


def _point(lon: object, lat: object) -> tuple[float, float]:
    """A WGS 84 point inside Quảng Ngãi from decimal, DMS or VN-2000 metre values."""
    for v in (lon, lat):
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ValueError("lon và lat phải là số hoặc tọa độ dạng văn bản")
        if isinstance(v, str) and (len(v) > 60 or "\x00" in v):
            raise ValueError("tọa độ dạng văn bản quá dài hoặc không hợp lệ")
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("lon và lat phải là số hữu hạn")
    parsed = parse_point(lat, lon)
    if not parsed.accepted or parsed.lon is None or parsed.lat is None:
        if parsed.method == "outside_province":
            raise ValueError("Tọa độ nằm ngoài tỉnh Quảng Ngãi: kiểm tra lại các số và thứ tự "
                             "vĩ độ, kinh độ")
        raise ValueError("Tọa độ không đọc được: hãy gõ số thập phân (15,1234), độ-phút-giây "
                         "(15°07'25\"N) hoặc mét VN-2000")
    return parsed.lon, parsed.lat


class PatchBase(BaseModel):
    """Common part of every PATCH body: the reason; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=MAX_REASON, description=(
        "why: required for every change of a field or of the location (422 without it); "
        "a confirm alone is recorded as 'Xác nhận vị trí đúng'"))
    _point: tuple[float, float] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _checks(self) -> PatchBase:
        if self.reason is not None and "\x00" in self.reason:
            raise ValueError("lý do có ký tự NUL")
        lon, lat = getattr(self, "lon", None), getattr(self, "lat", None)
        if (lon not in (None, "")) != (lat not in (None, "")):
            raise ValueError("lon và lat phải đi cùng nhau")
        if lon not in (None, ""):
            self._point = _point(lon, lat)
        return self

    def edits(self) -> dict[str, Any]:
        """The changes as edit_record applies them: attributes present, 'point' (lon, lat),
        'commune_code', 'confirm', 'confirm_outside' and 'reason' (stripped)."""
        given = self.model_dump(exclude_unset=True)
        out = {k: v for k, v in given.items() if k not in (*LOCATION_INPUTS, "confirm", "reason")}
        if self._point is not None:
            out["point"] = self._point
        commune = given.get("commune_code")
        if isinstance(commune, str) and commune.strip():
            out["commune_code"] = commune.strip()
        out["confirm"] = bool(given.get("confirm"))
        out["confirm_outside"] = bool(given.get("confirm_outside"))
        out["reason"] = (given.get("reason") or "").strip()
        return out


def patch_model(spec: KindSpec) -> type[PatchBase]:
    """The PATCH model of a kind: its attributes (all optional), location and confirm."""
    fields: dict[str, Any] = {f.name: (_annotation(f), None) for f in spec.fields}
    if spec.locatable:
        point = "decimal, DMS, or VN-2000 {}"
        fields["lon"] = (float | str | None, Field(None, description=point.format("easting")))
        fields["lat"] = (float | str | None, Field(None, description=point.format("northing")))
        fields["commune_code"] = (str | None, Field(None, max_length=10,
                                                    description="legacy commune code"))
        fields["confirm_outside"] = (bool | None, Field(
            None, description="true: accept a new point outside the record's district "
                              "(else 422)"))
    if spec.reviewable:
        fields["confirm"] = (bool | None, Field(None, description="mark the location as checked"))
    name = "".join(w.title() for w in spec.kind.value.split("_")) + "Patch"
    return create_model(name, __base__=PatchBase, __doc__=f"Fields a PATCH of a "
                        f"{spec.kind.value} may change (absent fields stay as they are).",
                        **fields)


MODELS: dict[RecordKind, type[PatchBase]] = {k: patch_model(s) for k, s in SPECS.items()}
if TYPE_CHECKING:
    EstablishmentPatch = PatchBase
    CraftVillagePatch = PatchBase
    ProjectPatch = PatchBase
else:
    EstablishmentPatch = MODELS[RecordKind.ESTABLISHMENT]
    CraftVillagePatch = MODELS[RecordKind.CRAFT_VILLAGE]
    ProjectPatch = MODELS[RecordKind.PROJECT]


def _message(spec: KindSpec, exc: ValidationError) -> str:
    """One Vietnamese line per refused field: 'Tên cơ sở: không được để trống'."""
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        name = loc[0] if loc else ""
        label = spec.field(name).label if name in spec.attributes else name
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = "trường không được sửa"
        parts.append(f"{label}: {msg}" if label else msg)
    return "; ".join(parts) or "Dữ liệu không hợp lệ"


def check_changes(spec: KindSpec, changes: Mapping[str, Any] | PatchBase) -> PatchBase:
    """The changes as this kind's PATCH model (validated once); InvalidInput if refused."""
    if isinstance(changes, PatchBase):
        return changes
    try:
        return MODELS[spec.kind].model_validate(dict(changes))
    except ValidationError as exc:
        raise InvalidInput(_message(spec, exc)) from None
