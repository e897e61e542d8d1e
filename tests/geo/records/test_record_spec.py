"""The record spec drives the importer, PATCH models, downloads, OGC and redaction."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from psycopg2 import sql

from geo.core.errors import InvalidInput
from geo.intake.columns import KIND_FIELDS, REQUIRED, match_columns
from geo.intake.sheet_reader import Header
from geo.records.kinds import RecordKind
from geo.records.patch_model import MODELS, check_changes
from geo.records.spec import (
    ESTABLISHMENT,
    PERSONAL_FIELDS,
    SPECS,
    FieldSpec,
    FieldType,
    KindSpec,
)
from maps.export.download_tables import columns
from tests.review_helpers import auth_client
from tests.world import BINH_SON, add_establishment, one

SECRET = "BÍMẬT"
# what must stay private whatever the spec says (the spec may add more)
PRIVATE = tuple(dict.fromkeys(["owner_name", "phone", "address_raw",
                               *(f.name for f in ESTABLISHMENT.personal)]))


def _secret_establishment(conn: Any) -> int:
    """An establishment whose every personal field holds a marked value."""
    eid = add_establishment(conn, "SPEC-1", BINH_SON)
    with conn.cursor() as cur:
        for name in PRIVATE:
            cur.execute(sql.SQL("UPDATE establishment SET {} = %s WHERE id = %s").format(
                sql.Identifier(name)), (f"{SECRET} {name}", eid))
    return eid


def _bodies(c: Any, eid: int, headers: dict[str, str]) -> dict[str, str]:
    """Every response that shows establishments, by URL (2xx answers only)."""
    urls = [f"/api/establishments/{eid}", "/api/establishments", "/api/establishments.geojson",
            f"/api/establishments/{eid}/history", "/api/audit", "/api/villages",
            "/api/projects?years=2000-2100", "/maps/establishments.csv",
            "/maps/establishments.geojson", "/ogc/collections/establishments/items",
            f"/ogc/collections/establishments/items/{eid}"]
    out = {}
    for url in urls:
        r = c.get(url, headers=headers)
        if r.status_code == 200:
            out[url] = r.text
    return out


def test_personal_fields_never_reach_anonymous_visitors_or_viewers(conn: Any,
                                                                  bearer: Any) -> None:
    eid = _secret_establishment(conn)
    c = auth_client(conn, public_maps=True)
    officer = bearer("district_officer", BINH_SON)
    r = c.patch(f"/api/establishments/{eid}", headers={**officer, "If-Match": "1"},
                json={**{name: f"{SECRET} mới {name}" for name in PRIVATE},
                      "reason": "cập nhật"})
    assert r.status_code == 200, r.text
    admin = _bodies(c, eid, bearer("admin"))
    for name in PRIVATE:  # the ones who may see them do
        assert f"{SECRET} mới {name}" in admin[f"/api/establishments/{eid}"]
        assert f"{SECRET} mới {name}" in admin["/maps/establishments.csv"]
        assert f"{SECRET} {name}" in admin[f"/api/establishments/{eid}/history"]
    assert f"{SECRET} mới" in admin[f"/ogc/collections/establishments/items/{eid}"]
    for who, headers in (("anonymous", {}), ("viewer", bearer("viewer"))):
        seen = _bodies(c, eid, headers)
        assert "/ogc/collections/establishments/items" in seen, who
        assert "/maps/establishments.csv" in seen, who
        if who == "viewer":
            assert f"/api/establishments/{eid}" in seen
            assert "/api/audit" not in seen  # viewers do not read the audit trail (403)
        for url, text in seen.items():
            assert SECRET not in text, (who, url)
        detail = seen.get(f"/api/establishments/{eid}")
        if detail is not None:
            assert not set(json.loads(detail)) & set(PERSONAL_FIELDS), who
        header = next(csv.reader(io.StringIO(seen["/maps/establishments.csv"].lstrip("\ufeff"))))
        assert not {f.label for f in ESTABLISHMENT.personal} & set(header), who


def test_redaction_downloads_and_ogc_follow_the_spec() -> None:
    assert {"owner_name", "phone", "address_raw"} <= set(PERSONAL_FIELDS)
    public = columns("establishments")
    personal = columns("establishments", personal=True)
    assert [c.key for c in personal[len(public):]] == [f.key for f in ESTABLISHMENT.personal]
    for kind, view in ((RecordKind.ESTABLISHMENT, "establishments"),
                       (RecordKind.CRAFT_VILLAGE, "villages"), (RecordKind.PROJECT, "projects")):
        headers = {c.header for c in columns(view)}
        for f in SPECS[kind].public_fields:
            assert f.label in headers, (kind, f.name)


@pytest.mark.parametrize("kind", list(RecordKind))
def test_the_importer_recognises_every_alias_of_the_spec(kind: RecordKind) -> None:
    spec = SPECS[kind]
    for f in spec.fields:
        for alias in f.aliases:
            cols = match_columns(kind, [Header(0, "", alias)])
            assert list(cols.by_field) == [f.name], (kind, f.name, alias)
    assert set(REQUIRED[kind]) == {f.name for f in spec.fields if f.import_required}
    assert [n for n in KIND_FIELDS[kind] if n in spec.attributes] == \
        [f.name for f in spec.fields if f.aliases]


def test_kind_names_map_both_ways() -> None:
    for kind in RecordKind:
        assert RecordKind.from_plural(kind.plural) is kind
        assert RecordKind.parse(kind.plural) is RecordKind.parse(kind.value) is kind
    with pytest.raises(InvalidInput):
        RecordKind.parse("establishmentz")


def test_patch_models_are_the_spec(conn: Any) -> None:
    schema = auth_client(conn).app.openapi()["components"]["schemas"]
    for kind, spec in SPECS.items():
        props = schema[MODELS[kind].__name__]["properties"]
        assert set(spec.attributes) <= set(props)
        for f in spec.fields:
            if f.type is FieldType.TEXT:
                assert {"maxLength": f.limit, "type": "string"} in props[f.name]["anyOf"]


def test_a_bad_value_is_refused_once_with_one_message(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "SPEC-2", BINH_SON)
    c = auth_client(conn)
    officer = {**bearer("district_officer", BINH_SON), "If-Match": "1"}
    r = c.patch(f"/api/establishments/{eid}", headers=officer, json={"workers": -1})
    assert r.status_code == 422
    assert len(r.json()["detail"]) == 1
    with pytest.raises(InvalidInput) as exc:  # the same model checks a form's values
        check_changes(ESTABLISHMENT, {"workers": "-1", "name": " "})
    assert str(exc.value).count(";") == 1 and "Số lao động" in str(exc.value)


def test_a_field_the_role_may_not_edit_is_refused_once(conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "SPEC-3", BINH_SON)
    c = auth_client(conn)
    r = c.patch(f"/api/establishments/{eid}", json={"owner_name": "x"},
                headers={**bearer("planner"), "If-Match": "1"})
    assert r.status_code == 403
    assert isinstance(r.json()["detail"], str) and r.json()["detail"].count("\n") == 0
    assert one(conn, "SELECT version FROM establishment WHERE id = %s", (eid,)) == 1
    # a field narrower than its kind: refused by name, in one message
    narrow = KindSpec(RecordKind.PROJECT, "project", "project_id", (
        FieldSpec("title", "Tên đề án", FieldType.TEXT, limit=10),
        FieldSpec("kc_vnd", "Kinh phí", FieldType.MONEY, hi=10, editors=frozenset({"admin"})),
    ), frozenset({"admin", "planner"}))
    assert narrow.not_editable("planner", ["title", "kc_vnd", "reason"]) == ["Kinh phí"]
    assert narrow.not_editable("admin", ["title", "kc_vnd"]) == []
