"""Deterministic synthetic demo records (pure Python: plain units in, plain records out).

Everything here is fictitious and labelled so: record keys start with 'demo:', owners are
random name parts, phone numbers follow the fake pattern 09000xxxxx, and the store marks the
rows is_demo with location method 'demo_synthetic'.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

from data import demo_projects as dp
from data import demo_words as w
from data.demo_places import (
    CommunePlaces,
    CommuneUnit,
    DistrictUnit,
    Place,
    district_place,
    in_text,
)
from data.demo_records import CraftVillage, DemoData, Establishment, PackedEstablishments, Project

T = TypeVar("T")

KEY_PREFIX = "demo:"
ESTABLISHMENTS_PER_SCALE = 1500
PROJECTS_PER_SCALE = 300
VILLAGES = 40
YEARS = (2021, 2022, 2023, 2024, 2025)
YEAR_WEIGHTS = (18, 19, 20, 21, 22)
PHONE_PREFIX = "09000"
ISLAND_SHARE = 0.004  # establishments of Lý Sơn (district precision: it has no communes)

__all__ = ["CommuneUnit", "DistrictUnit", "Place", "Establishment", "CraftVillage", "Project",
           "DemoData", "DemoStream", "generate"]


class _Chooser(Generic[T]):
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        pairs = [(i, wt) for i, wt in zip(items, weights, strict=True) if wt > 0]
        self.items = [i for i, _ in pairs]
        self.cum = list(accumulate(wt for _, wt in pairs))

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: random.Random) -> T:
        return self.items[min(bisect(self.cum, rng.random() * self.cum[-1]), len(self.items) - 1)]


def _trade_weight(trade: w.Trade, district_code: str) -> float:
    if district_code in trade.districts:
        return trade.weight * trade.districts[district_code]
    mult = trade.region.get("mountain" if district_code in w.MOUNTAIN else "lowland", 1.0)
    if district_code in w.COASTAL:
        mult *= trade.region.get("coastal", 1.0)
    return trade.weight * mult


class _World:
    """The units, their hamlets, uneven weights and the communes no project reaches."""

    def __init__(self, districts: Sequence[DistrictUnit], communes: Sequence[CommuneUnit],
                 seed: int, rng: random.Random) -> None:
        self.districts = {d.code: d for d in districts}
        self.places: dict[str, CommunePlaces] = {}
        for c in sorted(communes, key=lambda c: c.code):
            if c.district_code in self.districts and (c.point or c.centroid or c.polygon_wkt):
                self.places[c.code] = CommunePlaces(c, self.districts[c.district_code], seed)
        codes = list(self.places)
        weights: list[float] = []
        self.unfunded: set[str] = set()
        for code in codes:
            unit = self.places[code].unit
            mountain = unit.district_code in w.MOUNTAIN
            empty = rng.random() < (0.35 if mountain else 0.06)
            base = (0.12 if mountain else 1.0) * (1.3 if unit.type == "Phường" else 1.0)
            weights.append(0.0 if empty else base * rng.lognormvariate(0, 0.7))
            if rng.random() < (0.3 if mountain else 0.12):
                self.unfunded.add(code)
        if codes and all(wt > 0 for wt in weights):
            weights[-1] = 0.0  # always leave at least one commune without establishments
        self.communes = _Chooser(codes, weights)
        self.funded = _Chooser(codes, [0.0 if c in self.unfunded else wt
                                       for c, wt in zip(codes, weights, strict=True)])
        if not self.funded:
            self.funded = self.communes
        self.trades = {code: _Chooser(w.TRADES, [_trade_weight(t, code) for t in w.TRADES])
                       for code in self.districts}
        self.village_trades = {
            code: _Chooser(w.TRADES, [_trade_weight(t, code) if t.village else 0.0
                                      for t in w.TRADES])
            for code in self.districts}
        island = self.districts.get(w.ISLAND)
        self.island = island if island is not None and island.point is not None else None

    def commune(self, rng: random.Random, funded: bool = False) -> CommunePlaces:
        chooser = self.funded if funded else self.communes
        return self.places[chooser.pick(rng)]

    def trade(self, rng: random.Random, district_code: str) -> w.Trade:
        return self.trades[district_code].pick(rng)


def _person(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in w.SURNAMES], [n for _, n in w.SURNAMES])[0]
    if rng.random() < 0.6:
        return f"{surname} {rng.choice(w.MIDDLE_MALE)} {rng.choice(w.GIVEN_MALE)}"
    return f"{surname} {rng.choice(w.MIDDLE_FEMALE)} {rng.choice(w.GIVEN_FEMALE)}"


def _brand(rng: random.Random) -> str:
    return f"{rng.choice(w.BRAND_FIRST)} {rng.choice(w.BRAND_SECOND)}"


def _local_name(hamlet: str | None, commune_short: str) -> str:
    """'An Phú' from 'Thôn An Phú'; the commune's name for numbered hamlets."""
    if hamlet and hamlet.startswith("Thôn ") and not hamlet[5:].isdigit():
        return hamlet[5:]
    return commune_short


