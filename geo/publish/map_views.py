"""The data behind each map view (coverage, gaps, projects, establishments, villages).

One function turns a view name and its query parameters (the same as the map page's) into
GeoJSON-like features, a summary and what to draw beneath them, for PNG maps and downloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypedDict

from geo.analytics.filters import ProjectFilter, parse_filter
from geo.analytics.report_types import GeoJSON, UnitRow
from geo.core.db import Connection
from geo.core.vocab import Allocation, Edition, Level, MapView, check_edition_level


@dataclass(frozen=True)
class ViewQuery:
    """The query parameters of a map view (the same as the map page's), typed at the edge."""

    level: Level = Level.commune
    edition: Edition = Edition.legacy
    allocation: Allocation = Allocation.none
    years: str | None = None
    source: str | None = None
    activity: str | None = None
    status: str | None = None
    district: str | None = None
    trade: str | None = None


class ViewData(TypedDict, total=False):
    """What a map view draws (PNG) and downloads: features, summary, layers beneath, caveats.

    Every view has view, features, summary, background, outlines, edition, data_date, has_demo
    and has_approximate; coverage and gaps add filter, level and allocation; projects adds
    filter; establishments and villages add district and bbox.
    """

    view: MapView
    features: list[GeoJSON]
    summary: dict[str, Any]
    background: list[UnitRow]
    outlines: list[UnitRow]
    edition: Edition
    data_date: str | None
    has_demo: bool
    has_approximate: bool
    filter: ProjectFilter
    level: Level
    allocation: Allocation
    district: str | None
    bbox: list[float] | None


def data_date(conn: Connection) -> str | None:
    """Date (YYYY-MM-DD) of the latest change to any record, None without records."""
    with conn.cursor() as cur:
        cur.execute("SELECT max(t)::date FROM (SELECT max(updated_at) AS t FROM project "
                    "UNION ALL SELECT max(updated_at) FROM establishment "
                    "UNION ALL SELECT max(updated_at) FROM craft_village) s")
        row = cur.fetchone()
    return row[0].isoformat() if row and row[0] else None


def _filter(conn: Connection, p: ViewQuery) -> ProjectFilter:
    return parse_filter(conn, p.years, p.source, p.activity, p.status)


def _units(conn: Connection, level: Level) -> list[UnitRow]:
    """Legacy units of a level with geometry (to draw beneath points)."""
    from geo.analytics.indicators import unit_rows

    return [u for u in unit_rows(conn, level) if u["geometry"] is not None]


def _coverage(conn: Connection, p: ViewQuery) -> ViewData:
    from geo.analytics.coverage import coverage_geojson
    from geo.analytics.edition2025 import coverage_geojson_2025

    level, edition, allocation = p.level, p.edition, p.allocation
    check_edition_level(edition, level)
    flt = _filter(conn, p)
    if edition == Edition.e2025:
        data = coverage_geojson_2025(conn, flt, allocation)
    else:
        data = coverage_geojson(conn, level, flt, allocation)
    outlines = _units(conn, Level.district) \
        if level == Level.commune and edition == Edition.legacy else []
    return {"features": data["features"], "summary": data["summary"], "filter": flt,
            "level": level, "edition": edition, "allocation": allocation,
            "background": [], "outlines": outlines}


def _gaps(conn: Connection, p: ViewQuery) -> ViewData:
    from geo.analytics.gaps import PRIORITY_WEIGHT, gap_report, ranking_of

    level, edition, allocation = p.level, p.edition, p.allocation
    flt = _filter(conn, p)
    report = gap_report(conn, flt, allocation, level, edition)
    ranking = ranking_of(report)
    ranked = {r["code"]: r for r in ranking["communes"]}
    features = []
    for u in report["units"]:
        r = ranked.get(u["code"], {})
        props = {k: v for k, v in u.items() if k not in ("geometry", "bbox", "legacy_sources")}
        props.update(rank=r.get("rank"), score=r.get("score"), need_share=r.get("need_share"),
                     support_share=r.get("support_share"), no_support=r.get("no_support"),
                     support_vnd=u.get("kc_vnd"), former=r.get("former"))
        features.append({"type": "Feature", "id": u["code"], "geometry": u["geometry"],
                         "properties": props})
    features.sort(key=lambda f: (f["properties"]["rank"] is None,
                                 f["properties"]["rank"] or 0, f["id"]))
    summary = {"formula": ranking["formula"], "priority_weight": PRIORITY_WEIGHT,
               "ranked": ranking["ranked"], "no_support": ranking["no_support"],
               "totals": report["totals"], "has_demo": report["has_demo"],
               "has_approximate": report["has_approximate"]}
    outlines = _units(conn, Level.district) \
        if level == Level.commune and edition == Edition.legacy else []
    return {"features": features, "summary": summary, "filter": flt, "level": level,
            "edition": edition, "allocation": allocation, "background": [],
            "outlines": outlines}


def _projects(conn: Connection, p: ViewQuery) -> ViewData:
    from geo.records.public_projects import project_features

    flt = _filter(conn, p)
    data = json.loads(project_features(conn, flt))
    for f in data["features"]:
        locs = f["properties"].pop("locations", [])
        f["properties"].update(
            locations=len(locs),
            district_precision_districts=",".join(sorted({
                str(x["district"]) for x in locs
                if x["precision"] == "district" and x["district"]})),
            district_codes=",".join(sorted({str(x["district"]) for x in locs
                                            if x["district"]})),
            commune_codes=",".join(sorted({str(x["commune"]) for x in locs if x["commune"]})))
        f["locations"] = locs
    return {"features": data["features"], "summary": data["summary"], "filter": flt,
            "background": _units(conn, Level.commune), "outlines": _units(conn, Level.district)}


def _points(conn: Connection, collection_id: str, p: ViewQuery,
            personal: bool) -> ViewData:
    from geo.gazetteer.places import check_district, district_bbox
    from geo.publish.ogc_features import collection, query_features

    district = check_district(conn, p.district)
    props = {"district_code": district} if district else {}
    if p.trade:
        props["trade"] = p.trade
    matched, features = query_features(conn, collection(collection_id), props, None,
                                       10**9, 0, personal)
    return {"features": features, "summary": {"records": matched,
                                              "drawn": sum(1 for f in features
                                                           if f["geometry"])},
            "district": district, "bbox": district_bbox(conn, district),
            "background": _units(conn, Level.commune), "outlines": _units(conn, Level.district)}


def view_data(conn: Connection, view: MapView, params: ViewQuery | None = None,
              personal: bool = False) -> ViewData:
    """Features, summary and background of a map view for the page's query parameters."""
    from geo.analytics.indicators import data_flags

    params = params or ViewQuery()
    if view == "coverage":
        data = _coverage(conn, params)
    elif view == "gaps":
        data = _gaps(conn, params)
    elif view == "projects":
        data = _projects(conn, params)
    else:
        data = _points(conn, "establishments" if view == "establishments" else "villages",
                       params, personal)
    flags = data_flags(conn)
    drawn = [*data["features"], *data["background"], *data["outlines"]]
    quality = {(f.get("properties") or f).get("boundary_quality") for f in drawn}
    data["view"] = view
    data["data_date"] = data_date(conn)
    data["has_demo"] = flags["has_demo"]
    data["has_approximate"] = "approximate" in quality
    data.setdefault("edition", Edition.legacy)
    return data
