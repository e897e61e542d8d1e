"""Address geocoder on a labelled set of messy addresses, plus the API and CLI interfaces."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import Counter
from pathlib import Path

import psycopg2.extensions
import pytest
from typer.testing import CliRunner

from geo.gazetteer.index import GazetteerIndex, load_index, refresh_index
from geo.geocoding.addrnorm import canonical_marks, tokenize
from geo.geocoding.geocoder import GeocodeResult, geocode_address

LABELLED = Path(__file__).parents[2] / "data" / "addresses_labelled.csv"


@pytest.fixture()
def index(conn: psycopg2.extensions.connection) -> GazetteerIndex:
    """The geocoding index of the test gazetteer."""
    return load_index(conn)


def _labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_labelled_set_accuracy(index: GazetteerIndex) -> None:
    rows = _labelled()
    n = len(rows)
    right = wrong = status_right = 0
    by_case: Counter[str] = Counter()
    misses: list[str] = []
    for row in rows:
        r = geocode_address(index, row["address"])
        got = (r.commune_code or "", r.district_code or "")
        expected = (row["expected_commune_code"], row["expected_district_code"])
        right += got == expected
        # a wrong answer names a commune that is not the right one (an honest 'ambiguous'
        # or a coarser district answer is not wrong)
        wrong += bool(r.commune_code) and r.commune_code != row["expected_commune_code"]
        status_right += r.status == row["expected_status"]
        if got != expected or r.status != row["expected_status"]:
            by_case[row["case"]] += 1
            misses.append(f"{row['address']!r}: expected {expected} {row['expected_status']},"
                          f" got {got} {r.status} {r.issues}")
    accuracy, wrong_rate = right / n, wrong / n
    print(f"\nlabelled addresses: n={n}, commune accuracy={accuracy:.2%}, "
          f"wrong commune={wrong_rate:.2%}, status agreement={status_right / n:.2%}")
    for miss in misses:
        print("  miss:", miss)
    assert n >= 300
    assert accuracy >= 0.98
    assert wrong_rate <= 0.005
    assert status_right / n >= 0.98


def test_labelled_set_covers_every_district_and_most_communes(index: GazetteerIndex) -> None:
    rows = _labelled()
    districts = {r["expected_district_code"] for r in rows}
    communes = {r["expected_commune_code"] for r in rows} - {""}
    legacy = [u for u in index.units.values() if u.edition == "legacy"]
    assert {u.code for u in legacy if u.level == "district"} <= districts
    assert len(communes) >= 0.9 * sum(u.level == "commune" for u in legacy)
    cases = Counter(r["case"].split(",")[0] for r in rows)
    for needed in ("no diacritics", "NFD", "abbreviations", "missing district", "history 2013",
                   "history Tây Trà", "history Đức Phổ", "street-like ward",
                   "hamlet-like commune", "two wards same name", "typo", "Lý Sơn", "noise",
                   "old tone placement", "other province", "reversed order"):
        assert cases[needed] > 0, needed


def _check(r: GeocodeResult, commune: str | None, district: str | None, status: str,
           precision: str) -> None:
    assert (r.commune_code, r.district_code, r.status, r.precision) == \
        (commune, district, status, precision), r


def test_history_cases(index: GazetteerIndex) -> None:
    r = geocode_address(index, "Xã Phổ Văn, huyện Đức Phổ")
    _check(r, "21451", "534", "ok", "commune")
    assert r.commune_name == "Phường Phổ Văn" and r.commune_code_2025 == "21451"
    r = geocode_address(index, "Tịnh Ấn Tây, Sơn Tịnh")
    _check(r, "21223", "522", "ok", "commune")
    assert any("đã chuyển từ Huyện Sơn Tịnh" in i for i in r.issues)
    _check(geocode_address(index, "xã Trà Phong, huyện Tây Trà"), "21154", "525", "ok",
           "commune")
    _check(geocode_address(index, "Thị trấn Đức Phổ"), "21439", "534", "ok", "commune")


def test_lyson_has_district_precision_and_2025_code(index: GazetteerIndex) -> None:
    r = geocode_address(index, "Thôn Đông, xã An Vĩnh, huyện Lý Sơn, Quảng Ngãi")
    _check(r, None, "536", "ok", "district")
    assert r.commune_code_2025 == "21548"
    assert r.method == "centroid:district" and r.lon is not None


def test_ambiguous_never_guesses(index: GazetteerIndex) -> None:
    r = geocode_address(index, "Phường Nguyễn Nghiêm")
    _check(r, None, None, "ambiguous", "province")
    assert {(c["code"], c["district_code"]) for c in r.candidates} == \
        {("21025", "522"), ("21439", "534")}
    r = geocode_address(index, "ba to")
    _check(r, None, "535", "ambiguous", "district")
    assert {"21484", "21523"} <= {c["code"] for c in r.candidates}
    # diacritics break the tie, as do type words and districts
    _check(geocode_address(index, "Ba Tô, Quảng Ngãi"), "21523", "535", "ok", "commune")
    _check(geocode_address(index, "thi tran ba to, huyen ba to"), "21484", "535", "ok",
           "commune")
    _check(geocode_address(index, "Phường Nguyễn Nghiêm, TX Đức Phổ"), "21439", "534", "ok",
           "commune")


def test_street_and_hamlet_names_are_not_units(index: GazetteerIndex) -> None:
    _check(geocode_address(index, "45 Trần Hưng Đạo, phường Trần Phú"), "21013", "522", "ok",
           "commune")
    _check(geocode_address(index, "Thôn Tịnh Long, xã Tịnh Ấn Tây"), "21223", "522", "ok",
           "commune")
    _check(geocode_address(index, "123 Trần Hưng Đạo, TP Quảng Ngãi"), None, "522", "ok",
           "district")


def test_unicode_forms_and_tone_placement(index: GazetteerIndex) -> None:
    text = "Xã Bình Hòa, huyện Bình Sơn"
    expected = geocode_address(index, text).to_dict()
    for variant in (unicodedata.normalize("NFD", text), "Xã Bình Hoà, huyện Bình Sơn",
                    "XÃ  BÌNH HÒA ,HUYỆN BÌNH SƠN", "x.Binh Hoa,h.Binh Son"):
        got = geocode_address(index, variant).to_dict()
        assert (got["commune_code"], got["status"]) == (expected["commune_code"], "ok"), variant
    assert canonical_marks("hoà") == canonical_marks("hòa")
    assert canonical_marks("thuỷ") == canonical_marks("thủy")
    assert canonical_marks("Tô") != canonical_marks("tơ")


def test_abbreviations_expand() -> None:
    assert [t.f for t in tokenize("Tp.QNgai")] == ["tp", "quang", "ngai"]
    assert [t.f for t in tokenize("TTChâu Ổ,H.Bình Sơn")] == ["tt", "chau", "o", "h", "binh",
                                                              "son"]
    assert [t.seg for t in tokenize("X. Phổ Văn - QNg")] == [0, 0, 0, 1, 1]


def test_not_found_and_other_provinces(index: GazetteerIndex) -> None:
    for text in ("", "   ", "không rõ", "Phường 1, Quận 3, TP Hồ Chí Minh"):
        r = geocode_address(index, text)
        assert (r.status, r.precision, r.score) == ("not_found", "none", 0.0), text
        assert r.issues


def test_typos_fall_back_to_fuzzy_within_district(index: GazetteerIndex) -> None:
    r = geocode_address(index, "Xã Hành Thịnhh, huyện Nghĩa Hành")
    _check(r, "21391", "532", "ok", "commune")
    assert r.score < 1.0 and any("chính tả" in i for i in r.issues)


def test_index_is_used_without_the_database(test_dsn: str) -> None:
    conn = psycopg2.connect(test_dsn)
    index = load_index(conn)
    assert refresh_index(conn, index) is index
    conn.close()  # no per-call database access
    assert geocode_address(index, "Xã Bình Châu, Bình Sơn").commune_code == "21112"


# --- interfaces ---------------------------------------------------------------------------

FIELDS = {"commune_code", "district_code", "commune_code_2025", "commune_name", "district_name",
          "precision", "score", "status", "lon", "lat", "candidates", "issues"}


def test_api_geocode(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/geocode", params={"q": "Xã Phổ Văn, huyện Đức Phổ"})
    assert r.status_code == 200
    body = r.json()
    assert FIELDS <= set(body)
    assert (body["commune_code"], body["district_code"], body["status"], body["precision"]) == \
        ("21451", "534", "ok", "commune")
    assert body["commune_name"] == "Phường Phổ Văn"
    amb = client.get("/api/geocode", params={"q": "Phường Nguyễn Nghiêm"}).json()
    assert amb["status"] == "ambiguous" and len(amb["candidates"]) == 2
    pt = client.get("/api/geocode", params={"q": "Phổ Văn", "lat": "108,94", "lon": "14,85"})
    assert pt.json()["precision"] == "exact"
    assert client.get("/api/geocode").status_code == 422
    bad_crs = client.get("/api/geocode", params={"lat": "1672370", "lon": "585791",
                                                 "crs": "EPSG:0"})
    assert bad_crs.status_code == 422 and "EPSG:0" in bad_crs.json()["detail"]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_cli_geocode_csv(tmp_path: Path, test_dsn: str) -> None:
    from pyproj import Transformer

    from api.cli.main import app

    e, n = Transformer.from_crs("EPSG:4326", "EPSG:5898", always_xy=True).transform(108.94,
                                                                                   14.85)
    src = tmp_path / "in.csv"
    _write_csv(src, [
        ["ma", "dia_chi", "vido", "kinhdo"],
        ["1", "Xã Phổ Văn, huyện Đức Phổ", "", ""],
        ["2", "Phường Nguyễn Nghiêm", "", ""],
        ["3", "tinh an tay, son tinh", "15,165", "108,78"],
        ["4", "Phổ Văn", f"{n:.2f}", f"{e:.2f}"],
        ["5", "Hà Nội", "21.02", "105.85"],
    ])
    out = tmp_path / "out.csv"
    runner = CliRunner()
    res = runner.invoke(app, ["geocode", str(src), "--column", "dia_chi", "--lat-column", "vido",
                              "--lon-column", "kinhdo", "-o", str(out)],
                        env={"DATABASE_URL": test_dsn})
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:4] == ["ma", "dia_chi", "vido", "kinhdo"]
    assert {"commune_code", "district_code", "commune_code_2025", "precision", "score",
            "status", "lon", "lat", "candidates"} <= set(rows[0])
    assert (rows[0]["commune_code"], rows[0]["precision"], rows[0]["status"]) == \
        ("21451", "commune", "ok")
    assert rows[1]["status"] == "ambiguous"
    assert rows[1]["candidates"] == "21025:Phường Nguyễn Nghiêm|21439:Phường Nguyễn Nghiêm"
    assert (rows[2]["commune_code"], rows[2]["precision"]) == ("21223", "exact")
    assert (float(rows[2]["lat"]), float(rows[2]["lon"])) == pytest.approx((15.165, 108.78))
    assert rows[3]["precision"] == "exact"
    assert float(rows[3]["lat"]) == pytest.approx(14.85, abs=1e-5)
    assert rows[4]["status"] == "not_found" and rows[4]["precision"] == "none"


def test_cli_missing_column_and_text_mode(tmp_path: Path, test_dsn: str) -> None:
    from api.cli.main import app

    src = tmp_path / "in.csv"
    _write_csv(src, [["ma", "dia_chi"], ["1", "Xã Bình Châu"]])
    runner = CliRunner()
    res = runner.invoke(app, ["geocode", str(src), "--column", "address", "-o",
                              str(tmp_path / "o.csv")], env={"DATABASE_URL": test_dsn})
    assert res.exit_code == 1
    assert "address" in res.output and str(src) in res.output
    res = runner.invoke(app, ["geocode", "--text", "Xã Phổ Văn, huyện Đức Phổ"],
                        env={"DATABASE_URL": test_dsn})
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert body["commune_code"] == "21451" and body["commune_name"] == "Phường Phổ Văn"
    assert "Phường Phổ Văn" in res.stdout  # ensure_ascii=False
