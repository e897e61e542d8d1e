"""Project wording and money for the synthetic demo records: titles, budgets, status."""

from __future__ import annotations

import random

from data.demo_words import Trade

# How a project of each activity type is placed, with weights:
# 'est' at a generated establishment, 'village' at a craft village, 'commune' at a commune,
# 'district' at district level (no commune), 'multi' in 2–3 communes of one district.
KINDS: dict[str, tuple[tuple[str, float], ...]] = {
    "machinery": (("est", 0.9), ("village", 0.05), ("commune", 0.05)),
    "demonstration": (("est", 0.75), ("village", 0.15), ("commune", 0.10)),
    "training": (("multi", 0.25), ("commune", 0.30), ("village", 0.35), ("district", 0.10)),
    "capacity": (("district", 0.40), ("commune", 0.40), ("multi", 0.20)),
    "cleaner_production": (("est", 1.0),),
    "trade_fair": (("district", 0.45), ("est", 0.55)),
    "product_award": (("est", 0.85), ("village", 0.15)),
    "industrial_cluster": (("commune", 1.0),),
    "other": (("est", 0.5), ("district", 0.2), ("commune", 0.3)),
}
DEFAULT_KINDS = (("commune", 0.5), ("district", 0.5))
ACTIVITY_WEIGHTS = {
    "machinery": 34, "demonstration": 12, "training": 11, "capacity": 8,
    "cleaner_production": 6, "trade_fair": 9, "product_award": 9, "industrial_cluster": 3,
    "other": 8,
}
# Provincial (KCĐP) budget range in million đồng; national (KCQG) ones are larger.
KCDP_MILLIONS = {
    "machinery": (80, 500), "demonstration": (150, 600), "training": (50, 250),
    "capacity": (50, 200), "cleaner_production": (80, 400), "trade_fair": (50, 300),
    "product_award": (50, 120), "industrial_cluster": (300, 1200), "other": (50, 200),
}
KCQG_SHARE = {"machinery": 0.35, "demonstration": 0.45, "industrial_cluster": 0.3}
WITH_COUNTERPART = ("machinery", "demonstration", "cleaner_production", "industrial_cluster")
MILLION = 1_000_000


def pick_kind(rng: random.Random, code: str) -> str:
    """How a project of this activity type is located."""
    kinds = KINDS.get(code, DEFAULT_KINDS)
    return rng.choices([k for k, _ in kinds], [p for _, p in kinds])[0]


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return float(lo * (hi / lo) ** rng.random())


def money(rng: random.Random, code: str) -> tuple[str, int, int]:
    """Funding source, khuyến công budget and counterpart, in whole millions of đồng."""
    source = "KCQG" if rng.random() < KCQG_SHARE.get(code, 0.1) else "KCDP"
    lo, hi = KCDP_MILLIONS.get(code, (50, 300))
    if source == "KCQG":
        lo, hi = max(lo * 3, 300), min(hi * 3, 1500)
    kc = round(_log_uniform(rng, lo, hi)) * MILLION
    if code in WITH_COUNTERPART:
        counterpart = round(kc / MILLION * rng.uniform(0.5, 3.0)) * MILLION
    elif rng.random() < 0.3:
        counterpart = round(kc / MILLION * rng.uniform(0.05, 0.3)) * MILLION
    else:
        counterpart = 0
    return source, kc, counterpart


def status(rng: random.Random, year: int) -> str:
    """Mostly 'completed'; recent years still in progress or approved."""
    r = rng.random()
    if year <= 2023:
        return "cancelled" if r < 0.03 else "completed"
    if year == 2024:
        return "cancelled" if r < 0.02 else "in_progress" if r < 0.10 else "completed"
    return "approved" if r < 0.25 else "in_progress" if r < 0.6 else "completed"


def title_for(rng: random.Random, code: str, name_vi: str, trade: Trade, beneficiary: str,
              place: str, year: int) -> str:
    """A Vietnamese project title; place is 'xã …', 'huyện …' or a list of communes."""
    p, product = trade.process, trade.product
    options = {
        "machinery": [f"Hỗ trợ ứng dụng máy móc thiết bị trong {p} tại {beneficiary}",
                      f"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất "
                      f"{product.lower()} của {beneficiary}"],
        "demonstration": [f"Xây dựng mô hình trình diễn kỹ thuật {p} tại {beneficiary}"],
        "cleaner_production": [f"Hỗ trợ áp dụng sản xuất sạch hơn, tiết kiệm năng lượng "
                               f"trong {p} tại {beneficiary}"],
        "product_award": [f"Hỗ trợ sản phẩm công nghiệp nông thôn tiêu biểu: {product} "
                          f"của {beneficiary}"],
        "training": [f"Đào tạo nghề {trade.short} cho lao động nông thôn {place}",
                     f"Đào tạo, truyền nghề {p} cho lao động nông thôn {place}"],
        "capacity": [f"Tập huấn nâng cao năng lực quản lý cho các cơ sở CNNT {place}",
                     f"Tập huấn khởi sự doanh nghiệp cho các cơ sở CNNT {place}"],
        "trade_fair": [f"Tổ chức hội chợ hàng công nghiệp nông thôn {place} năm {year}"],
        "industrial_cluster": [f"Hỗ trợ đầu tư xây dựng hạ tầng kỹ thuật {beneficiary}",
                               f"Hỗ trợ lập quy hoạch chi tiết {beneficiary}"],
        "other": [f"Hỗ trợ xây dựng nhãn hiệu, bao bì cho sản phẩm {product.lower()} "
                  f"của {beneficiary}"],
    }
    if code == "trade_fair" and not place.startswith(("huyện", "thành phố", "thị xã")):
        return (f"Hỗ trợ {beneficiary} tham gia hội chợ triển lãm hàng công nghiệp nông thôn "
                f"khu vực miền Trung – Tây Nguyên")
    if code == "other" and beneficiary.startswith(("Các cơ sở", "UBND", "Lao động")):
        return f"Tuyên truyền, xây dựng cơ sở dữ liệu công nghiệp nông thôn {place}"
    return rng.choice(options.get(code, [f"{name_vi} {place}"]))
