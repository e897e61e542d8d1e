"""Synthetic targets, project outputs, money status, inspections, recognised products and
collaborators (pure Python, deterministic). Everything is fictitious and stored is_demo: the
target figures are NOT the province's (the product never invents real targets)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from data import demo_words as w

# period, activity, indicator, unit, target, district: a demo targets CSV.
DEMO_TARGETS_CSV = """period,activity,indicator,unit,target,district
2021-2025,,projects,đề án,320,
2021-2025,,budget_vnd,đồng,60000000000,
2021-2025,demonstration,models,mô hình,45,
2021-2025,training,trainees,người,2500,
2021-2025,capacity,trainees,người,3000,
2021-2025,machinery,machines,máy,300,
2021-2025,product_award,products,sản phẩm,60,
2021-2025,trade_fair,fairs,lượt,25,
2025,,projects,đề án,70,
2025,,budget_vnd,đồng,13000000000,
2025,,disbursed_vnd,đồng,12000000000,
2021-2025,,projects,đề án,40,522
2021-2025,,projects,đề án,30,524
"""
PRODUCT_NAMES = ("Nước mắm", "Mạch nha", "Kẹo gương", "Bánh tráng", "Đường phổi", "Chổi đót",
                 "Rượu Bàu Đá", "Mành tre", "Gốm", "Quế", "Mứt gừng", "Chiếu cói")
POSITIONS = ("Công chức Địa chính – Xây dựng", "Công chức Văn phòng – Thống kê",
             "Phó Chủ tịch UBND xã", "Công chức Kinh tế")
PHONE_PREFIX = "09001"


@dataclass(frozen=True)
class DemoProduct:
    """A synthetic recognised product of a demo establishment."""

    record_key: str
    name: str
    establishment_key: str
    kind: str
    stars: int | None
    level: str
    year: int


@dataclass(frozen=True)
class DemoCollaborator:
    """A synthetic collaborator of a commune."""

    record_key: str
    commune_code: str
    full_name: str
    phone: str
    position: str
    since_year: int


def project_outputs(rng: random.Random, activity: str, status: str) -> dict[str, int]:
    """Outputs of a completed demo project by its activity (none before completion)."""
    if status != "completed":
        return {}
    if activity == "demonstration":
        return {"models": 1, "establishments": 1}
    if activity == "machinery":
        return {"machines": rng.randint(1, 4), "establishments": 1}
    if activity == "training":
        return {"trainees": rng.randint(20, 45)}
    if activity == "capacity":
        return {"trainees": rng.randint(30, 90)}
    if activity == "trade_fair":
        return {"fairs": 1, "establishments": rng.randint(5, 25)}
    if activity == "product_award":
        return {"products": rng.randint(1, 3)}
    if activity == "cleaner_production":
        return {"establishments": 1}
    return {}


def project_money(rng: random.Random, kc_vnd: int, status: str, year: int) -> tuple[int, int]:
    """(disbursed, settled) of a demo project."""
    if status == "completed":
        settled = kc_vnd if year < 2025 or rng.random() < 0.5 else 0
        return kc_vnd, settled
    if status == "in_progress":
        return kc_vnd // 2 // 1_000_000 * 1_000_000, 0
    return 0, 0


def products(establishment_keys: Sequence[str], seed: int = 2021) -> list[DemoProduct]:
    """About 70 recognised products of demo establishments."""
    rng = random.Random(seed + 13)
    keys = rng.sample(list(establishment_keys), min(70, len(establishment_keys)))
    out = []
    for i, key in enumerate(sorted(keys), 1):
        ocop = rng.random() < 0.7
        level = "provincial"
        stars = rng.choices((3, 4, 5), (6, 3, 1))[0] if ocop else None
        if ocop and stars == 5:
            level = "national"
        elif not ocop:
            level = rng.choices(("provincial", "regional", "national"), (6, 3, 1))[0]
        out.append(DemoProduct(f"demo:product:{i}", f"{rng.choice(PRODUCT_NAMES)} "
                               f"{rng.choice(w.BRAND_FIRST)} {rng.choice(w.BRAND_SECOND)}",
                               key, "ocop" if ocop else "cnnt", stars, level,
                               rng.randint(2021, 2025)))
    return out


def _person(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in w.SURNAMES], [n for _, n in w.SURNAMES])[0]
    if rng.random() < 0.6:
        return f"{surname} {rng.choice(w.MIDDLE_MALE)} {rng.choice(w.GIVEN_MALE)}"
    return f"{surname} {rng.choice(w.MIDDLE_FEMALE)} {rng.choice(w.GIVEN_FEMALE)}"


def collaborators(commune_codes: Sequence[str], seed: int = 2021) -> list[DemoCollaborator]:
    """Collaborators for about three communes in four (the rest show as gaps)."""
    rng = random.Random(seed + 17)
    out = []
    for code in sorted(commune_codes):
        if rng.random() < 0.75:
            out.append(DemoCollaborator(f"demo:collaborator:{code}", code, _person(rng),
                                        f"{PHONE_PREFIX}{rng.randint(10000, 99999)}",
                                        rng.choice(POSITIONS), rng.randint(2018, 2024)))
    return out
