"""OGC API – Features at /ogc: documents, paging, filters, hidden fields, GDAL's OAPIF driver."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pyogrio
import pytest

from tests.world import one

COUNTS = {
    "establishments": "SELECT count(*) FROM establishment",
    "villages": "SELECT count(*) FROM craft_village",
    "projects": "SELECT count(*) FROM project",
    "communes": "SELECT count(*) FROM admin_unit WHERE edition = 'legacy' AND level = 'commune'",
    "districts": "SELECT count(*) FROM admin_unit WHERE edition = 'legacy' "
                 "AND level = 'district'",
    "communes_2025": "SELECT count(*) FROM admin_unit WHERE edition = '2025' "
                     "AND level = 'commune'",
    "coverage": "SELECT count(*) FROM admin_unit WHERE edition = 'legacy' AND level = 'commune'",
}
# Reading through GDAL happens in a child process: pyogrio keeps the GIL while GDAL fetches
# pages, and the live server answers from a thread of this process.
READ_ALL = """
import json, sys, pyogrio
pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": sys.argv[2]})
out = {}
for name, _ in pyogrio.list_layers(sys.argv[1]):
    df = pyogrio.read_dataframe(sys.argv[1], layer=name)
    out[name] = {"rows": len(df), "columns": sorted(df.columns),
                 "geometries": int(df.geometry.notna().sum())}
print(json.dumps(out))
"""


@pytest.fixture()
def viewer(bearer: Any) -> dict[str, str]:
    return bearer("viewer")


def test_gdal_has_the_oapif_driver() -> None:
    assert "OAPIF" in pyogrio.list_drivers()


def test_gdal_oapif_reads_every_collection(world: Any, live_server: str,
                                           viewer: dict[str, str]) -> None:
    token = viewer["Authorization"].split()[1]
    done = subprocess.run([sys.executable, "-c", READ_ALL, f"OAPIF:{live_server}/ogc", token],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    layers = json.loads(done.stdout)
    assert set(layers) == set(COUNTS)
    for name, sql in COUNTS.items():
        expected = one(world, sql)
        assert expected > 0
        assert layers[name]["rows"] == expected, name
    assert layers["communes"]["geometries"] == layers["communes"]["rows"]
    assert layers["establishments"]["geometries"] > 1000  # > one page of 1000: next links
    assert "owner_name" not in layers["establishments"]["columns"]  # viewer role
    assert "phone" not in layers["establishments"]["columns"]
    assert "support_vnd" in layers["coverage"]["columns"]


def test_landing_conformance_collections(client: Any, viewer: dict[str, str]) -> None:
    r = client.get("/ogc", headers=viewer)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    rels = {link["rel"]: link for link in r.json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert all("type" in link for link in r.json()["links"])
    conf = client.get("/ogc/conformance", headers=viewer).json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
    cols = client.get("/ogc/collections", headers=viewer)
    assert cols.headers["content-type"] == "application/json"
    ids = {c["id"] for c in cols.json()["collections"]}
    assert {"establishments", "villages", "projects", "communes", "districts",
            "coverage"} <= ids
    one_c = client.get("/ogc/collections/projects", headers=viewer).json()
    items = next(x for x in one_c["links"] if x["rel"] == "items")
    assert items["type"] == "application/geo+json" and items["href"].endswith("/items")
    assert len(one_c["extent"]["spatial"]["bbox"][0]) == 4


def test_items_paging_bbox_and_property_filters(world: Any, client: Any,
                                                viewer: dict[str, str]) -> None:
    url = "/ogc/collections/establishments/items"
    r = client.get(f"{url}?limit=10&offset=20", headers=viewer)
    assert r.headers["content-type"] == "application/geo+json"
    page = r.json()
    total = one(world, COUNTS["establishments"])
    assert page["numberMatched"] == total and page["numberReturned"] == 10
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert "offset=30" in links["next"] and "offset=10" in links["prev"]
    last = client.get(f"{url}?limit=10&offset={total - 3}", headers=viewer).json()
    assert last["numberReturned"] == 3 and "next" not in {x["rel"] for x in last["links"]}
    in_524 = one(world, """SELECT count(*) FROM establishment e JOIN LATERAL (SELECT * FROM
        location l WHERE l.establishment_id = e.id ORDER BY l.id LIMIT 1) l ON true
        LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.code = l.commune_code
        WHERE COALESCE(c.parent_code, l.district_code) = '524'""")
    got = client.get(f"{url}?district_code=524&limit=10000", headers=viewer).json()
    assert got["numberMatched"] == got["numberReturned"] == in_524 > 0
    assert {f["properties"]["district_code"] for f in got["features"]} == {"524"}
    bbox = "108.75,15.1,108.85,15.2"
    boxed = client.get(f"/ogc/collections/communes/items?bbox={bbox}", headers=viewer).json()
    expected = one(world, "SELECT count(*) FROM boundary WHERE edition = 'legacy' AND code IN "
                          "(SELECT code FROM admin_unit WHERE level = 'commune' AND edition = "
                          "'legacy') AND ST_Intersects(geom, ST_MakeEnvelope(108.75, 15.1, "
                          "108.85, 15.2, 4326))")
    assert boxed["numberMatched"] == expected > 0
    projects = client.get("/ogc/collections/projects/items?year=2023&limit=10000",
                          headers=viewer).json()
    assert projects["numberMatched"] == one(world, "SELECT count(*) FROM project "
                                                   "WHERE year = 2023")
    cov = client.get("/ogc/collections/coverage/items?edition=2025&data_status=no_data",
                     headers=viewer).json()
    assert cov["numberMatched"] > 0
    assert all(f["properties"]["support_vnd"] is None for f in cov["features"])


def test_single_items_and_errors(world: Any, client: Any, viewer: dict[str, str]) -> None:
    f = client.get("/ogc/collections/communes/items/21142", headers=viewer)
    assert f.status_code == 200 and f.headers["content-type"] == "application/geo+json"
    assert f.json()["id"] == "21142" and f.json()["geometry"]["type"] == "MultiPolygon"
    assert {x["rel"] for x in f.json()["links"]} == {"self", "collection"}
    eid = one(world, "SELECT min(id) FROM establishment")
    assert client.get(f"/ogc/collections/establishments/items/{eid}",
                      headers=viewer).json()["id"] == eid
    assert client.get("/ogc/collections/nope/items", headers=viewer).status_code == 404
    assert client.get("/ogc/collections/communes/items/99999",
                      headers=viewer).status_code == 404
    for bad in ("foo=1", "bbox=1,2,3", "limit=0", "bbox-crs=EPSG:3857"):
        r = client.get(f"/ogc/collections/communes/items?{bad}", headers=viewer)
        assert r.status_code == 400, bad
        assert r.json()["code"] == "InvalidParameterValue"


def test_personal_fields_only_for_roles_that_may_see_them(world: Any, client: Any,
                                                          bearer: Any) -> None:
    url = "/ogc/collections/establishments/items?limit=5"
    for role, shown in (("viewer", False), ("planner", True), ("admin", True)):
        props = client.get(url, headers=bearer(role)).json()["features"][0]["properties"]
        assert ("owner_name" in props) is shown, role
        assert ("phone" in props) is shown, role
