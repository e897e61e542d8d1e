"""Targets, progress, project outputs / money / inspections, recognised products and
collaborators (JSON)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.web.auth import actor_of
from api.web.cycle_bodies import (
    MAX_ID,
    CollaboratorIn,
    CollaboratorPatch,
    InspectionIn,
    MoneyIn,
    OutputsIn,
    ProductIn,
    ProductPatch,
)
from api.web.routes.record_edits import parse_if_match
from geo.cycle.collaborators import (
    communes_without_collaborator,
    create_collaborator,
    get_collaborator,
    list_collaborators,
    update_collaborator,
)
from geo.cycle.outputs import add_inspection, project_cycle, set_money, set_outputs
from geo.cycle.products import (
    create_product,
    get_product,
    list_products,
    products_per_commune,
    update_product,
)
from geo.cycle.progress import progress_report
from geo.cycle.targets import check_target, delete_target, import_targets, save_target
from geo.gazetteer.places import check_district

router = APIRouter(tags=["progress"])

DISTRICT = Query(None, max_length=10, description="legacy district code, e.g. 524")


class TargetIn(BaseModel):
    """A programme target."""

    model_config = ConfigDict(extra="forbid")
    period: str = Field(max_length=20, description="2023 or 2021-2025")
    activity: str | None = Field(None, max_length=40)
    indicator: str = Field(max_length=40)
    unit: str | None = Field(None, max_length=40)
    target: int | str
    district: str | None = Field(None, max_length=10)


@router.get("/api/progress")
def api_progress(request: Request, period: str = Query("2021-2025", max_length=20),
                 district: str | None = DISTRICT,
                 source: str | None = Query(None, max_length=40),
                 status: str | None = Query(None, max_length=200)) -> dict[str, Any]:
    """Targets with achieved figures and the formula; achieved totals by year, activity,
    district."""
    with request.app.state.database.transaction() as conn:
        return progress_report(conn, period, district, source, status)


@router.post("/api/targets", status_code=201)
def api_add_target(request: Request, body: TargetIn) -> dict[str, Any]:
    """Add or replace one target (planners, admins)."""
    with request.app.state.database.transaction() as conn:
        target = check_target(conn, body.model_dump())
        target_id, inserted = save_target(conn, actor_of(request), target, "api")
    return {"id": target_id, "inserted": inserted}


@router.post("/api/targets/import")
async def api_import_targets(request: Request) -> dict[str, int]:
    """Import targets from a CSV body (text/csv; period, activity, indicator, unit, target,
    district)."""
    text = (await request.body()).decode("utf-8", "replace")  # size capped by the middleware
    with request.app.state.database.transaction() as conn:
        return import_targets(conn, actor_of(request), text, "csv:api")


@router.delete("/api/targets/{target_id:int}", status_code=204)
def api_delete_target(request: Request, target_id: int = Path(ge=1, le=MAX_ID)) -> None:
    """Remove a target (planners, admins)."""
    with request.app.state.database.transaction() as conn:
        delete_target(conn, actor_of(request), target_id)


@router.get("/api/projects/{project_id}/cycle")
def api_project_cycle(request: Request, project_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Outputs, money status and (for logged-in users) inspection visits of a project."""
    with request.app.state.database.transaction() as conn:
        return project_cycle(conn, project_id, actor_of(request))


@router.put("/api/projects/{project_id}/outputs")
def api_project_outputs(request: Request, body: OutputsIn,
                        project_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Record outputs, e.g. {"trainees": 35, "machines": 2} (planners, admins)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        set_outputs(conn, actor, project_id, body.given())
        return project_cycle(conn, project_id, actor)


@router.put("/api/projects/{project_id}/money")
def api_project_money(request: Request, body: MoneyIn,
                      project_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Record planned, disbursed and settled amounts (planners, admins)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        set_money(conn, actor, project_id, body.planned_vnd, body.disbursed_vnd,
                  body.settled_vnd)
        return project_cycle(conn, project_id, actor)


@router.post("/api/projects/{project_id}/inspections", status_code=201)
def api_project_inspection(request: Request, body: InspectionIn,
                           project_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Record an inspection visit (planners, admins)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        add_inspection(conn, actor, project_id, body.visit_date, body.inspector, body.finding)
        return project_cycle(conn, project_id, actor)


@router.get("/api/products")
def api_products(request: Request, district: str | None = DISTRICT,
                 year: int | None = Query(None, ge=2000, le=2100),
                 kind: str | None = Query(None, pattern="^(ocop|cnnt)$")) -> list[dict[str, Any]]:
    """Recognised products (OCOP, outstanding rural industrial products) with their place."""
    with request.app.state.database.transaction() as conn:
        return list_products(conn, check_district(conn, district), year, kind)


@router.get("/api/products/per-commune")
def api_products_per_commune(request: Request) -> list[dict[str, Any]]:
    """Indicator: recognised products per commune."""
    with request.app.state.database.transaction() as conn:
        return products_per_commune(conn)


@router.post("/api/products", status_code=201)
def api_add_product(request: Request, body: ProductIn) -> dict[str, Any]:
    """Add a recognised product (planners, admins; district officers in their district)."""
    with request.app.state.database.transaction() as conn:
        return get_product(conn, create_product(conn, actor_of(request), body.given()))


@router.patch("/api/products/{product_id:int}")
def api_patch_product(request: Request, body: ProductPatch,
                      product_id: int = Path(ge=1, le=MAX_ID),
                      if_match: str | None = Header(None)) -> dict[str, Any]:
    """Change a recognised product (If-Match: its version)."""
    with request.app.state.database.transaction() as conn:
        update_product(conn, actor_of(request), product_id, body.given(),
                       parse_if_match(if_match))
        return get_product(conn, product_id)


@router.get("/api/collaborators")
def api_collaborators(request: Request, district: str | None = DISTRICT
                      ) -> list[dict[str, Any]]:
    """Collaborators per commune (name and phone only for officers, planners, admins)."""
    with request.app.state.database.transaction() as conn:
        return list_collaborators(conn, actor_of(request), check_district(conn, district))


@router.get("/api/collaborators/missing")
def api_collaborators_missing(request: Request, district: str | None = DISTRICT
                              ) -> list[dict[str, Any]]:
    """Indicator: communes without an active collaborator."""
    with request.app.state.database.transaction() as conn:
        return communes_without_collaborator(conn, check_district(conn, district))


@router.post("/api/collaborators", status_code=201)
def api_add_collaborator(request: Request, body: CollaboratorIn) -> dict[str, Any]:
    """Add a commune's collaborator (planners, admins; district officers in their district)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        return get_collaborator(conn, actor, create_collaborator(conn, actor, body.given()))


@router.patch("/api/collaborators/{collaborator_id:int}")
def api_patch_collaborator(request: Request, body: CollaboratorPatch,
                           collaborator_id: int = Path(ge=1, le=MAX_ID),
                           if_match: str | None = Header(None)) -> dict[str, Any]:
    """Change a collaborator (If-Match: its version)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        update_collaborator(conn, actor, collaborator_id, body.given(),
                            parse_if_match(if_match))
        return get_collaborator(conn, actor, collaborator_id)
