"""Static assets gzipped once for browsers that accept it; HTML with a CSRF token never."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers

from api.web.static_files import accepts_gzip
from maps.core.assets import OWN_DIR, vendor_dirs, vendor_url

LEAFLET_JS = vendor_dirs()["leaflet"] / "leaflet.js"


def _raw(client: Any, path: str, headers: dict[str, str]) -> tuple[Any, bytes]:
    """The response to GET PATH and its body as sent (not decoded by the client)."""
    with client.stream("GET", path, headers=headers) as r:
        return r, b"".join(r.iter_raw())


def test_vendor_js_is_gzipped_and_decompresses_to_the_file(client: Any) -> None:
    url = vendor_url("leaflet", "leaflet.js")
    r, body = _raw(client, url, {"Accept-Encoding": "gzip, deflate, br"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.headers["content-type"].startswith("text/javascript")
    assert int(r.headers["content-length"]) == len(body)
    assert len(body) < LEAFLET_JS.stat().st_size / 2
    assert gzip.decompress(body) == LEAFLET_JS.read_bytes()

    # The gzip representation has its own ETag, and a revalidation with it is a 304.
    etag = r.headers["etag"]
    assert etag.endswith('-gz"')
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag


def test_own_css_and_js_are_gzipped(client: Any) -> None:
    for name in ("kcmap.css", "kcmap_tiles.js"):
        r, body = _raw(client, f"/static/kcmap/{name}", {"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == (OWN_DIR / name).read_bytes()


def test_without_accept_encoding_the_plain_bytes(client: Any) -> None:
    url = vendor_url("leaflet", "leaflet.js")
    del client.headers["accept-encoding"]  # the test client sends gzip unless told otherwise
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br"}):
        r, body = _raw(client, url, headers)
        assert r.status_code == 200
        assert "content-encoding" not in r.headers
        assert r.headers["vary"] == "Accept-Encoding"
        assert body == LEAFLET_JS.read_bytes()
        assert not r.headers["etag"].endswith('-gz"')


def test_range_and_head_requests_get_the_plain_file(client: Any) -> None:
    url = vendor_url("leaflet", "leaflet.js")
    r, body = _raw(client, url, {"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert "content-encoding" not in r.headers
    assert body == LEAFLET_JS.read_bytes()[:10]
    head = client.head(url, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and "content-encoding" not in head.headers


def test_compressed_formats_are_sent_as_they_are(client: Any) -> None:
    fonts = vendor_dirs()["font-awesome"]
    woff2 = next(iter(sorted(Path(fonts).rglob("*.woff2"))))
    url = vendor_url("font-awesome", woff2.relative_to(fonts).as_posix())
    r, body = _raw(client, url, {"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert body == woff2.read_bytes()
    ttf = next(iter(sorted(Path(fonts).rglob("*.ttf"))))
    r, body = _raw(client, vendor_url("font-awesome", ttf.relative_to(fonts).as_posix()),
                   {"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == ttf.read_bytes()


def test_html_with_csrf_token_and_user_input_is_not_gzipped(client: Any) -> None:
    # BREACH: the login form carries a CSRF token next to the reflected `next` path.
    r, body = _raw(client, "/login?next=/maps/coverage%3Fx%3Dcsrf_token",
                   {"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "content-encoding" not in r.headers
    text = body.decode("utf-8")
    assert 'name="csrf_token"' in text and "/maps/coverage?x=csrf_token" in text


def test_accepts_gzip_reads_the_header() -> None:
    def accepts(value: str) -> bool:
        return accepts_gzip(Headers({"accept-encoding": value}))

    assert accepts("gzip") and accepts("deflate, GZIP;q=0.5") and accepts("x-gzip")
    assert not accepts("") and not accepts("br, deflate") and not accepts("gzip;q=0")