def _log_int(rng: random.Random, lo: int, hi: int) -> int:
    return int(round(lo * (hi / lo) ** rng.random()))


def _name_and_workers(rng: random.Random, trade: w.Trade, owner: str,
                      local: str) -> tuple[str, int]:
    r = rng.random()
    if r < 0.55:
        return f"Cơ sở {trade.short} {_brand(rng)}", _log_int(rng, 2, 15)
    if r < 0.75:
        return f"Hộ kinh doanh {owner}", _log_int(rng, 1, 8)
    if r < 0.85 and trade.htx:
        return f"HTX {trade.htx} {local}", _log_int(rng, 10, 80)
    if r < 0.95:
        return (f"Công ty TNHH {trade.short[0].upper()}{trade.short[1:]} {_brand(rng)}",
                _log_int(rng, 15, 250))
    return f"Doanh nghiệp tư nhân {_brand(rng)}", _log_int(rng, 5, 50)


def _establishments(world: _World, rng: random.Random, n: int) -> Iterator[Establishment]:
    for i in range(1, n + 1):
        hamlet: str | None = None
        if world.island is not None and rng.random() < ISLAND_SHARE:
            trade, place, local = (world.trade(rng, world.island.code),
                                   district_place(world.island), world.island.short_name)
        else:
            cp = world.commune(rng)
            trade = world.trade(rng, cp.unit.district_code)
            r = rng.random()
            if r < 0.82:
                hamlet, place = cp.exact(rng)
            elif r < 0.96:
                place = cp.commune()
            else:
                place = district_place(cp.district)
            local = _local_name(hamlet, cp.unit.short_name)
        owner = _person(rng)
        name, workers = _name_and_workers(rng, trade, owner, local)
        phone = f"{PHONE_PREFIX}{i % 100000:05d}" if rng.random() < 0.85 else None
        yield Establishment(f"{KEY_PREFIX}est:{i:06d}", name, owner, phone, trade.label,
                            workers, place.raw_address, place)


def _villages(world: _World, rng: random.Random, n: int) -> list[CraftVillage]:
    out: list[CraftVillage] = []
    names: set[str] = set()
    for _ in range(n * 20):
        if len(out) >= n or not world.communes:
            break
        cp = world.commune(rng)
        chooser = world.village_trades[cp.unit.district_code]
        if not chooser:
            continue
        trade = chooser.pick(rng)
        hamlet, place = cp.exact(rng, spread=0.0012)
        name = f"Làng nghề {trade.village} {_local_name(hamlet, cp.unit.short_name)}"
        if name in names:
            continue
        names.add(name)
        if rng.random() >= 0.75:
            place = cp.commune()
        households = _log_int(rng, 30, 350)
        out.append(CraftVillage(
            f"{KEY_PREFIX}village:{len(out) + 1:04d}", name, trade.label,
            f"{rng.randint(150, 2900)}/QĐ-UBND", rng.randint(2004, 2022), households,
            int(households * rng.uniform(1.3, 2.6)), place))
    return out


