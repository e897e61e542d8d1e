"""Pages /products and /collaborators: lists, and forms to add and change recognised products
and commune collaborators (planners and admins anywhere, district officers in their district,
viewers read). Forms carry the session's CSRF token (checked by the auth middleware); a
refused form comes back with what was typed and the reason, as an HTML page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import actor_of, csrf_token, read_form
from api.web.errors import page_refusal, status_of
from geo.accounts.authz import Actor, can_see_personal, require_actor
from geo.core.db import Connection
from geo.core.errors import KcmapError
from geo.cycle.access import can_write_local
from geo.cycle.choices import district_establishments
from geo.cycle.collaborators import (
    communes_without_collaborator,
    create_collaborator,
    district_communes,
    get_collaborator,
    list_collaborators,
    update_collaborator,
)
from geo.cycle.products import create_product, get_product, list_products, update_product
from geo.gazetteer.places import check_district, district_choices
from maps.pages.cycle_records import (
    collaborator_page,
    collaborators_page,
    product_page,
    products_page,
)

router = APIRouter(include_in_schema=False)
MAX_ID = 2**63 - 1
DONE = {"created": "Đã lưu.", "saved": "Đã lưu thay đổi."}
DISTRICT = Query("", max_length=10)
DONE_QUERY = Query("", max_length=20)


def _number(value: str | None) -> int | str | None:
    """A form's whole number as int ('' is None; anything else goes to the check as typed)."""
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 12 else text


def _product_values(form: dict[str, str]) -> dict[str, Any]:
    return {"name": form.get("name", ""), "establishment_id": _number(form.get("establishment_id")),
            "kind": form.get("kind", ""), "stars": _number(form.get("stars")),
            "level": form.get("level") or "provincial", "year": _number(form.get("year")),
            "decision": form.get("decision", "")}


def _collaborator_values(form: dict[str, str], editing: bool) -> dict[str, Any]:
    values: dict[str, Any] = {k: form.get(k, "") for k in ("commune_code", "full_name", "phone",
                                                           "position")}
    values["since_year"] = _number(form.get("since_year"))
    if editing:
        values["is_active"] = "is_active" in form
    return values


