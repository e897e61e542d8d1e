"""The synthetic demo records (plain dataclasses), and a compact store of many establishments."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from data.demo_places import Place


@dataclass(frozen=True)
class Establishment:
    """A synthetic rural industrial establishment and its one location."""

    record_key: str
    name: str
    owner_name: str | None
    phone: str | None
    trade: str
    workers: int
    address_raw: str
    place: Place


@dataclass(frozen=True)
class CraftVillage:
    """A synthetic craft village (làng nghề) and its one location."""

    record_key: str
    name: str
    trade: str
    decision: str
    recognised_year: int
    households: int
    workers: int
    place: Place


@dataclass(frozen=True)
class Project:
    """A synthetic khuyến công project with one or more locations."""

    record_key: str
    title: str
    year: int
    funding_source: str
    activity_type: str
    kc_vnd: int
    counterpart_vnd: int
    beneficiary: str
    beneficiary_key: str | None  # record_key of a generated establishment
    status: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class DemoData:
    """All generated records."""

    establishments: list[Establishment]
    villages: list[CraftVillage]
    projects: list[Project]



class PackedEstablishments(Sequence[Establishment]):
    """Establishments as the project generator reads them (key, name, trade, place), packed
    in flat arrays: about 150 bytes each instead of a kilobyte of objects, so a million fit.
    Items come back without owner, phone and workers."""

    _NONE = "\x00"

    def __init__(self) -> None:
        self._blob = bytearray()
        self._ends = array("Q")
        self._coords = array("d")

    def append(self, e: Establishment) -> None:
        """Keep one establishment."""
        p = e.place
        for text in (e.record_key, e.name, e.trade, p.precision, p.district_code,
                     p.commune_code if p.commune_code is not None else self._NONE,
                     p.raw_address):
            self._blob += text.encode("utf-8")
            self._ends.append(len(self._blob))
        self._coords.extend((p.lon, p.lat))

    def __len__(self) -> int:
        return len(self._coords) // 2

    @overload
    def __getitem__(self, i: int) -> Establishment: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Establishment]: ...

    def __getitem__(self, i: int | slice) -> Establishment | Sequence[Establishment]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = self._ends[7 * i - 1] if i else 0
        texts = []
        for end in self._ends[7 * i:7 * i + 7]:
            texts.append(self._blob[start:end].decode("utf-8"))
            start = end
        key, name, trade, precision, district, commune, address = texts
        place = Place(precision, self._coords[2 * i], self._coords[2 * i + 1], district,
                      None if commune == self._NONE else commune, address)
        return Establishment(key, name, None, None, trade, 0, address, place)
