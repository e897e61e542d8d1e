"""Vector tiles: features, clusters, public fields only, 204/304/400, TileJSON, gating."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile

from tests.world import BINH_SON, one, rows

LON, LAT = 108.8, 15.0  # inside the province


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """x, y of the web-mercator tile holding a point."""
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def features(body: bytes, layer: str) -> list[dict[str, Any]]:
    decoded = mapbox_vector_tile.decode(body)
    return list(decoded[layer]["features"]) if layer in decoded else []


def province_tiles(conn: Any, z: int) -> list[tuple[int, int]]:
    """Every tile at zoom Z over the province's polygons."""
    w, s, e, n = rows(conn, "SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x) FROM "
                            "(SELECT ST_Extent(geom)::geometry x FROM boundary "
                            "WHERE edition = 'legacy') b")[0]
    x0, y0 = tile_of(w, n, z)
    x1, y1 = tile_of(e, s, z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def test_clusters_count_every_drawn_establishment_once(world, client) -> None:  # type: ignore[no-untyped-def]
    from geo.records.public_establishments import establishment_counts

    drawn = establishment_counts(world)["drawn"]
    assert drawn > 100
    for z in (8, 11):
        total, clusters = 0, 0
        for x, y in province_tiles(world, z):
            r = client.get(f"/tiles/establishments/{z}/{x}/{y}.mvt")
            assert r.status_code in (200, 204)
            if r.status_code == 204:
                continue
            assert r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
            for f in features(r.content, "establishments"):
                total += f["properties"]["count"]
                clusters += f["properties"]["count"] > 1
                if f["properties"]["count"] == 1:
                    assert f["properties"]["name"]
        assert total == drawn, z
        assert clusters > 0


def test_points_carry_public_fields_never_personal_ones(world, client) -> None:  # type: ignore[no-untyped-def]
    eid, lon, lat, name = rows(world, """
        SELECT e.id, ST_X(l.geom), ST_Y(l.geom), e.name FROM establishment e
        JOIN location l ON l.establishment_id = e.id
        WHERE l.precision = 'exact' AND e.owner_name IS NOT NULL AND e.phone IS NOT NULL
        ORDER BY e.id LIMIT 1""")[0]
    personal = {v for r in rows(world, "SELECT owner_name, phone, address_raw FROM establishment")
                for v in r if v}
    z = 17
    x, y = tile_of(lon, lat, z)
    r = client.get(f"/tiles/establishments/{z}/{x}/{y}.mvt")
    assert r.status_code == 200
    feats = features(r.content, "establishments")
    mine = [f for f in feats if f["properties"].get("id") == eid]
    assert mine and mine[0]["properties"]["name"] == name
    assert mine[0]["properties"]["precision"] == "exact"
    for f in feats:
        assert not {"owner_name", "phone", "address_raw", "address"} & set(f["properties"])
        assert not personal & {str(v) for v in f["properties"].values()}
    for owner in personal:
        assert owner.encode() not in r.content


def test_filters_empty_and_bad_tiles(world, client) -> None:  # type: ignore[no-untyped-def]
    x, y = tile_of(LON, LAT, 8)
    assert client.get("/tiles/establishments/8/0/0.mvt").status_code == 204
    for bad in ("23/0/0", "8/256/0", "8/0/-1", "-1/0/0"):
        r = client.get(f"/tiles/establishments/{bad}.mvt")
        assert r.status_code == 400, bad
        assert "detail" in r.json()
    assert client.get(f"/tiles/roads/8/{x}/{y}.mvt").status_code == 422
    trade = one(world, "SELECT trade FROM establishment WHERE trade IS NOT NULL "
                       "GROUP BY trade ORDER BY count(*) DESC LIMIT 1")

    def count(url: str) -> int:
        n = 0
        for tx, ty in province_tiles(world, 8):
            r = client.get(url.format(x=tx, y=ty))
            n += sum(f["properties"]["count"] for f in features(r.content, "establishments")) \
                if r.status_code == 200 else 0
        return n

    all_ = count("/tiles/establishments/8/{x}/{y}.mvt")
    of_trade = count("/tiles/establishments/8/{x}/{y}.mvt?trade=" + trade)
    of_district = count("/tiles/establishments/8/{x}/{y}.mvt?district=" + BINH_SON)
    assert 0 < of_trade < all_ and 0 < of_district < all_
    assert client.get(f"/tiles/establishments/8/{x}/{y}.mvt?district=zzz").status_code == 422


def test_etag_304_and_new_version_after_a_write(world, client) -> None:  # type: ignore[no-untyped-def]
    x, y = tile_of(LON, LAT, 8)
    url = f"/tiles/establishments/8/{x}/{y}.mvt"
    r = client.get(url)
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    with world.cursor() as cur:
        cur.execute("UPDATE establishment SET workers = workers WHERE id = "
                    "(SELECT min(id) FROM establishment)")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_units_projects_villages_and_tilejson(world, client) -> None:  # type: ignore[no-untyped-def]
    x, y = tile_of(LON, LAT, 9)
    for layer, query in (("communes", ""), ("communes", "?edition=2025"), ("districts", ""),
                         ("villages", ""), ("projects", "?years=2000-2100&status=all")):
        r = client.get(f"/tiles/{layer}/9/{x}/{y}.mvt{query}")
        assert r.status_code == 200, (layer, query)
        feats = features(r.content, layer)
        assert feats, layer
    communes = features(client.get(f"/tiles/communes/9/{x}/{y}.mvt").content, "communes")
    assert {"code", "name", "quality"} <= set(communes[0]["properties"])
    assert client.get(f"/tiles/districts/9/{x}/{y}.mvt?edition=2025").status_code == 422
    assert client.get(f"/tiles/projects/9/{x}/{y}.mvt?years=2000").status_code == 204
    doc = client.get("/tiles/establishments.json?district=" + BINH_SON).json()
    assert doc["tiles"][0].endswith("/tiles/establishments/{z}/{x}/{y}.mvt?district="
                                    + BINH_SON)
    assert doc["tiles"][0].startswith("http")
    assert doc["minzoom"] == 0 and doc["maxzoom"] >= 14
    w, s, e, n = doc["bounds"]
    assert 108 < w < LON < e < 110 and 14 < s < LAT < n < 16
    assert doc["vector_layers"][0]["id"] == "establishments"
    assert "owner_name" not in doc["vector_layers"][0]["fields"]


def test_tiles_need_login_unless_maps_are_public(database) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from geo.core.settings import AuthSettings, MapSettings

    app = create_app(database=database, map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=False))
    with TestClient(app) as c:
        r = c.get("/tiles/establishments/8/0/0.mvt")
        assert r.status_code == 401 and r.json()["detail"]
        assert c.get("/tiles/communes.json").status_code == 401


