"""Places for the synthetic demo records: units in, hamlets, points and addresses out."""

from __future__ import annotations

import random
from dataclasses import dataclass

import shapely

from data import demo_words as w

Point = tuple[float, float]
BBox = tuple[float, float, float, float]

# Spread of points around their hamlet centre, in degrees (~280 m).
HAMLET_SPREAD = 0.0025
# Half-size of the search square when a commune has neither polygon nor bbox (~1.7 km).
NO_BBOX_HALF = 0.015


@dataclass(frozen=True)
class DistrictUnit:
    """A legacy district-level unit with its representative point (lon, lat)."""

    code: str
    name: str
    short_name: str
    type: str
    point: Point | None


@dataclass(frozen=True)
class CommuneUnit:
    """A legacy commune: names, district, representative point, centroid, bbox, polygon WKT."""

    code: str
    name: str
    short_name: str
    type: str
    district_code: str
    point: Point | None
    centroid: Point | None = None
    bbox: BBox | None = None
    polygon_wkt: str | None = None


@dataclass(frozen=True)
class Place:
    """A generated location: precision, point (lon, lat), units and the raw address."""

    precision: str
    lon: float
    lat: float
    district_code: str
    commune_code: str | None
    raw_address: str


def _round(x: float, y: float) -> Point:
    return (round(x, 6), round(y, 6))


def district_label(d: DistrictUnit) -> str:
    """Address form of a district: 'TP Quảng Ngãi', 'TX Đức Phổ', 'Huyện Bình Sơn'."""
    if d.type == "Thành phố":
        return f"TP {d.short_name}"
    if d.type == "Thị xã":
        return f"TX {d.short_name}"
    return d.name


def in_text(type_: str, short_name: str) -> str:
    """Unit name as used inside a sentence: 'xã Tịnh Khê', 'huyện Bình Sơn'."""
    return f"{type_.lower()} {short_name}"


class Area:
    """Where exact points of one commune may fall: its polygon, else its bbox around the centre."""

    def __init__(self, unit: CommuneUnit) -> None:
        geom = shapely.from_wkt(unit.polygon_wkt) if unit.polygon_wkt else None
        self.geom = None if geom is None or geom.is_empty else geom
        centre = unit.centroid or unit.point
        if self.geom is not None:
            shapely.prepare(self.geom)
            bx0, by0, bx1, by1 = (float(v) for v in self.geom.bounds)
            self.bounds: BBox = (bx0, by0, bx1, by1)
            rp = self.geom.representative_point()
            self.fallback = _round(rp.x, rp.y)
            if not self.contains(*self.fallback):
                self.fallback = (rp.x, rp.y)
        else:
            if centre is None:
                raise ValueError(f"commune {unit.code} has no point, bbox or polygon")
            cx, cy = centre
            self.bounds = unit.bbox or (cx - NO_BBOX_HALF, cy - NO_BBOX_HALF,
                                        cx + NO_BBOX_HALF, cy + NO_BBOX_HALF)
            x0, y0, x1, y1 = self.bounds
            inside = x0 <= cx <= x1 and y0 <= cy <= y1
            self.fallback = _round(cx, cy) if inside else _round((x0 + x1) / 2, (y0 + y1) / 2)
        self.centre = centre or self.fallback

    def contains(self, x: float, y: float) -> bool:
        """True when (x, y) lies in the polygon, or in the bbox when there is no polygon."""
        if self.geom is not None:
            return bool(shapely.contains_xy(self.geom, x, y))
        x0, y0, x1, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1

    def sample(self, rng: random.Random) -> Point:
        """A point uniformly in the polygon, else scattered around the centre inside the bbox."""
        x0, y0, x1, y1 = self.bounds
        cx, cy = self.centre
        for _ in range(200):
            if self.geom is not None:
                p = _round(rng.uniform(x0, x1), rng.uniform(y0, y1))
            else:
                p = _round(rng.gauss(cx, (x1 - x0) / 4), rng.gauss(cy, (y1 - y0) / 4))
            if self.contains(*p):
                return p
        return self.fallback

    def near(self, rng: random.Random, origin: Point, spread: float = HAMLET_SPREAD) -> Point:
        """A point of the area close to origin (origin itself if none is found)."""
        for _ in range(12):
            p = _round(rng.gauss(origin[0], spread), rng.gauss(origin[1], spread))
            if self.contains(*p):
                return p
        return origin


def hamlet_names(rng: random.Random, unit: CommuneUnit, mountain: bool, n: int) -> list[str]:
    """n distinct hamlet names: 'Tổ dân phố 3' in wards, 'Thôn An Phú' or 'Thôn 2' elsewhere."""
    if unit.type in ("Phường", "Thị trấn"):
        return [f"Tổ dân phố {i}" for i in rng.sample(range(1, 16), n)]
    names: list[str] = []
    while len(names) < n:
        if mountain:
            name = (f"Thôn {rng.randint(1, 12)}" if rng.random() < 0.6
                    else f"Thôn {rng.choice(w.HAMLET_UPLAND)}")
        else:
            name = f"Thôn {rng.choice(w.HAMLET_FIRST)} {rng.choice(w.HAMLET_SECOND)}"
            if name.split()[1] == name.split()[2]:
                continue
        if name not in names:
            names.append(name)
    return names


class CommunePlaces:
    """One commune's hamlets (name, centre point) and the places generated in it."""

    def __init__(self, unit: CommuneUnit, district: DistrictUnit, seed: int) -> None:
        self.unit = unit
        self.district = district
        self.area = Area(unit)
        # A sub-generator per commune keeps hamlets identical whatever else is generated.
        rng = random.Random(f"{seed}:hamlets:{unit.code}")
        mountain = unit.district_code in w.MOUNTAIN
        names = hamlet_names(rng, unit, mountain, rng.randint(4, 9))
        self.hamlets = [(name, self.area.sample(rng)) for name in names]

    def commune_address(self) -> str:
        """'Xã Tịnh Khê, TP Quảng Ngãi, tỉnh Quảng Ngãi'."""
        return f"{self.unit.name}, {district_label(self.district)}, tỉnh Quảng Ngãi"

    def exact(self, rng: random.Random, spread: float = HAMLET_SPREAD) -> tuple[str, Place]:
        """A point near a random hamlet, with the hamlet's name and a hamlet-level address."""
        hamlet, centre = rng.choice(self.hamlets)
        lon, lat = self.area.near(rng, centre, spread)
        address = f"{hamlet}, {self.commune_address()}"
        return hamlet, Place("exact", lon, lat, self.unit.district_code, self.unit.code, address)

    def commune(self) -> Place:
        """The commune's representative point, at commune precision."""
        lon, lat = self.unit.point or self.area.fallback
        return Place("commune", lon, lat, self.unit.district_code, self.unit.code,
                     self.commune_address())


def district_place(d: DistrictUnit) -> Place:
    """The district's representative point, at district precision (no commune)."""
    if d.point is None:
        raise ValueError(f"district {d.code} has no point")
    return Place("district", d.point[0], d.point[1], d.code, None,
                 f"{district_label(d)}, tỉnh Quảng Ngãi")
