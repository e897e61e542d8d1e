"""Map pages (Folium): coverage, gaps, establishments, projects, craft villages."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.web.auth import actor_of
from api.web.filter_query import ALLOCATION, EDITION, LEVEL, FilterQuery, Filters
from api.web.responses import cached_page
from api.web.routes.edition2025 import CLASSES, INDICATOR, coverage_2025_page
from api.web.security_headers import map_page_response
from geo.analytics.filters import activity_types
from geo.analytics.gaps import gap_report, ranking_of
from geo.analytics.indicators import data_flags, indicator_report, unit_rows
from geo.core.db import Connection
from geo.core.vocab import (
    Allocation,
    Classification,
    ColorBy,
    Edition,
    IndicatorKey,
    Level,
    TileLayer,
    check_edition_level,
)
from geo.cycle.access import check_indicator, check_read
from geo.cycle.needs import list_needs
from geo.cycle.whatif import DEFAULT_TOP, check_plan_scope, plan_ranking
from geo.gazetteer.places import check_district, district_bbox, district_choices
from geo.publish.tiles import TileQuery, layer_version
from geo.records.public_establishments import establishment_counts
from geo.records.public_villages import village_features
from geo.records.review import review_progress
from maps.core.map_forms import url_with
from maps.core.panel import dock
from maps.pages.review_progress import review_progress_html
from maps.views.coverage import coverage_map
from maps.views.establishments import establishments_map
from maps.views.gaps import gaps_map
from maps.views.gaps_plan import add_plan_layers
from maps.views.projects import projects_map
from maps.views.villages import villages_map

router = APIRouter()
DISTRICT = Query(None, max_length=10, description="legacy district code (empty = all)")
COLOR = Query(ColorBy.trade, description="what colours the points")


def _page(m: object, request: Request) -> HTMLResponse:
    """The rendered Folium page, its generated inline scripts allowed by hash (CSP)."""
    return map_page_response(_html(m), request.app.state.map_settings.tiles)


def _html(m: object) -> str:
    return str(m.get_root().render())  # type: ignore[attr-defined]


def _raw(q: FilterQuery) -> tuple[str | None, ...]:
    """The filter as given (parsed and checked inside the page build, on a cache miss)."""
    return (q.years, q.source, q.activity, q.status)


@router.get("/maps/coverage", response_class=HTMLResponse)
def coverage(
    request: Request,
    q: Filters,
    level: Level = LEVEL,
    indicator: IndicatorKey = INDICATOR,
    classes: Classification = CLASSES,
    allocation: Allocation = ALLOCATION,
    edition: Edition = EDITION,
) -> Response:
    """Choropleth of one khuyến công indicator per legacy district or commune (or 2025 commune)."""
    check_edition_level(edition, level)
    check_indicator(actor_of(request), indicator)
    if edition == Edition.e2025:
        return coverage_2025_page(request, q, indicator, classes, allocation)

    def build(conn: Connection) -> str:
        data = indicator_report(conn, level, q.parse(conn), allocation)
        activities = activity_types(conn)
        m = coverage_map(data, level, indicator, request.app.state.map_settings, classes,
                         activities)
        dock(m, "Tiến độ rà soát vị trí", review_progress_html(review_progress(conn)),
             "kc-review-progress", "review-progress")
        return _html(m)

    return cached_page(request, "coverage-page",
                       (level, indicator, classes, allocation, *_raw(q)), build)


@router.get("/maps/gaps", response_class=HTMLResponse)
def gaps(request: Request, q: Filters, allocation: Allocation = ALLOCATION,
         plan: int | None = Query(None, ge=2000, le=2100,
                                  description="rank as if funded (legacy communes)"),
         top: int = Query(DEFAULT_TOP, ge=1, le=100), level: Level = LEVEL,
         edition: Edition = EDITION) -> Response:
    """Underserved units (legacy communes or districts, 2025 communes): map, ranking beside
    it, formula on the page, level and edition switches; with plan=YEAR (legacy communes) as
    if that plan were funded, with the communes it reaches and misses and the needs layer."""
    check_edition_level(edition, level)
    if plan is not None:
        check_plan_scope(level, edition)
        actor = check_read(actor_of(request))
        year = plan

        def build_plan(conn: Connection) -> str:
            report = gap_report(conn, q.parse(conn), allocation)
            ranking = plan_ranking(conn, report, year, top)
            m = gaps_map(report, ranking, request.app.state.map_settings, activity_types(conn))
            return _html(add_plan_layers(m, ranking, list_needs(conn, actor, None, year)))

        return cached_page(request, "gaps-plan-page", (allocation, plan, top, *_raw(q)),
                           build_plan)

    def build(conn: Connection) -> str:
        report = gap_report(conn, q.parse(conn), allocation, level, edition)
        return _html(gaps_map(report, ranking_of(report), request.app.state.map_settings,
                              activity_types(conn)))

    return cached_page(request, "gaps-page", (allocation, level, edition, *_raw(q)), build)


@router.get("/maps/establishments", response_class=HTMLResponse)
def establishments(request: Request, district: str | None = DISTRICT,
                   color: ColorBy = COLOR) -> Response:
    """Clustered establishments coloured by trade or geocoding status; search, district filter."""

    settings = request.app.state.map_settings

    def build(conn: Connection) -> str:
        code = check_district(conn, district)
        counts = establishment_counts(conn, code)
        districts, bbox, flags = district_choices(conn), district_bbox(conn, code), \
            data_flags(conn)
        tiles = None
        if counts["drawn"] > settings.tile_threshold:  # too many points for one document
            version = layer_version(conn, TileQuery(TileLayer.establishments, district=code))
            tiles = url_with("/tiles/establishments/{z}/{x}/{y}.mvt",
                             {"district": code or "", "v": version})
        return _html(establishments_map(counts, districts, code, color, settings,
                                        flags["has_demo"], bbox, tiles))

    return cached_page(request, "establishments-page",
                       (district, color, settings.tile_threshold), build)


@router.get("/maps/projects", response_class=HTMLResponse)
def projects(request: Request, q: Filters) -> HTMLResponse:
    """Projects by activity type and source, sized by budget; district-level as outlines."""
    with request.app.state.database.transaction() as conn:
        flt = q.parse(conn)
        districts = unit_rows(conn, Level.district)
        activities = activity_types(conn)
        flags = data_flags(conn)
    return _page(projects_map(flt, districts, activities, request.app.state.map_settings,
                              flags["has_demo"], flags["has_approximate"]), request)


@router.get("/maps/villages", response_class=HTMLResponse)
def villages(request: Request, district: str | None = DISTRICT) -> HTMLResponse:
    """Craft villages coloured by trade, with search and a district filter."""
    with request.app.state.database.transaction() as conn:
        district = check_district(conn, district)
        data = village_features(conn, district)
        districts, bbox, flags = district_choices(conn), district_bbox(conn, district), \
            data_flags(conn)
    return _page(villages_map(data, districts, district, request.app.state.map_settings,
                              flags["has_demo"], bbox), request)