def _communes_text(cps: Sequence[CommunePlaces]) -> str:
    """'xã Tịnh Khê', or 'các xã Tịnh Khê, Tịnh Châu và Tịnh Long'."""
    if len(cps) == 1:
        return in_text(cps[0].unit.type, cps[0].unit.short_name)
    names = [cp.unit.short_name for cp in cps]
    if all(cp.unit.type == "Xã" for cp in cps):
        return f"các xã {', '.join(names[:-1])} và {names[-1]}"
    parts = [in_text(cp.unit.type, cp.unit.short_name) for cp in cps]
    return f"{', '.join(parts[:-1])} và {parts[-1]}"


class _ProjectMaker:
    """Builds projects: beneficiary, places and wording for each location kind."""

    def __init__(self, world: _World, rng: random.Random,
                 establishments: Sequence[Establishment], villages: list[CraftVillage]) -> None:
        self.world, self.rng = world, rng
        funded = {c for c in world.places if c not in world.unfunded}
        # Pools of indices into ESTABLISHMENTS (4 bytes each, for a million establishments).
        self.establishments = establishments
        self.est_pool, self.exact_pool = array("l"), array("l")
        for i, e in enumerate(establishments):
            if e.place.commune_code in funded:
                self.est_pool.append(i)
                if e.place.precision == "exact":
                    self.exact_pool.append(i)
        self.village_pool = [v for v in villages if v.place.commune_code in funded]
        self.trades_by_label = {t.label: t for t in w.TRADES}

    def kind(self, code: str) -> str:
        kind = dp.pick_kind(self.rng, code)
        if kind == "est" and not self.est_pool:
            kind = "commune"
        if kind == "village" and not self.village_pool:
            kind = "commune"
        if kind in ("commune", "multi") and not self.world.funded:
            kind = "district"
        return kind

    def located(self, kind: str, code: str) -> tuple[str, str | None, w.Trade, str,
                                                      tuple[Place, ...]]:
        """Beneficiary, its establishment key, trade, place text and places of one project."""
        rng, world = self.rng, self.world
        if kind == "est":
            # Projects mostly go to establishments whose address is precise.
            pool = self.exact_pool if self.exact_pool and rng.random() < 0.9 else self.est_pool
            e = self.establishments[rng.choice(pool)]
            cp = world.places[str(e.place.commune_code)]
            return (e.name, e.record_key, self.trades_by_label[e.trade],
                    in_text(cp.unit.type, cp.unit.short_name), (e.place,))
        if kind == "village":
            v = rng.choice(self.village_pool)
            cp = world.places[str(v.place.commune_code)]
            return (v.name, None, self.trades_by_label[v.trade],
                    in_text(cp.unit.type, cp.unit.short_name), (v.place,))
        if kind == "district":
            use_island = world.island is not None and rng.random() < 0.05
            d = world.island if use_island and world.island else world.commune(rng, True).district
            text = in_text(d.type, d.short_name)
            trade = world.trade(rng, d.code)
            who = "Lao động nông thôn" if code == "training" else "Các cơ sở CNNT"
            return f"{who} {text}", None, trade, text, (district_place(d),)
        first = world.commune(rng, True)
        cps = [first]
        if kind == "multi":
            want = rng.randint(2, 3)
            for _ in range(30):
                if len(cps) >= want:
                    break
                other = world.commune(rng, True)
                if other.district is first.district and other not in cps:
                    cps.append(other)
            cps.sort(key=lambda cp: cp.unit.code)
        trade = world.trade(rng, first.unit.district_code)
        text = _communes_text(cps)
        places = tuple(cp.commune() for cp in cps)
        if kind == "multi":
            who = "Lao động nông thôn" if code == "training" else "Các cơ sở CNNT"
            return f"{who} {in_text(first.district.type, first.district.short_name)}", None, \
                trade, text, places
        return self._commune_beneficiary(code, trade, first), None, trade, text, places

    @staticmethod
    def _commune_beneficiary(code: str, trade: w.Trade, cp: CommunePlaces) -> str:
        text = in_text(cp.unit.type, cp.unit.short_name)
        if code == "industrial_cluster":
            return f"Cụm công nghiệp {cp.unit.short_name}"
        if code == "training":
            return f"Lao động nông thôn {text}"
        if code == "capacity":
            return f"Các cơ sở CNNT {text}"
        if code in ("machinery", "demonstration", "product_award"):
            stem = trade.htx or trade.short
            return f"HTX {stem} {cp.unit.short_name}"
        return f"UBND {text}"


