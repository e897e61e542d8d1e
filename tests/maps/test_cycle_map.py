"""The khuyến công year's map /maps/cycle: in Chromium its four overlays appear in the layer
control, draw their points and polygons and switch off and on; hostile names show as text;
a collaborator's name and phone never reach the page; the cycle indicators are for the
choropleth too, the one drawn from needs only for logged-in users."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from geo.accounts.authz import Actor
from geo.cycle.collaborators import communes_without_collaborator, create_collaborator
from geo.cycle.needs import create_need
from geo.cycle.products import create_product
from tests.conftest import TEST_PASSWORD
from tests.maps.test_hostile_names import EXERCISE, JINJA, X_IMG, X_SCRIPT, X_SVG
from tests.review_helpers import auth_client, login
from tests.world import BINH_SON, add_establishment, communes_of

SECRET_NAME, SECRET_PHONE = "Tran Thi Bimat", "0987 654 321"
LAYERS = {"kc-cycle-products": "Sản phẩm được công nhận (OCOP, CNNT tiêu biểu)",
          "kc-cycle-collaborators": "Xã có cộng tác viên khuyến công",
          "kc-cycle-missing": "Xã chưa có cộng tác viên",
          "kc-cycle-needs": "Nhu cầu hỗ trợ chưa đáp ứng"}


def _cycle_records(conn: Any, planner: Actor) -> dict[str, Any]:
    """One hostile product, need and collaborator in Bình Sơn; the other communes have none."""
    eid = add_establishment(conn, "CY-1", BINH_SON)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s WHERE id = %s",
                    (f"{X_SVG} {JINJA}", eid))
    create_product(conn, planner, {"name": X_IMG, "establishment_id": eid, "kind": "ocop",
                                   "stars": 4, "level": "provincial", "year": 2024})
    create_need(conn, planner, {"establishment_id": eid, "activity_type": "machinery",
                                "description": X_SCRIPT, "total_cost_vnd": 900_000_000,
                                "requested_vnd": 300_000_000, "desired_year": 2026})
    commune = communes_of(conn, BINH_SON)[1]
    create_collaborator(conn, planner, {"commune_code": commune, "full_name": SECRET_NAME,
                                        "phone": SECRET_PHONE, "position": X_SCRIPT,
                                        "since_year": 2022})
    return {"establishment": eid, "commune": commune,
            "missing": len(communes_without_collaborator(conn))}


def _login(page: Any, base: str, path: str, username: str) -> None:
    page.goto(f"{base}/login?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def test_cycle_layers_toggle_and_render_in_chromium(boundaries: Any, make_user: Any,
                                                    live_server: str,
                                                    offline_page: Any) -> None:
    records = _cycle_records(boundaries, make_user("planner"))
    viewer = make_user("viewer")
    page = offline_page.page
    _login(page, live_server, "/maps/cycle", viewer.username)
    page.wait_for_selector("path.kc-cycle-needs", state="attached", timeout=20000)
    assert SECRET_NAME not in page.content() and SECRET_PHONE not in page.content()
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label")
    texts = [labels.nth(i).inner_text().strip() for i in range(labels.count())]
    counts = {"kc-cycle-products": 1, "kc-cycle-collaborators": 1,
              "kc-cycle-missing": records["missing"], "kc-cycle-needs": 1}
    for css, name in LAYERS.items():
        label = next(t for t in texts if t.startswith(name))
        assert label.endswith(f"({counts[css]})"), label
        assert page.locator(f"path.{css}").count() == counts[css], css
    # The communes without a collaborator are their polygons, not dots.
    assert records["missing"] > 1
    missing_path = page.locator("path.kc-cycle-missing").first.get_attribute("d") or ""
    assert missing_path.count("L") > 3
    products = page.locator(".leaflet-control-layers-overlays label",
                            has_text=LAYERS["kc-cycle-products"]).locator("input")
    products.uncheck()
    assert page.locator("path.kc-cycle-products").count() == 0
    assert page.locator("path.kc-cycle-needs").count() == 1
    products.check()
    assert page.locator("path.kc-cycle-products").count() == 1

    shown = "\n".join(page.evaluate(EXERCISE))
    for wanted in (X_IMG, f"{X_SVG} {JINJA}", X_SCRIPT, "4 sao", "300.000.000 đ"):
        assert wanted in shown, wanted
    assert SECRET_NAME not in shown and SECRET_PHONE not in shown
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img[onerror], img[src=x], svg[onload]").count() == 0
    assert offline_page.blocked == [] and offline_page.console_errors == []


def test_cycle_page_links_and_who_may_see_it(boundaries: Any, make_user: Any) -> None:
    viewer = auth_client(boundaries)
    login(viewer, make_user("viewer").username)
    empty = viewer.get("/maps/cycle")  # no product, collaborator or need yet
    assert empty.status_code == 200
    assert all(json.dumps(f"{name} (0)")[1:-1] in empty.text  # the layer control's names
               for css, name in LAYERS.items() if css != "kc-cycle-missing")
    _cycle_records(boundaries, make_user("planner"))
    anonymous = auth_client(boundaries, public_maps=True)
    for path in ("/maps/cycle", "/maps/coverage?indicator=unmet_requested_vnd",
                 "/maps/coverage.png?indicator=unmet_requested_vnd"):  # to the login, and back
        refused = anonymous.get(path, follow_redirects=False)
        assert refused.status_code == 303, path
        assert refused.headers["location"] == "/login?next=" + quote(path, safe="")
    assert anonymous.get("/api/needs/unmet").status_code == 401  # the API: 401 JSON
    page = anonymous.get("/maps/coverage?indicator=recognised_products")
    assert page.status_code == 200 and 'href="/maps/cycle"' in page.text
    assert anonymous.get("/maps/coverage?indicator=communes_without_collaborator"
                         "&level=district").status_code == 200
    assert 'href="/maps/cycle"' in anonymous.get("/").text
    planner = auth_client(boundaries)
    login(planner, make_user("planner").username)
    page = planner.get("/maps/cycle?level=district&indicator=recognised_products")
    assert page.status_code == 200
    assert SECRET_NAME not in page.text and SECRET_PHONE not in page.text
    assert 'action="/maps/cycle"' in page.text
    assert planner.get("/maps/coverage?indicator=unmet_requested_vnd").status_code == 200
