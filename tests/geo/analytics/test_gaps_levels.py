"""The underserved ranking per legacy district and per 2025 commune (/api/gaps, its downloads,
/maps/gaps): figures follow the coverage indicators, the one cross rule answers in Vietnamese,
the page switches level and edition keeping the filters."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.world import rows

MEASURES = ("establishments", "workers", "craft_villages")


def _district_sums(coverage: dict[str, Any]) -> dict[str, Counter[str]]:
    """Per legacy district: its communes' values plus what only the district knows."""
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for f in coverage["features"]:
        p = f["properties"]
        for key in MEASURES:
            sums[p["district_code"]][key] += p[key]
        sums[p["district_code"]]["support_vnd"] += p["support_vnd"]
    for r in coverage["summary"]["unallocated"]:
        if r["district_code"] is None:
            continue
        for key in MEASURES:
            sums[r["district_code"]][key] += r.get(key, 0)
        sums[r["district_code"]]["support_vnd"] += r["kc_vnd"]
    return sums


def test_district_ranking_sums_its_communes(world: Any, client: Any) -> None:
    communes = client.get("/api/coverage?level=commune&years=2021-2025").json()
    data = client.get("/api/gaps?level=district&years=2021-2025").json()
    assert data["level"] == "district" and data["edition"] == "legacy"
    assert "cấp huyện" in data["formula"]
    ranked = data["communes"]
    districts = dict(rows(world, "SELECT code, name FROM admin_unit WHERE edition = 'legacy' "
                                 "AND level = 'district'"))
    assert len(ranked) >= 5 and {r["code"] for r in ranked} <= set(districts)
    sums = _district_sums(communes)
    for r in ranked:
        assert r["name"] == districts[r["code"]]
        for key in (*MEASURES, "support_vnd"):
            assert r[key] == sums[r["code"]][key], (r["name"], key)
    # The score follows its definition over the district values (k = 1 for every district).
    by_district = client.get("/api/coverage?level=district&years=2021-2025").json()
    totals = {k: sum(f["properties"][k] for f in by_district["features"])
              for k in (*MEASURES, "support_vnd")}
    assert totals["support_vnd"] == sum(s["support_vnd"] for s in sums.values())
    for r in ranked:
        need = sum(r[k] / totals[k] for k in MEASURES if totals[k]) \
            / sum(1 for k in MEASURES if totals[k])
        support = r["support_vnd"] / totals["support_vnd"]
        assert r["score"] == pytest.approx(100 * (need - support), abs=1e-3)
        assert r["priority"] is False
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a["score"] >= b["score"] for a, b in zip(ranked, ranked[1:], strict=False))


def test_2025_ranking_names_2025_units(world: Any, client: Any) -> None:
    data = client.get("/api/gaps?edition=2025").json()
    assert data["edition"] == "2025" and data["level"] == "commune"
    new = dict(rows(world, "SELECT code, name FROM admin_unit WHERE edition = '2025' "
                           "AND level = 'commune'"))
    legacy = set(rows(world, "SELECT code, name FROM admin_unit WHERE edition = 'legacy'"))
    ranked = data["communes"]
    assert len(ranked) > 10
    for r in ranked:
        assert new[r["code"]] == r["name"] and r["former"]
    assert any((r["code"], r["name"]) not in legacy for r in ranked)
    # The same values as the 2025 coverage map (the one carried-over report).
    coverage = {f["id"]: f["properties"]
                for f in client.get("/api/coverage?edition=2025").json()["features"]}
    for r in ranked:
        p = coverage[r["code"]]
        assert p["data_status"] == "ok"
        assert (r["establishments"], r["workers"], r["craft_villages"], r["support_vnd"]) == \
            (p["establishments"], p["workers"], p["craft_villages"], p["support_vnd"])
    with_need = [p for p in coverage.values() if p["data_status"] == "ok"
                 and (p["establishments"] or p["craft_villages"])]
    assert len(ranked) == len(with_need)
    assert data["communes"] != client.get("/api/gaps").json()["communes"]


