"""The cycle indicators of the choropleth (recognised products, communes without a
collaborator, unmet requested money) agree with the cycle's own API answers, per commune, per
district and carried to the 2025 communes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from geo.analytics.edition2025 import report_2025
from geo.analytics.indicators import indicator_report
from geo.core.vocab import Level


def _api_truth(client: Any, bearer: Any) -> dict[str, Counter[str]]:
    viewer = bearer("viewer")
    products = Counter({r["code"]: r["products"]
                        for r in client.get("/api/products/per-commune").json()})
    missing = Counter({r["code"]: 1 for r in client.get("/api/collaborators/missing").json()})
    unmet = Counter({r["code"]: r["unmet_requested_vnd"] for r in
                     client.get("/api/needs/unmet", headers=viewer).json()["communes"]
                     if r["code"] is not None})
    return {"recognised_products": products, "communes_without_collaborator": missing,
            "unmet_requested_vnd": unmet}


def test_commune_and_district_values_match_the_cycle_api(world: Any, client: Any,
                                                         bearer: Any) -> None:
    truth = _api_truth(client, bearer)
    assert all(sum(c.values()) > 0 for c in truth.values()), "the demo has all three"
    communes = indicator_report(world, Level.commune, geometry=False)["units"]
    for key, expected in truth.items():
        assert {u["code"]: u[key] for u in communes if u[key]} == {
            k: v for k, v in expected.items() if v}, key
    parent = {u["code"]: u["district_code"] for u in communes}
    districts = indicator_report(world, Level.district, geometry=False)["units"]
    for key in ("recognised_products", "communes_without_collaborator"):
        by_district: Counter[str] = Counter()
        for code, value in truth[key].items():
            by_district[parent[code]] += value
        assert {u["code"]: u[key] for u in districts if u[key]} == {
            k: v for k, v in by_district.items() if v}, key
    viewer = bearer("viewer")
    needs = [n for n in client.get("/api/needs", headers=viewer).json()
             if n["status"] in ("registered", "shortlisted", "in_plan")]
    unmet: Counter[str] = Counter()
    for n in needs:
        unmet[n["district_code"]] += n["requested_vnd"]
    assert {u["code"]: u["unmet_requested_vnd"] for u in districts
            if u["unmet_requested_vnd"]} == dict(unmet)


def test_2025_communes_carry_the_cycle_values(world: Any) -> None:
    legacy = indicator_report(world, Level.commune, geometry=False)["units"]
    units = report_2025(world, geometry=False)["units"]
    for key in ("recognised_products", "communes_without_collaborator",
                "unmet_requested_vnd"):
        assert sum(u[key] or 0 for u in units) == sum(u[key] for u in legacy), key
