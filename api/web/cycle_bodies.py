"""Request bodies of the khuyến công cycle's JSON API (needs, plans, lines, products,
collaborators, a project's outputs and money), typed so that the OpenAPI document describes
them and FastAPI refuses a malformed body with a 422 whose messages are Vietnamese
(api/web/errors.py, api/web/validation_words.py).

They check shapes, types and limits; what only the database knows (an establishment's
district, an activity code, a commune, a plan's state and ceilings) is checked in geo/cycle,
which the web forms call with plain mappings. Whole numbers are JSON numbers (not text, not
true/false), except amounts of money and output quantities, which may also be written as text
the way people write them ("1.250.000.000 đ"); they reach geo/cycle as integers.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from geo.core.vocab import FundingSource, NeedPriority, NeedStatus
from geo.cycle.targets import INDICATORS

MAX_ID = 2**63 - 1
MAX_JSON_ID = 2**53 - 1
MAX_VND = 10**15
MAX_QUANTITY = 10**9
# At most 15 digits (< MAX_VND), plain or grouped by dots or spaces, optionally "đ" / "VND".
MONEY_TEXT = r"^(?:[0-9]{1,15}|[0-9]{1,3}(?:[. ][0-9]{3}){1,4})(?: ?(?:đ|VND))?$"
QUANTITY_TEXT = r"^[0-9]{1,9}$"


def _whole(pattern: str, limit: int, message: str) -> Any:
    """A validator: a whole number 0..LIMIT from a JSON integer or a text matching PATTERN
    (its digits); MESSAGE otherwise."""
    shape = re.compile(pattern)

    def check(value: object) -> int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and shape.fullmatch(value):
            value = int(re.sub(r"[^0-9]", "", value))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise ValueError(message)
        return value

    return check


Money = Annotated[int, BeforeValidator(_whole(
    MONEY_TEXT, MAX_VND, "số tiền phải là số đồng nguyên, không âm, dưới 10^15 (ví dụ "
                         "1250000000 hoặc \"1.250.000.000 đ\")")),
                  WithJsonSchema({"anyOf": [
                      {"type": "integer", "minimum": 0, "maximum": MAX_VND},
                      {"type": "string", "pattern": MONEY_TEXT, "maxLength": 30}],
                      "description": "amount in đồng: an integer, or text such as "
                                     "'1.250.000.000 đ'"})]
Quantity = Annotated[int, BeforeValidator(_whole(
    QUANTITY_TEXT, MAX_QUANTITY, "phải là số nguyên từ 0 đến 1.000.000.000")),
                     WithJsonSchema({"anyOf": [
                         {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY},
                         {"type": "string", "pattern": QUANTITY_TEXT}]})]


def _integer(value: object) -> object:
    """A JSON integer (a whole float such as 2026.0 too), not text or true/false."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("cần một số nguyên")
    return value


Year = Annotated[int, Field(ge=2000, le=2100), BeforeValidator(_integer)]
# A record id in a JSON body: at most 2^53 - 1, the largest integer every JSON reader keeps.
RecordId = Annotated[int, Field(ge=1, le=MAX_JSON_ID), BeforeValidator(_integer)]
Strict = Annotated[bool, Field(strict=True)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]  # activity_type code
Unit = Annotated[str, StringConstraints(min_length=1, max_length=10)]  # legacy unit code
UnitOrBlank = Annotated[str, StringConstraints(max_length=10)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=500)]
TitleOrBlank = Annotated[str, StringConstraints(max_length=500)]
Description = Annotated[str, StringConstraints(max_length=2000)]
Reason = Annotated[str, StringConstraints(max_length=1000)]
Beneficiary = Annotated[str, StringConstraints(max_length=300)]
ProductName = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Decision = Annotated[str, StringConstraints(max_length=200)]
FullName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Position = Annotated[str, StringConstraints(max_length=200)]
Stars = Annotated[int, Field(ge=3, le=5), BeforeValidator(_integer)]
Omitted = SkipJsonSchema[None]  # a PATCH field that may be left out, not sent as null
ProductKind = Literal["ocop", "cnnt"]
ProductLevel = Literal["provincial", "regional", "national"]
# Characters a phone number may have (digits, spaces, + . - and brackets).
PHONE = r"^[0-9 +.()\-]*$"


def _omittable(annotation: Any) -> bool:
    """Whether a field's type is `X | Omitted`."""
    return Omitted in get_args(annotation)


