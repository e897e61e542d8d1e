"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from api.web import errors, openapi_doc
from api.web.auth import AuthMiddleware
from api.web.import_jobs import ImportJobs
from api.web.proxies import TrustedProxyMiddleware, trusted_networks
from api.web.request_guard import RequestGuardMiddleware
from api.web.request_log import RequestLogMiddleware
from api.web.routes import (
    annual_report,
    coverage_api,
    cycle_api,
    cycle_map,
    cycle_pages,
    cycle_records_pages,
    downloads,
    edition2025,
    establishments,
    health,
    import_pages,
    imports,
    login,
    ogc,
    pages,
    progress_api,
    progress_pages,
    record_edits,
    record_pages,
    records,
    reports,
    review,
    tiles,
    units,
    vector_tiles,
)
from api.web.routes import geocode as geocode_routes
from api.web.routes import maps as maps_routes
from api.web.security_headers import SecurityHeadersMiddleware
from api.web.static_files import GzipStaticFiles
from geo.core.db import TransactionSource
from geo.core.settings import AuthSettings, MapSettings, ServerSettings
from maps.core.assets import OWN_DIR, STATIC_PREFIX, vendor_dirs


def create_app(database: TransactionSource | None = None,
               map_settings: MapSettings | None = None,
               auth_settings: AuthSettings | None = None,
               server_settings: ServerSettings | None = None) -> FastAPI:
    """Build the app; without a database or settings, they are made from the environment."""
    if database is None:
        from api.database import database_from_env

        database = database_from_env(start_local=False)
    app = FastAPI(title="kcmap", description="Bản đồ khuyến công tỉnh Quảng Ngãi",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    # Swagger UI would load its JS from a CDN; pages must work offline, so it is off.
    app.state.database = database
    app.state.map_settings = map_settings or MapSettings()
    app.state.auth_settings = auth_settings or AuthSettings()
    app.state.import_jobs = ImportJobs(database)
    app.router.on_startup.append(app.state.import_jobs.resume)  # commits a restart cut off
    errors.install(app)
    openapi_doc.install(app)
    # Every request: identify the caller, gate anonymous access, CSRF, body-size limit.
    app.add_middleware(AuthMiddleware, database=database, settings=app.state.auth_settings)
    # Outside the gate (added later = runs first): crafted targets get 400 and undeclared
    # methods 405, every response gets the security headers; the request log (one line per
    # request, X-Request-ID) sees the client address that the outermost layer took from
    # forwarded headers only when the peer is a trusted proxy (KCMAP_TRUSTED_PROXIES).
    app.add_middleware(RequestGuardMiddleware)
    # An unexpected exception is answered here, inside the headers and the request log.
    app.add_middleware(errors.UnexpectedErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, tiles=app.state.map_settings.tiles)
    app.add_middleware(RequestLogMiddleware)
    networks = trusted_networks((server_settings or ServerSettings()).trusted_proxies)
    app.add_middleware(TrustedProxyMiddleware, networks=networks)
    for name, directory in vendor_dirs().items():
        app.mount(f"{STATIC_PREFIX}/vendor/{name}", GzipStaticFiles(directory=directory),
                  name=f"vendor-{name}")
    app.mount(f"{STATIC_PREFIX}/kcmap", GzipStaticFiles(directory=OWN_DIR), name="kcmap-static")
    # reports' .png routes before downloads' generic ones
    for module in (health, units, pages, login, establishments, record_edits, review, maps_routes,
                   coverage_api, progress_api, progress_pages, annual_report,
                   records, record_pages, geocode_routes, edition2025, reports, downloads, ogc,
                   tiles, cycle_api, cycle_pages, cycle_map, cycle_records_pages,
                   vector_tiles):
        app.include_router(module.router)
    for module in (imports, import_pages):  # spreadsheet intake
        app.include_router(module.router)
    return app
