"""One log line per request: request id (also the X-Request-ID header), user, method, path,
status and duration."""

from __future__ import annotations

import logging
import re

import pytest

LINE = re.compile(r"^rid=(?P<rid>\S+) user=(?P<user>\S+) (?P<method>[A-Z]+) (?P<path>\S+) "
                  r"(?P<status>\d{3}) (?P<ms>\d+\.\d)ms$")


def _lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    found = [LINE.match(r.getMessage()) for r in caplog.records if r.name == "kcmap.request"]
    return [m for m in found if m is not None]


def test_each_request_logged_once_with_its_id(client, bearer, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="kcmap.request")
    r = client.get("/healthz")
    rid = r.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    auth = bearer("planner")
    r2 = client.get("/api/audit", headers={**auth, "X-Request-ID": "nginx-abc-12345"})
    assert r2.headers["X-Request-ID"] == "nginx-abc-12345"
    r3 = client.get("/api/establishments", headers={"X-Request-ID": "bad id <script>"})
    assert r3.status_code == 401 and re.fullmatch(r"[0-9a-f]{32}", r3.headers["X-Request-ID"])
    lines = _lines(caplog)
    assert len(lines) == 3
    first, second, third = (m.groupdict() for m in lines)
    assert (first["rid"], first["user"], first["method"], first["path"], first["status"]) == \
        (rid, "-", "GET", "/healthz", "200")
    assert second["rid"] == "nginx-abc-12345" and second["user"].startswith("planner")
    assert (second["path"], second["status"]) == ("/api/audit", str(r2.status_code))
    assert third["status"] == "401" and third["user"] == "-"


def test_error_page_names_the_request_id(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/maps/coverage?level=province")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert r.headers["X-Request-ID"] in r.text
    assert "Cấp đơn vị (level): giá trị không hợp lệ" in r.text and 'lang="vi"' in r.text
    api = client.get("/api/coverage?level=province")
    assert api.status_code == 422 and isinstance(api.json()["detail"], list)  # FastAPI's body
