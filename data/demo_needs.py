"""Synthetic support needs and a draft annual plan (pure Python, deterministic).

Everything is fictitious: needs are drawn for demo establishments, amounts are round
synthetic figures, and the store marks every row is_demo.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

NEEDS_PER_SCALE = 120
PLAN_YEAR = 2026
PLAN_LINES = 14
# Ceilings of the synthetic 2026 draft plan (đồng).
PLAN_CEILINGS = {"KCQG": 3_000_000_000, "KCDP": 6_000_000_000}
NEED_ACTIVITIES = (("machinery", 6), ("demonstration", 2), ("training", 2), ("capacity", 1),
                   ("cleaner_production", 1), ("trade_fair", 1))
DESCRIPTIONS = {
    "machinery": "Hỗ trợ mua máy móc thiết bị mới để mở rộng sản xuất",
    "demonstration": "Xây dựng mô hình trình diễn kỹ thuật sản xuất",
    "training": "Đào tạo nghề cho lao động của cơ sở",
    "capacity": "Tập huấn nâng cao năng lực quản lý",
    "cleaner_production": "Ứng dụng sản xuất sạch hơn, tiết kiệm năng lượng",
    "trade_fair": "Tham gia hội chợ, triển lãm giới thiệu sản phẩm",
}
DECLINE_REASON = "Không đủ vốn đối ứng theo quy định (dữ liệu mẫu)"


@dataclass(frozen=True)
class DemoNeed:
    """A synthetic need of one demo establishment."""

    establishment_key: str
    activity_type: str
    description: str
    total_cost_vnd: int
    requested_vnd: int
    counterpart_vnd: int
    desired_year: int
    priority: str
    status: str
    decline_reason: str | None
    in_plan: bool
    funding_source: str


def generate_needs(establishment_keys: Sequence[str], activity_codes: Sequence[str],
                   scale: int = 1, seed: int = 2026) -> list[DemoNeed]:
    """Needs for some of the establishments; the first PLAN_LINES of year 2026 go in the plan."""
    rng = random.Random(seed)
    choices = [(c, wgt) for c, wgt in NEED_ACTIVITIES if c in activity_codes]
    if not establishment_keys or not choices:
        return []
    keys = rng.sample(list(establishment_keys), min(len(establishment_keys),
                                                    NEEDS_PER_SCALE * scale))
    out: list[DemoNeed] = []
    planned = 0
    for key in sorted(keys):
        code = rng.choices([c for c, _ in choices], [wgt for _, wgt in choices])[0]
        total = rng.randrange(4, 60) * 50_000_000
        requested = (total * rng.choice((30, 40, 50))) // 100 // 1_000_000 * 1_000_000
        counterpart = total - requested
        year = rng.choices((2026, 2027), (4, 1))[0]
        roll = rng.random()
        status, reason, in_plan = "registered", None, False
        if year == PLAN_YEAR and planned < PLAN_LINES and roll < 0.35:
            status, in_plan = "in_plan", True
            planned += 1
        elif roll < 0.5:
            status = "shortlisted"
        elif roll > 0.93:
            status, reason = "declined", DECLINE_REASON
        out.append(DemoNeed(key, code, DESCRIPTIONS[code], total, requested, counterpart, year,
                            rng.choices(("high", "medium", "low"), (2, 3, 1))[0], status,
                            reason, in_plan, rng.choices(("KCDP", "KCQG"), (3, 1))[0]))
    return out