def test_kept_cells_cluster_like_the_points_in_sql(world) -> None:  # type: ignore[no-untyped-def]
    from geo.core.vocab import TileLayer
    from geo.publish.tiles import TileQuery, _sql_and_params, build_tile

    for district in (None, BINH_SON):
        q = TileQuery(TileLayer.establishments, district=district)
        for z in (9, 12):
            for x, y in province_tiles(world, z):
                from_cells = features(build_tile(world, q, z, x, y), "establishments")
                sql, params = _sql_and_params(q, z, x, y)
                direct = features(bytes(one(world, sql, params) or b""), "establishments")

                def key(f: dict[str, Any]) -> tuple[Any, ...]:
                    return (tuple(f["geometry"]["coordinates"]), f["properties"]["count"],
                            f["properties"].get("id"))

                assert sorted(map(key, from_cells)) == sorted(map(key, direct)), (z, x, y)


def test_tiles_gzipped_when_accepted(world, client) -> None:  # type: ignore[no-untyped-def]
    import gzip

    from api.web.responses import GZIP_MIN_BYTES

    x, y = tile_of(LON, LAT, 9)
    url = f"/tiles/communes/9/{x}/{y}.mvt"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert len(plain.content) >= GZIP_MIN_BYTES
    assert plain.headers["vary"] == "Accept-Encoding"
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    assert len(raw) < len(plain.content) and gzip.decompress(raw) == plain.content
    assert features(gzip.decompress(raw), "communes")
    assert r.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    for etag in (r.headers["etag"], plain.headers["etag"]):
        again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag
    # a client that does not take gzip revalidates only the plain tile
    stale = client.get(url, headers={"Accept-Encoding": "identity",
                                     "If-None-Match": r.headers["etag"]})
    assert stale.status_code == 200 and stale.content == plain.content
