"""Liveness and database health."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 when PostGIS answers, 503 while it does not."""
    ok = request.app.state.database.ping()
    return JSONResponse({"status": "ok" if ok else "database unavailable", "database": ok},
                        status_code=200 if ok else 503)
