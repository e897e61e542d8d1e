"""Vocabularies of needs and plans (values stored in the database) and their Vietnamese names."""

from __future__ import annotations

from enum import StrEnum


class NeedStatus(StrEnum):
    """Where a support need stands: registered → shortlisted → in plan → funded | declined."""

    REGISTERED = "registered"
    SHORTLISTED = "shortlisted"
    IN_PLAN = "in_plan"
    FUNDED = "funded"
    DECLINED = "declined"


class NeedPriority(StrEnum):
    """How urgent the district finds a need."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class PlanStatus(StrEnum):
    """A year's plan: a draft the planners edit, or approved (its projects created)."""

    DRAFT = "draft"
    APPROVED = "approved"


class FundingSource(StrEnum):
    """National (KCQG) or provincial (KCĐP) khuyến công funds."""

    KCQG = "KCQG"
    KCDP = "KCDP"


NEED_STATUS_VI = {NeedStatus.REGISTERED: "Đã đăng ký", NeedStatus.SHORTLISTED: "Được chọn sơ bộ",
                  NeedStatus.IN_PLAN: "Đã đưa vào kế hoạch", NeedStatus.FUNDED: "Được hỗ trợ",
                  NeedStatus.DECLINED: "Không chọn"}
PRIORITY_VI = {NeedPriority.HIGH: "Cao", NeedPriority.MEDIUM: "Trung bình",
               NeedPriority.LOW: "Thấp"}
PLAN_STATUS_VI = {PlanStatus.DRAFT: "Dự thảo", PlanStatus.APPROVED: "Đã phê duyệt"}
SOURCE_VI = {FundingSource.KCQG: "Khuyến công quốc gia (KCQG)",
             FundingSource.KCDP: "Khuyến công địa phương (KCĐP)"}
# Statuses a PATCH may set; in_plan and funded follow from the plan (lines, approval).
PATCH_MOVES: dict[NeedStatus, tuple[NeedStatus, ...]] = {
    NeedStatus.REGISTERED: (NeedStatus.SHORTLISTED, NeedStatus.DECLINED),
    NeedStatus.SHORTLISTED: (NeedStatus.REGISTERED, NeedStatus.DECLINED),
    NeedStatus.DECLINED: (NeedStatus.REGISTERED,),
    NeedStatus.IN_PLAN: (),
    NeedStatus.FUNDED: (),
}
OPEN_STATUSES = (NeedStatus.REGISTERED, NeedStatus.SHORTLISTED, NeedStatus.IN_PLAN)
