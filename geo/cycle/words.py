"""Vietnamese names of the needs and plans vocabularies (geo.core.vocab), allowed moves."""

from __future__ import annotations

from geo.core.vocab import FundingSource, NeedPriority, NeedStatus, PlanStatus

NEED_STATUS_VI = {NeedStatus.registered: "Đã đăng ký", NeedStatus.shortlisted: "Được chọn sơ bộ",
                  NeedStatus.in_plan: "Đã đưa vào kế hoạch", NeedStatus.funded: "Được hỗ trợ",
                  NeedStatus.declined: "Không chọn"}
PRIORITY_VI = {NeedPriority.high: "Cao", NeedPriority.medium: "Trung bình",
               NeedPriority.low: "Thấp"}
PLAN_STATUS_VI = {PlanStatus.draft: "Dự thảo", PlanStatus.approved: "Đã phê duyệt"}
SOURCE_VI = {FundingSource.KCQG: "Khuyến công quốc gia (KCQG)",
             FundingSource.KCDP: "Khuyến công địa phương (KCĐP)"}
# Statuses a PATCH may set; in_plan and funded follow from the plan (lines, approval).
PATCH_MOVES: dict[NeedStatus, tuple[NeedStatus, ...]] = {
    NeedStatus.registered: (NeedStatus.shortlisted, NeedStatus.declined),
    NeedStatus.shortlisted: (NeedStatus.registered, NeedStatus.declined),
    NeedStatus.declined: (NeedStatus.registered,),
    NeedStatus.in_plan: (),
    NeedStatus.funded: (),
}
OPEN_STATUSES = (NeedStatus.registered, NeedStatus.shortlisted, NeedStatus.in_plan)

__all__ = ["FundingSource", "NeedPriority", "NeedStatus", "PlanStatus", "NEED_STATUS_VI",
           "PRIORITY_VI", "PLAN_STATUS_VI", "SOURCE_VI", "PATCH_MOVES", "OPEN_STATUSES"]