class Body(BaseModel):
    """A JSON object; fields not listed are refused. A PATCH field typed `X | Omitted` may be
    left out (it stays as it is) but not sent as null."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _not_null(self) -> Self:
        fields = type(self).model_fields
        sent = sorted(k for k in self.model_fields_set
                      if getattr(self, k) is None and _omittable(fields[k].annotation))
        if sent:
            raise ValueError(f"không nhận null cho {', '.join(sent)}: bỏ trường đó đi nếu "
                             "không đổi")
        return self

    def given(self) -> dict[str, Any]:
        """The fields the caller sent, as plain JSON values (for geo/cycle)."""
        return self.model_dump(mode="json", exclude_unset=True)


class NeedIn(Body):
    """A support need of an establishment (district officers: of their own district)."""

    establishment_id: RecordId
    activity_type: Code
    description: Description | None = None
    total_cost_vnd: Money
    requested_vnd: Money = Field(description="requested + counterpart ≤ total cost")
    counterpart_vnd: Money | None = None
    desired_year: Year
    priority: NeedPriority | None = Field(None, description="medium when absent")


class NeedPatch(Body):
    """Changes of a need (absent fields stay); status moves registered ⇄ shortlisted →
    declined (with decline_reason) → registered."""

    activity_type: Code | Omitted = None
    description: Description | None = None
    total_cost_vnd: Money | Omitted = None
    requested_vnd: Money | Omitted = None
    counterpart_vnd: Money | None = None
    desired_year: Year | Omitted = None
    priority: NeedPriority | None = None
    status: NeedStatus | Omitted = None
    decline_reason: Reason | None = None
    reason: Reason | None = None


class PlanIn(Body):
    """A year's plan with its ceilings per source (KCĐP may be written KCDP)."""

    year: Year
    ceilings: dict[Literal["KCQG", "KCDP", "KCĐP"], Money] = Field(default_factory=dict)
    district_ceilings: dict[UnitOrBlank, Money] = Field(
        default_factory=dict, max_length=100, description="legacy district code → đồng")


class LineIn(Body):
    """A plan line: a registered need (need_id), or a new proposal with its activity,
    commune or district, title and amount."""

    need_id: RecordId | None = None
    funding_source: FundingSource
    title: TitleOrBlank | None = None
    activity_type: Code | None = None
    kc_vnd: Money | None = Field(None, description="for a need: its requested amount if absent")
    counterpart_vnd: Money | None = None
    commune_code: UnitOrBlank | None = None
    district_code: UnitOrBlank | None = None
    beneficiary: Beneficiary | None = None


class LinePatch(Body):
    """Changes of a draft plan's line (at least one field)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})
    title: Title | Omitted = None
    funding_source: FundingSource | Omitted = None
    kc_vnd: Money | Omitted = None
    counterpart_vnd: Money | None = None
    beneficiary: Beneficiary | None = None
    activity_type: Code | Omitted = None
    commune_code: UnitOrBlank | None = None
    district_code: UnitOrBlank | None = None

    @model_validator(mode="after")
    def _something(self) -> LinePatch:
        if not self.model_fields_set:
            raise ValueError("Không có trường nào để sửa")
        return self


class ApproveIn(Body):
    """Approval of a plan; over a ceiling it needs accept_over_ceiling and a reason."""

    accept_over_ceiling: Strict | None = None
    reason: Reason | None = None


class ProductIn(Body):
    """A recognised product: OCOP (3–5 stars) or CNNT (provincial, regional, national)."""

    name: ProductName
    establishment_id: RecordId
    kind: ProductKind
    stars: Stars | None = Field(
        None, description="OCOP only, required there")
    level: ProductLevel | None = Field(None, description="provincial when absent; "
                                                         "regional for CNNT only")
    year: Year
    decision: Decision | None = None


class ProductPatch(Body):
    """Changes of a recognised product (absent fields stay)."""

    name: ProductName | Omitted = None
    establishment_id: RecordId | Omitted = None
    kind: ProductKind | Omitted = None
    stars: Stars | None = None
    level: ProductLevel | None = None
    year: Year | Omitted = None
    decision: Decision | None = None


class CollaboratorIn(Body):
    """A commune's khuyến công collaborator (name and phone are personal)."""

    commune_code: Unit
    full_name: FullName
    phone: Annotated[str, StringConstraints(max_length=30, pattern=PHONE)] | None = None
    position: Position | None = None
    since_year: Year | None = None
    is_active: Strict = True


class CollaboratorPatch(Body):
    """Changes of a collaborator (absent fields stay)."""

    commune_code: Unit | Omitted = None
    full_name: FullName | Omitted = None
    phone: Annotated[str, StringConstraints(max_length=30, pattern=PHONE)] | None = None
    position: Position | None = None
    since_year: Year | None = None
    is_active: Strict | Omitted = None


class MoneyIn(Body):
    """Money status of a project (đồng); settled never above disbursed."""

    planned_vnd: Money | None = Field(None, description="the project's amount when absent")
    disbursed_vnd: Money = 0
    settled_vnd: Money = 0


class InspectionIn(Body):
    """An inspection visit."""

    visit_date: str = Field(max_length=10, description="YYYY-MM-DD")
    inspector: str = Field(max_length=300)
    finding: str = Field(max_length=4000)


class OutputsIn(Body):
    """Output quantities of a project (absent ones stay as they are, null removes one);
    the fields are geo.cycle.targets.OUTPUT_INDICATORS."""

    models: Quantity | None = Field(None, description=INDICATORS["models"][0])
    trainees: Quantity | None = Field(None, description=INDICATORS["trainees"][0])
    machines: Quantity | None = Field(None, description=INDICATORS["machines"][0])
    products: Quantity | None = Field(None, description=INDICATORS["products"][0])
    fairs: Quantity | None = Field(None, description=INDICATORS["fairs"][0])
    establishments: Quantity | None = Field(None, description=INDICATORS["establishments"][0])