def test_district_level_in_2025_and_plan_outside_legacy_communes_refused(
        world: Any, client: Any) -> None:
    for url in ("/api/gaps?level=district&edition=2025",
                "/api/gaps.csv?level=district&edition=2025",
                "/api/gaps?edition=2025&plan=2026", "/api/gaps?level=district&plan=2026"):
        r = client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"].startswith("application/json"), url
        detail = r.json()["detail"]
        assert isinstance(detail, str) and ("cấp huyện" in detail or "kế hoạch" in detail), url
    for url in ("/maps/gaps?level=district&edition=2025&years=2023",
                "/maps/gaps?edition=2025&plan=2026"):
        r = client.get(url)
        assert 400 <= r.status_code < 500, url
        assert r.headers["content-type"].startswith("text/html"), url
        assert 'lang="vi"' in r.text and ("cấp huyện" in r.text or "kế hoạch" in r.text), url


def test_district_and_2025_downloads(world: Any, client: Any) -> None:
    r = client.get("/api/gaps.csv?level=district&source=KCDP")
    assert r.status_code == 200 and "huyen" in r.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Hạng", "Mã huyện", "Tên huyện"] and "Xã ưu tiên" not in table[0]
    api = client.get("/api/gaps?level=district&source=KCDP").json()["communes"]
    assert [row[2] for row in table[1:]] == [r["name"] for r in api]
    r = client.get("/api/gaps.csv?edition=2025")
    assert "xa-2025" in r.headers["content-disposition"]
    header = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert "Gồm các đơn vị trước 1/7/2025" in header and "Huyện" not in header
    r = client.get("/maps/gaps.xlsx?level=district")
    assert r.status_code == 200 and "huyen" in r.headers["content-disposition"]
    r = client.get("/maps/gaps.png?level=district")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert client.get("/maps/gaps.png?level=district&edition=2025").status_code == 422


def test_gaps_page_switches_keep_the_filters(world: Any, live_server: str,
                                             offline_page: Any) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/maps/gaps?years=2022-2024&source=KCDP&allocation=even",
              wait_until="networkidle")
    page.wait_for_selector("path.kc-gap")
    switches = page.locator(".kc-switches")
    assert switches.is_visible()
    for text in ("Cấp xã", "Cấp huyện", "Trước 1/7/2025", "Từ 1/7/2025 (xã mới)"):
        assert switches.get_by_role("link", name=text).is_visible(), text
    assert switches.locator("a[aria-current]").all_inner_texts() == ["Cấp xã",
                                                                      "Trước 1/7/2025"]

    def query() -> dict[str, list[str]]:
        return parse_qs(urlparse(page.url).query)

    switches.get_by_role("link", name="Cấp huyện").click()
    page.wait_for_selector("path.kc-gap.kc-district")
    q = query()
    assert q["level"] == ["district"] and q["years"] == ["2022-2024"]
    assert q["source"] == ["KCDP"] and q["allocation"] == ["even"]
    districts = {n for (n,) in rows(world, "SELECT name FROM admin_unit WHERE "
                                           "edition = 'legacy' AND level = 'district'")}
    names = page.locator(".kc-gaplist .kc-gap-name").all_inner_texts()
    assert names and set(names) <= districts
    assert "Huyện thiếu hỗ trợ" in page.locator(".kc-title").inner_text()
    # The filter form keeps the level too.
    page.fill(".kc-aside input[name=years]", "2023")
    page.locator(".kc-aside form.kc-filter button[type=submit]").click()
    page.wait_for_selector("path.kc-gap.kc-district")
    assert query()["level"] == ["district"] and query()["years"] == ["2023"]

    page.locator(".kc-switches").get_by_role("link", name="Từ 1/7/2025 (xã mới)").click()
    page.wait_for_selector("path.kc-gap.kc-commune")
    q = query()
    assert q["edition"] == ["2025"] and q["level"] == ["commune"] and q["years"] == ["2023"]
    new = {n for (n,) in rows(world, "SELECT name FROM admin_unit WHERE edition = '2025' "
                                     "AND level = 'commune'")}
    names = page.locator(".kc-gaplist .kc-gap-name").all_inner_texts()
    assert names and set(names) <= new
    exports = [a.get_attribute("href") or ""
               for a in page.locator(".kc-aside a.kc-export").all()]
    assert exports and all(parse_qs(urlparse(h).query).get("edition") == ["2025"]
                           for h in exports if "briefing" not in h)
    assert offline_page.console_errors == []
