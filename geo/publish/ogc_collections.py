"""The collections of the OGC API: their SQL (fid, geom, props, q_<queryable> columns)."""

from __future__ import annotations

from dataclasses import dataclass

from geo.records.spec import CRAFT_VILLAGE, ESTABLISHMENT, PROJECT, KindSpec


@dataclass(frozen=True)
class Collection:
    """One collection: title, description, id type and its queryable properties."""

    id: str
    title: str
    description: str
    int_ids: bool
    queryables: dict[str, str]  # property -> "text" | "int" | "any" (member of an array)
    base: str = ""  # SQL yielding fid, geom, props (jsonb), and q_<property> columns


def _props(spec: KindSpec, alias: str, personal: bool = False) -> str:
    """jsonb_build_object arguments of a kind's public (or personal) fields, from its spec."""
    return ", ".join(f"'{f.key}', {alias}.{f.name}" for f in spec.fields
                     if f.personal == personal)


_ESTABLISHMENTS = """
SELECT e.id AS fid, l.point AS geom,
       jsonb_build_object(
           'id', e.id, 'record_key', e.record_key, @FIELDS@,
           'precision', l.precision, 'geocode_status', l.geocode_status,
           'commune_code', l.commune_code, 'commune_name', l.commune_name,
           'district_code', l.district_code, 'district_name', l.district_name,
           'is_demo', e.is_demo)
       || CASE WHEN %(personal)s THEN jsonb_build_object(@PERSONAL@)
          ELSE '{}'::jsonb END AS props,
       l.district_code AS q_district_code, l.commune_code AS q_commune_code,
       e.trade AS q_trade, l.precision AS q_precision, l.geocode_status AS q_geocode_status
FROM establishment e
LEFT JOIN LATERAL (SELECT x.id FROM location x WHERE x.establishment_id = e.id
                   ORDER BY x.id LIMIT 1) f ON true
LEFT JOIN record_place l ON l.location_id = f.id
WHERE e.archived_at IS NULL
"""

_VILLAGES = """
SELECT v.id AS fid, l.point AS geom,
       jsonb_build_object(
           'id', v.id, 'record_key', v.record_key, @FIELDS@, 'precision', l.precision,
           'commune_code', l.commune_code, 'commune_name', l.commune_name,
           'district_code', l.district_code, 'district_name', l.district_name,
           'is_demo', v.is_demo) AS props,
       l.district_code AS q_district_code, l.commune_code AS q_commune_code,
       v.trade AS q_trade, l.precision AS q_precision
FROM craft_village v
LEFT JOIN LATERAL (SELECT x.id FROM location x WHERE x.village_id = v.id
                   ORDER BY x.id LIMIT 1) f ON true
LEFT JOIN record_place l ON l.location_id = f.id
WHERE v.archived_at IS NULL
"""

_PROJECTS = """
SELECT p.id AS fid, pl.points AS geom,
       jsonb_build_object(
           'id', p.id, 'record_key', p.record_key, @FIELDS@, 'activity_name', a.name_vi,
           'beneficiary_establishment_id', p.beneficiary_establishment_id,
           'locations', COALESCE(pl.n, 0), 'precision', pl.finest,
           'district_codes', array_to_string(pl.districts, ','),
           'commune_codes', array_to_string(pl.communes, ','), 'is_demo', p.is_demo) AS props,
       p.year AS q_year, p.funding_source AS q_funding_source,
       p.activity_type AS q_activity_type, p.status AS q_status,
       pl.districts AS q_district_code, pl.communes AS q_commune_code
FROM project p
JOIN activity_type a ON a.code = p.activity_type
LEFT JOIN LATERAL (
    SELECT count(*) AS n,
           ST_Multi(ST_Collect(l.point ORDER BY l.location_id)) AS points,
           (array_agg(l.precision ORDER BY array_position(
                ARRAY['exact', 'commune', 'district', 'province', 'none'], l.precision)))[1]
               AS finest,
           array_remove(array_agg(DISTINCT l.district_code), NULL) AS districts,
           array_remove(array_agg(DISTINCT l.commune_code) FILTER (
               WHERE l.precision IN ('exact', 'commune')), NULL) AS communes
    FROM record_place l
    WHERE l.project_id = p.id
) pl ON true
WHERE p.archived_at IS NULL
"""

_UNITS = """
SELECT u.code AS fid, b.geom AS geom,
       jsonb_build_object(
           'code', u.code, 'name', u.name, 'short_name', u.short_name, 'type', u.type,
           'district_code', CASE WHEN u.level = 'commune' AND u.edition = 'legacy'
                                 THEN u.parent_code ELSE NULL END,
           'district_name', d.name, 'boundary_quality', b.quality,
           'boundary_source', b.source,
           'area_km2', round(b.area_km2::numeric, 3)) AS props,
       CASE WHEN u.level = 'commune' AND u.edition = 'legacy' THEN u.parent_code
            ELSE u.code END AS q_district_code,
       u.type AS q_type, b.quality AS q_boundary_quality
FROM admin_unit u
LEFT JOIN admin_unit d ON u.edition = 'legacy' AND u.level = 'commune'
                       AND d.edition = 'legacy' AND d.code = u.parent_code
LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
WHERE u.edition = %(edition)s AND u.level = %(level)s
"""

COLLECTIONS: dict[str, Collection] = {c.id: c for c in (
    Collection("establishments", "Cơ sở công nghiệp nông thôn",
               "Rural industrial establishments (cơ sở CNNT): a point only at exact or commune "
               "precision, else no geometry", True,
               {"district_code": "text", "commune_code": "text", "trade": "text",
                "precision": "text", "geocode_status": "text"},
               _ESTABLISHMENTS.replace("@FIELDS@", _props(ESTABLISHMENT, "e"))
               .replace("@PERSONAL@", _props(ESTABLISHMENT, "e", personal=True))),
    Collection("villages", "Làng nghề",
               "Craft villages (làng nghề) recognised by provincial decision", True,
               {"district_code": "text", "commune_code": "text", "trade": "text",
                "precision": "text"},
               _VILLAGES.replace("@FIELDS@", _props(CRAFT_VILLAGE, "v"))),
    Collection("projects", "Đề án khuyến công",
               "Funded khuyến công projects; geometry: their exact or commune-level points "
               "(district-level projects have none)", True,
               {"year": "int", "funding_source": "text", "activity_type": "text",
                "status": "text", "district_code": "any", "commune_code": "any"},
               _PROJECTS.replace("@FIELDS@", _props(PROJECT, "p"))),
    Collection("communes", "Xã, phường, thị trấn (trước 1/7/2025)",
               "Legacy communes with their boundary (official or approximate)", False,
               {"district_code": "text", "type": "text", "boundary_quality": "text"}, _UNITS),
    Collection("districts", "Huyện, thị xã, thành phố (trước 1/7/2025)",
               "Legacy district-level units with their boundary", False,
               {"type": "text", "boundary_quality": "text"}, _UNITS),
    Collection("communes_2025", "Xã, phường, đặc khu (từ 1/7/2025)",
               "Communes of the 2025 edition (no district level), with their boundary", False,
               {"type": "text", "boundary_quality": "text"}, _UNITS),
    Collection("coverage", "Chỉ số khuyến công theo xã",
               "Khuyến công indicators per commune (legacy, or ?edition=2025) for the project "
               "filter ?years=&source=&activity=&status=&allocation=", False,
               {"district_code": "text", "data_status": "text", "allocation_method": "text"}),
)}
UNIT_ARGS = {"communes": ("legacy", "commune"), "districts": ("legacy", "district"),
              "communes_2025": ("2025", "commune")}
