"""Vocabularies are types: a value outside one is refused at the edge, before any domain code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.web.validation_words import LOCATION_WORDS
from geo.core.errors import DatabaseUnavailable
from geo.core.vocab import IndicatorKey
from maps.views.choropleth import INDICATORS


class NoDatabase:
    """A database that counts how often it is asked for a connection and never gives one."""

    def __init__(self) -> None:
        self.calls = 0

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        self.calls += 1
        raise DatabaseUnavailable("no database in this test")
        yield  # pragma: no cover


@pytest.fixture()
def bare() -> Iterator[tuple[TestClient, NoDatabase]]:
    from api.web.app import create_app
    from geo.core.settings import AuthSettings, MapSettings

    db = NoDatabase()
    app = create_app(database=db, map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=True))
    with TestClient(app) as client:
        assert db.calls == 1  # the app's start looks for import batches waiting to be written
        db.calls = 0
        yield client, db


BAD = [
    ("/api/coverage?level=province", "level"),
    ("/api/coverage?allocation=area", "allocation"),
    ("/api/coverage?edition=1999", "edition"),
    ("/api/coverage.csv?level=ward", "level"),
    ("/api/gaps?allocation=area", "allocation"),
    ("/api/coverage/2025?allocation=x", "allocation"),
    ("/api/units?level=hamlet", "level"),
    ("/api/units?edition=2020", "edition"),
    ("/maps/coverage?indicator=money", "indicator"),
    ("/maps/coverage?classes=x", "classes"),
    ("/maps/coverage?level=province", "level"),
    ("/maps/coverage?allocation=area", "allocation"),
    ("/maps/coverage?edition=1999", "edition"),
    ("/maps/coverage/2025?indicator=money", "indicator"),
    ("/maps/gaps?allocation=area", "allocation"),
    ("/maps/establishments?color=x", "color"),
    ("/maps/nope.png", "view"),
    ("/maps/coverage.png?indicator=nope", "indicator"),
    ("/maps/coverage.png?classes=nope", "classes"),
    ("/maps/nope.xlsx", "view"),
    ("/maps/coverage.zip", "fmt"),
    ("/maps/coverage.xlsx?edition=1999", "edition"),
    ("/maps/gaps.csv?allocation=area", "allocation"),
    ("/reports/briefing.pdf?allocation=area", "allocation"),
]


@pytest.mark.parametrize(("path", "name"), BAD)
def test_bad_value_is_422_before_the_database(bare: tuple[TestClient, NoDatabase],
                                              path: str, name: str) -> None:
    client, db = bare
    r = client.get(path)
    assert r.status_code == 422, (path, r.text)
    if r.headers["content-type"].startswith("text/html"):  # web pages answer with a page
        assert "." not in path.split("?")[0].rsplit("/", 1)[-1], path
        assert f"{LOCATION_WORDS[name]} ({name}): giá trị không hợp lệ" in r.text, path
        assert '<html lang="vi">' in r.text
    else:  # FastAPI's declared shape, Vietnamese messages
        assert [e["loc"][-1] for e in r.json()["detail"]] == [name]
        assert all(e["msg"].startswith(("giá trị", "cần")) for e in r.json()["detail"])
    assert db.calls == 0, path


def test_the_edition_level_rule_is_checked_before_the_database(
        bare: tuple[TestClient, NoDatabase]) -> None:
    client, db = bare
    for path in ("/api/coverage?edition=2025&level=district",
                 "/maps/coverage?edition=2025&level=district",
                 "/api/units?edition=2025&level=district"):
        r = client.get(path)
        detail = r.text if path.startswith("/maps/") else r.json()["detail"]  # page: HTML
        assert r.status_code == 422 and "không có cấp huyện" in detail, path
    assert db.calls == 0


def test_good_values_reach_the_database(bare: tuple[TestClient, NoDatabase]) -> None:
    client, db = bare
    for path in ("/api/coverage?level=district&allocation=even",
                 "/maps/coverage?indicator=support_vnd&classes=jenks",  # alias of kc_vnd
                 "/maps/coverage?edition=2025&indicator=workers",
                 "/maps/establishments.geojson",
                 "/maps/villages.csv?edition=legacy"):
        assert client.get(path).status_code == 503, path
    assert db.calls == 5


def test_openapi_documents_the_vocabularies(bare: tuple[TestClient, NoDatabase]) -> None:
    client, _ = bare
    doc = client.get("/api/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert schemas["Level"]["enum"] == ["commune", "district"]
    assert schemas["Allocation"]["enum"] == ["none", "even", "establishments"]
    assert schemas["IndicatorKey"]["enum"] == [k.value for k in IndicatorKey]
    assert schemas["MapView"]["enum"] == ["coverage", "gaps", "projects", "establishments",
                                          "villages"]


def test_every_indicator_has_a_label() -> None:
    assert list(INDICATORS) == list(IndicatorKey)


def test_cli_refuses_a_bad_value_without_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.main import app

    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    runner = CliRunner()
    for args in (["report", "briefing", "-o", "x.pdf", "--allocation", "area"],
                 ["boundaries", "approximate", "--edition", "2020"],
                 ["boundaries", "import", "x.geojson", "--level", "ward"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