def _version(form: dict[str, str]) -> int | None:
    text = form.get("version", "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


@router.get("/products", response_class=HTMLResponse)
def products(request: Request, district: str = DISTRICT, done: str = DONE_QUERY) -> Response:
    """Recognised products; the form to add one."""
    return _products(request, district, message=DONE.get(done, ""))


def _products(request: Request, district: str, http: int = 200, error: str = "",
              values: dict[str, Any] | None = None, message: str = "") -> Response:
    try:
        who = require_actor(actor_of(request))
        with request.app.state.database.transaction() as conn:
            code = check_district(conn, district or None)
            rows = list_products(conn, code)
            districts = district_choices(conn)
            form_district = who.district_code if who.role == "district_officer" else code
            writer = form_district is not None and can_write_local(who, form_district)
            choices = district_establishments(conn, form_district) if writer and \
                form_district else []
    except KcmapError as exc:
        return page_refusal(request, exc, "/products")
    rows = [dict(p, writable=can_write_local(who, p["district_code"])) for p in rows]
    html = products_page(who, csrf_token(request), rows, districts, code or "",
                         dict(districts).get(form_district or "", ""), choices,
                         who.role != "viewer", values or {}, message, error)
    return HTMLResponse(html, status_code=http)


@router.get("/products/{product_id}", response_class=HTMLResponse)
def product(request: Request, product_id: int = Path(ge=1, le=MAX_ID),
            done: str = DONE_QUERY) -> Response:
    """One product; the form to change it."""
    return _product(request, product_id, message=DONE.get(done, ""))


def _product(request: Request, product_id: int, http: int = 200, error: str = "",
             values: dict[str, Any] | None = None, message: str = "") -> Response:
    try:
        who = require_actor(actor_of(request))
        with request.app.state.database.transaction() as conn:
            item = get_product(conn, product_id)
            writer = can_write_local(who, item["district_code"])
            choices = district_establishments(conn, item["district_code"]) \
                if writer and item["district_code"] else []
    except KcmapError as exc:
        return page_refusal(request, exc, "/products")
    html = product_page(who, csrf_token(request), item, choices, writer,
                        values if values is not None else item, message, error)
    return HTMLResponse(html, status_code=http)


@router.get("/collaborators", response_class=HTMLResponse)
def collaborators(request: Request, district: str = DISTRICT,
                  done: str = DONE_QUERY) -> Response:
    """Collaborators by commune, communes without one; the form to add one."""
    return _collaborators(request, district, message=DONE.get(done, ""))


def _collaborators(request: Request, district: str, http: int = 200, error: str = "",
                   values: dict[str, Any] | None = None, message: str = "") -> Response:
    try:
        who = require_actor(actor_of(request))
        with request.app.state.database.transaction() as conn:
            code = check_district(conn, district or None)
            rows = list_collaborators(conn, who, code)
            missing = communes_without_collaborator(conn, code)
            districts = district_choices(conn)
            form_district = who.district_code if who.role == "district_officer" else code
            writer = form_district is not None and can_write_local(who, form_district)
            communes = district_communes(conn, form_district) if writer and form_district \
                else []
    except KcmapError as exc:
        return page_refusal(request, exc, "/collaborators")
    rows = [dict(k, writable=can_write_local(who, k["district_code"])) for k in rows]
    html = collaborators_page(who, csrf_token(request), rows, missing, districts, code or "",
                              dict(districts).get(form_district or "", ""), communes,
                              who.role != "viewer", can_see_personal(who), values or {},
                              message, error)
    return HTMLResponse(html, status_code=http)


@router.get("/collaborators/{collaborator_id}", response_class=HTMLResponse)
def collaborator(request: Request, collaborator_id: int = Path(ge=1, le=MAX_ID),
                 done: str = DONE_QUERY) -> Response:
    """One collaborator (name and phone for those who may see them); the form to change."""
    return _collaborator(request, collaborator_id, message=DONE.get(done, ""))


def _collaborator(request: Request, collaborator_id: int, http: int = 200, error: str = "",
                  values: dict[str, Any] | None = None, message: str = "") -> Response:
    try:
        who = require_actor(actor_of(request))
        with request.app.state.database.transaction() as conn:
            person = get_collaborator(conn, who, collaborator_id)
            writer = can_write_local(who, person["district_code"])
            communes = district_communes(conn, person["district_code"]) if writer else []
    except KcmapError as exc:
        return page_refusal(request, exc, "/collaborators")
    form_values = values if values is not None else person
    if values is not None:
        form_values = dict(values, is_active="is_active" in values)
    html = collaborator_page(who, csrf_token(request), person, communes, writer,
                             can_see_personal(who), form_values if writer else {}, message,
                             error)
    return HTMLResponse(html, status_code=http)


@dataclass(frozen=True)
class RecordForms:
    """What differs between the add and change forms of products and of collaborators."""

    path: str  # the list page; a record's page is path/{id}
    values: Callable[[dict[str, str], bool], dict[str, Any]]  # (form, editing) -> values
    create: Callable[[Connection, Actor | None, dict[str, Any]], int]
    update: Callable[[Connection, Actor | None, int, dict[str, Any], int | None], None]
    listing: Callable[[Request, str, int, str, dict[str, Any]], Response]  # list page again
    record: Callable[[Request, int, int, str, dict[str, Any]], Response]  # record page again


PRODUCTS = RecordForms("/products", lambda form, _editing: _product_values(form),
                       create_product, update_product, _products, _product)
COLLABORATORS = RecordForms("/collaborators", _collaborator_values, create_collaborator,
                            update_collaborator, _collaborators, _collaborator)


async def _add(request: Request, forms: RecordForms) -> Response:
    """Add a record from the list page's form: back to the list (its district kept), or the
    list again with what was typed and the reason."""
    form = await read_form(request)
    district = form.get("district", "")[:10]
    try:
        with request.app.state.database.transaction() as conn:
            forms.create(conn, actor_of(request), forms.values(form, False))
    except KcmapError as exc:
        return forms.listing(request, district, status_of(exc), str(exc), form)
    return RedirectResponse(f"{forms.path}?" + urlencode({"district": district,
                                                         "done": "created"}), status_code=303)


async def _save(request: Request, forms: RecordForms, record_id: int) -> Response:
    """Change a record from its page's form (the version it was read at guards the write)."""
    form = await read_form(request)
    try:
        with request.app.state.database.transaction() as conn:
            forms.update(conn, actor_of(request), record_id, forms.values(form, True),
                         _version(form))
    except KcmapError as exc:
        return forms.record(request, record_id, status_of(exc), str(exc), form)
    return RedirectResponse(f"{forms.path}/{record_id}?done=saved", status_code=303)


@router.post("/products")
async def product_add(request: Request) -> Response:
    """Add a product from the form."""
    return await _add(request, PRODUCTS)


@router.post("/products/{product_id}")
async def product_save(request: Request, product_id: int = Path(ge=1, le=MAX_ID)) -> Response:
    """Change a product from the form."""
    return await _save(request, PRODUCTS, product_id)


@router.post("/collaborators")
async def collaborator_add(request: Request) -> Response:
    """Add a commune's collaborator from the form."""
    return await _add(request, COLLABORATORS)


@router.post("/collaborators/{collaborator_id}")
async def collaborator_save(request: Request,
                            collaborator_id: int = Path(ge=1, le=MAX_ID)) -> Response:
    """Change a collaborator from the form."""
    return await _save(request, COLLABORATORS, collaborator_id)