def _projects(maker: _ProjectMaker, activity_types: Sequence[tuple[str, str]],
              n: int) -> list[Project]:
    rng = maker.rng
    names = dict(activity_types)
    codes = [c for c, _ in activity_types]
    weights = [dp.ACTIVITY_WEIGHTS.get(c, 3) for c in codes]
    out: list[Project] = []
    for i in range(1, n + 1):
        # The first projects take each activity type once, so every type is present.
        code = codes[i - 1] if i <= len(codes) else rng.choices(codes, weights)[0]
        year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
        beneficiary, key, trade, text, places = maker.located(maker.kind(code), code)
        title = dp.title_for(rng, code, names[code], trade, beneficiary, text, year)
        source, kc, counterpart = dp.money(rng, code)
        out.append(Project(f"{KEY_PREFIX}project:{i:06d}", title, year, source, code, kc,
                           counterpart, beneficiary, key, dp.status(rng, year), places))
    return out


class DemoStream:
    """Demo records generated as they are consumed: first every establishment (once, in
    order), then the craft villages and projects (which need the establishments seen)."""

    def __init__(self, districts: Sequence[DistrictUnit], communes: Sequence[CommuneUnit],
                 activity_types: Sequence[tuple[str, str]], scale: int = 1,
                 seed: int = 2021) -> None:
        if scale < 1:
            raise ValueError("scale must be at least 1")
        if not activity_types:
            raise ValueError("no activity types")
        self.rng = random.Random(seed)
        self.world = _World(districts, communes, seed, self.rng)
        if not self.world.communes:
            raise ValueError("no commune with a point to place records in")
        self.activity_types = activity_types
        self.scale = scale
        self.n_establishments = ESTABLISHMENTS_PER_SCALE * scale
        self.seen = PackedEstablishments()

    def establishments(self) -> Iterator[Establishment]:
        """Every establishment, in order (kept packed for the projects)."""
        for e in _establishments(self.world, self.rng, self.n_establishments):
            self.seen.append(e)
            yield e

    def villages_and_projects(self) -> tuple[list[CraftVillage], list[Project]]:
        """The craft villages and projects (after every establishment was taken)."""
        if len(self.seen) != self.n_establishments:
            raise RuntimeError("take every establishment first")
        villages = _villages(self.world, self.rng, VILLAGES)
        maker = _ProjectMaker(self.world, self.rng, self.seen, villages)
        return villages, _projects(maker, self.activity_types, PROJECTS_PER_SCALE * self.scale)


def generate(districts: Sequence[DistrictUnit], communes: Sequence[CommuneUnit],
             activity_types: Sequence[tuple[str, str]], scale: int = 1,
             seed: int = 2021) -> DemoData:
    """Synthetic establishments, craft villages and projects; same inputs give same output."""
    stream = DemoStream(districts, communes, activity_types, scale, seed)
    establishments = list(stream.establishments())
    villages, projects = stream.villages_and_projects()
    return DemoData(establishments, villages, projects)
