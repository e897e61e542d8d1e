"""Addresses written in the 2025 geography (no district) resolve to their 2025 unit."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import psycopg2.extensions
import pytest

from geo.gazetteer.index import GazetteerIndex, load_index
from geo.geocoding.geocoder import GeocodeResult, geocode_address
from geo.intake.importer import import_file

from .addresses_2025 import HELD_OUT, STYLES, TUNED, Address, Gazetteer2025


@pytest.fixture()
def index(conn: psycopg2.extensions.connection) -> GazetteerIndex:
    """The geocoding index of the test gazetteer."""
    return load_index(conn)


def _wrong(r: GeocodeResult, a: Address) -> bool:
    """A 2025 code other than the one written, or a legacy commune that did not become it."""
    if r.commune_code_2025 is not None and r.commune_code_2025 != a.code:
        return True
    return r.status == "ok" and r.commune_code is not None and r.commune_code_2025 != a.code


def _measure(index: GazetteerIndex, addresses: list[Address], label: str) -> dict[str, int]:
    settled = [a for a in addresses if a.settled]
    right = wrong = open_ok = 0
    misses: list[str] = []
    for a in addresses:
        r = geocode_address(index, a.text)
        bad = _wrong(r, a)
        wrong += bad
        if a.settled:
            got = r.commune_code_2025 == a.code and r.status == "ok"
            right += got
        else:
            # the text does not settle it: an honest answer lists the unit among the candidates
            got = r.status == "ambiguous" and a.code in {c["code"] for c in r.candidates}
            open_ok += got
        if bad or not got:
            misses.append(f"{a.style} {a.text!r} -> {a.code}: got {r.commune_code_2025}"
                          f" {r.status} {[c['code'] for c in r.candidates]} {r.issues}")
    n = len(settled)
    styles = Counter(a.style for a in addresses)
    print(f"\n2025 addresses, {label} styles {''.join(sorted(styles))}: {len(addresses)} "
          f"addresses of {len(styles)} styles; settled by type word and name: n={n}, "
          f"right 2025 unit={right} ({right / n:.2%}); wrong={wrong}; not settled: "
          f"{len(addresses) - n}, ambiguous with the unit among the candidates: {open_ok}")
    for miss in misses:
        print("  miss:", miss)
    return {"n": n, "right": right, "wrong": wrong, "open": len(addresses) - n,
            "open_ok": open_ok}


def test_2025_addresses_held_out(conn: psycopg2.extensions.connection,
                                 index: GazetteerIndex) -> None:
    gazetteer = Gazetteer2025(conn)
    units = gazetteer.units
    assert len(units) >= 90 and {u.type for u in units} == {"xã", "phường", "đặc khu"}
    addresses = gazetteer.addresses(HELD_OUT)
    assert not {a.text for a in addresses} & {a.text for a in gazetteer.addresses(TUNED)}
    twice = [t for t, k in Counter(a.text for a in addresses).items() if k > 1]
    assert all(not a.settled for a in addresses if a.text in twice)  # 'XA SON HA': Hà, Hạ
    figures = _measure(index, addresses, "held-out")
    assert figures["n"] >= 0.9 * len(addresses)
    assert figures["right"] >= 0.99 * figures["n"]
    assert figures["wrong"] == 0
    assert figures["open_ok"] == figures["open"]


def test_2025_addresses_tuned_styles(conn: psycopg2.extensions.connection,
                                     index: GazetteerIndex) -> None:
    figures = _measure(index, Gazetteer2025(conn).addresses(TUNED), "tuned")
    assert figures["right"] == figures["n"] and figures["wrong"] == 0
    assert figures["open_ok"] == figures["open"]


def test_generator_knows_which_names_do_not_settle(conn: psycopg2.extensions.connection
                                                   ) -> None:
    gazetteer = Gazetteer2025(conn)
    by_name = {u.name: u for u in gazetteer.units}
    # a legacy Xã Trà Giang (Trà Bồng) became part of Xã Đông Trà Bồng, not of Xã Trà Giang
    assert not gazetteer.settled(by_name["Trà Giang"], marked=True)
    # written without marks, Sơn Hà and Sơn Hạ are the same two 2025 communes
    assert gazetteer.settled(by_name["Sơn Hà"], marked=True)
    assert not gazetteer.settled(by_name["Sơn Hà"], marked=False)
    # the legacy Xã Bình Minh is part of the 2025 Xã Bình Minh: the name settles it
    assert gazetteer.settled(by_name["Bình Minh"], marked=False)
    assert set(STYLES) == {*TUNED, *HELD_OUT}


def _codes(r: GeocodeResult) -> set[tuple[str | None, str | None]]:
    return {(c["code"], c["edition"]) for c in r.candidates}


@pytest.mark.parametrize("text", ["Xã Sơn Tịnh, tỉnh Quảng Ngãi", "X. Sơn Tịnh, T. Quảng Ngãi",
                                  "XÃ SƠN TỊNH", "Thôn 3, xã Sơn Tịnh"])
def test_type_word_settles_a_district_name(index: GazetteerIndex, text: str) -> None:
    r = geocode_address(index, text)
    assert (r.status, r.commune_code_2025, r.commune_name_2025) == \
        ("ok", "21220", "Xã Sơn Tịnh"), r
    assert r.commune_code is None and r.district_code == "527"  # its sources are all in 527


def test_same_name_legacy_commune_of_the_same_2025_unit(index: GazetteerIndex) -> None:
    for text, code in (("phuong cam thanh, tinh quang ngai", "21025"),
                       ("X. Bình Minh, T. Quảng Ngãi", "21085"),  # legacy Bình Minh: 21085
                       ("xa son linh, quang ngai", "21307"),  # legacy Sơn Linh 21304: 21307
                       ("Phường Đức Phổ, tỉnh Quảng Ngãi", "21439"),  # TX Đức Phổ: a district
                       ("Xã Nguyễn Nghiêm, tỉnh Quảng Ngãi", "21457"),  # legacy ones: wards
                       ("Xã Mộ Đức, T. Quảng Ngãi", "21400")):  # Thị trấn Mộ Đức: 21400
        r = geocode_address(index, text)
        assert (r.status, r.commune_code_2025) == ("ok", code), (text, r)


def test_bare_name_of_a_district_and_a_2025_commune_is_ambiguous(index: GazetteerIndex) -> None:
    for text, commune, district in (("Nghĩa Hành, Quảng Ngãi", "21364", "532"),
                                    ("Sơn Tịnh", "21220", "527"),
                                    ("binh son tinh quang ngai", "21040", "524"),
                                    ("Thôn 3, Tư Nghĩa", "21235", "528")):
        r = geocode_address(index, text)
        assert r.status == "ambiguous", text
        assert {(commune, "2025"), (district, "legacy")} <= _codes(r), text
        assert r.commune_code is None and r.commune_code_2025 is None, text
        assert r.district_code == district and r.precision == "district", text
    # without marks 'son tinh' is also the legacy Xã Sơn Tinh (Sơn Tây): three candidates
    r = geocode_address(index, "son tinh")
    assert r.status == "ambiguous" and r.district_code is None
    assert _codes(r) == {("21220", "2025"), ("527", "legacy"), ("21343", "legacy")}
    # typed, it is not bare: the district, or the 2025 commune
    assert geocode_address(index, "Huyện Nghĩa Hành").status == "ok"
    assert geocode_address(index, "Xã Nghĩa Hành").commune_code_2025 == "21364"


def test_bare_name_of_a_district_that_became_the_2025_unit_is_not_ambiguous(
        index: GazetteerIndex) -> None:
    r = geocode_address(index, "Lý Sơn, Quảng Ngãi")
    assert (r.status, r.district_code, r.commune_code_2025) == ("ok", "536", "21548")
    # Thị trấn Ba Tơ became Xã Ba Tơ: two candidates (as before), not three
    r = geocode_address(index, "Ba Tơ, Quảng Ngãi")
    assert r.status == "ambiguous" and _codes(r) == {("21484", "legacy"), ("535", "legacy")}


def test_import_report_rows_carry_the_2025_unit(conn: psycopg2.extensions.connection,
                                                tmp_path: Path) -> None:
    path = tmp_path / "co_so_2025.csv"
    path.write_text(
        "STT,Tên cơ sở,Địa chỉ\n"
        '1,Cơ sở mộc A,"Thôn 3, X. Sơn Tịnh, T. Quảng Ngãi"\n'
        '2,Cơ sở chế biến B,"số 12 Lê Lợi, phuong cam thanh, tinh quang ngai"\n'
        '3,Cơ sở rèn C,"Nghĩa Hành, Quảng Ngãi"\n',
        encoding="utf-8")
    result = import_file(conn, "establishments", path)
    got = [(r.status, r.geocode_status, r.commune_code, r.district_code, r.commune_code_2025,
            r.precision) for r in result.rows]
    assert got == [("accepted", "ok", None, "527", "21220", "district"),
                   ("accepted", "ok", None, "522", "21025", "district"),
                   ("accepted", "ambiguous", None, "532", None, "district")]
    assert {c["code"] for c in result.rows[2].candidates} == {"21364", "532"}
    assert result.rows[0].to_dict()["commune_code_2025"] == "21220"
