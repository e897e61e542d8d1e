"""Recognised products of establishments: OCOP (3–5 stars) and outstanding rural industrial
products (sản phẩm CNNT tiêu biểu, provincial / regional / national level), with the year."""

from __future__ import annotations

import uuid
from typing import Any

from geo.accounts.authz import Actor, check_local_record
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput, NotFound
from geo.cycle.cycle_audit import audit_write

KINDS = {"ocop": "Sản phẩm OCOP", "cnnt": "Sản phẩm CNNT tiêu biểu"}
LEVELS = {"provincial": "cấp tỉnh", "regional": "cấp khu vực", "national": "cấp quốc gia"}
FIELDS = ("name", "establishment_id", "kind", "stars", "level", "year", "decision")
AUDITED = (*FIELDS, "establishment_name", "commune_code", "district_code", "version")

_SELECT = """
SELECT r.id, r.record_key, r.name, r.establishment_id, e.name AS establishment_name, r.kind,
       r.stars, r.level, r.year, r.decision, r.is_demo, r.version,
       cu.code AS commune_code, cu.name AS commune_name, du.code AS district_code,
       du.name AS district_name,
       CASE WHEN l.precision IN ('exact', 'commune') THEN ST_X(ST_PointOnSurface(l.geom)) END
           AS lon,
       CASE WHEN l.precision IN ('exact', 'commune') THEN ST_Y(ST_PointOnSurface(l.geom)) END
           AS lat
FROM recognised_product r
JOIN establishment e ON e.id = r.establishment_id
LEFT JOIN LATERAL (SELECT * FROM location WHERE establishment_id = e.id ORDER BY id LIMIT 1) l
     ON true
LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                       AND cu.code = l.commune_code
LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                       AND du.code = COALESCE(cu.parent_code, l.district_code)
"""


def _row(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    out["kind_name"] = KINDS[r["kind"]]
    out["level_name"] = LEVELS[r["level"]]
    for key in ("lon", "lat"):
        out[key] = None if r[key] is None else round(float(r[key]), 5)
    return out


def list_products(conn: Connection, district: str | None = None, year: int | None = None,
                  kind: str | None = None) -> list[dict[str, Any]]:
    """Recognised products with their establishment and commune (filters optional)."""
    where: list[str] = ["true"]
    params: dict[str, Any] = {}
    if district:
        where.append("du.code = %(d)s")
        params["d"] = district
    if year:
        where.append("r.year = %(y)s")
        params["y"] = year
    if kind:
        where.append("r.kind = %(k)s")
        params["k"] = kind
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY r.year, r.id", params)
        return [_row(dict(r)) for r in cur.fetchall()]


def get_product(conn: Connection, product_id: int) -> dict[str, Any]:
    """One recognised product."""
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE r.id = %s", (product_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"không có sản phẩm {product_id}")
    return _row(dict(row))


def _establishment_district(conn: Connection, establishment_id: Any) -> str | None:
    if not isinstance(establishment_id, int) or isinstance(establishment_id, bool):
        raise InvalidInput("establishment_id: phải là mã số cơ sở")
    with conn.cursor() as cur:
        cur.execute("""SELECT COALESCE(cu.parent_code, l.district_code) FROM establishment e
            LEFT JOIN LATERAL (SELECT * FROM location WHERE establishment_id = e.id
                               ORDER BY id LIMIT 1) l ON true
            LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                                   AND cu.code = l.commune_code
            WHERE e.id = %s""", (establishment_id,))
        row = cur.fetchone()
    if row is None:
        raise InvalidInput(f"không có cơ sở {establishment_id}")
    return None if row[0] is None else str(row[0])


def _check(values: dict[str, Any]) -> dict[str, Any]:
    """Checked product fields; InvalidInput names the bad one."""
    name = str(values.get("name") or "").strip()
    if not name or len(name) > 300:
        raise InvalidInput("name: tên sản phẩm bắt buộc, tối đa 300 ký tự")
    kind = values.get("kind")
    if kind not in KINDS:
        raise InvalidInput("kind: phải là ocop hoặc cnnt")
    level = values.get("level") or "provincial"
    if level not in LEVELS or (kind == "ocop" and level == "regional"):
        raise InvalidInput("level: provincial, regional (chỉ CNNT) hoặc national")
    stars = values.get("stars")
    if kind == "ocop":
        if not isinstance(stars, int) or isinstance(stars, bool) or not 3 <= stars <= 5:
            raise InvalidInput("stars: sản phẩm OCOP phải có 3, 4 hoặc 5 sao")
    else:
        stars = None
    year = values.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InvalidInput("year: năm công nhận không hợp lệ")
    decision = str(values.get("decision") or "").strip()[:200] or None
    return {"name": name, "kind": kind, "level": level, "stars": stars, "year": year,
            "decision": decision, "establishment_id": values.get("establishment_id")}


def create_product(conn: Connection, actor: Actor | None, values: dict[str, Any]) -> int:
    """Add a recognised product (district officers only for establishments of their district)."""
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise InvalidInput(f"trường không hợp lệ: {unknown[0]}")
    v = _check(values)
    who = check_local_record(actor, _establishment_district(conn, v["establishment_id"]))
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO recognised_product (record_key, name, establishment_id, kind,
                stars, level, year, decision) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                RETURNING id""",
                    (f"form:{uuid.uuid4()}", v["name"], v["establishment_id"], v["kind"],
                     v["stars"], v["level"], v["year"], v["decision"]))
        row = cur.fetchone()
    assert row is not None
    after = _audited(get_product(conn, int(row[0])))
    audit_write(conn, who, "recognised_product", int(row[0]), "create", {}, after,
                after["district_code"], (0, after["version"]))
    return int(row[0])


def _audited(product: dict[str, Any]) -> dict[str, Any]:
    return {k: product.get(k) for k in AUDITED}


def update_product(conn: Connection, actor: Actor | None, product_id: int,
                   changes: dict[str, Any], version: int | None) -> None:
    """Change a product (If-Match version checked when given)."""
    current = get_product(conn, product_id)
    who = check_local_record(actor, current["district_code"])
    unknown = [k for k in changes if k not in FIELDS]
    if unknown:
        raise InvalidInput(f"trường không hợp lệ: {unknown[0]}")
    if version is not None and version != current["version"]:
        raise Conflict("Sản phẩm đã được người khác sửa; hãy tải lại")
    v = _check({**{k: current[k] for k in FIELDS}, **changes})
    if v["establishment_id"] != current["establishment_id"]:
        check_local_record(actor, _establishment_district(conn, v["establishment_id"]))
    with conn.cursor() as cur:
        cur.execute("""UPDATE recognised_product SET name = %s, establishment_id = %s, kind = %s,
                stars = %s, level = %s, year = %s, decision = %s, version = version + 1,
                updated_at = now() WHERE id = %s""",
                    (v["name"], v["establishment_id"], v["kind"], v["stars"], v["level"],
                     v["year"], v["decision"], product_id))
    after = _audited(get_product(conn, product_id))
    audit_write(conn, who, "recognised_product", product_id, "edit", _audited(current), after,
                after["district_code"] or current["district_code"],
                (current["version"], after["version"]))


def products_per_commune(conn: Connection) -> list[dict[str, Any]]:
    """Indicator: recognised products per legacy commune (OCOP and CNNT), every commune."""
    with dict_cursor(conn) as cur:
        cur.execute(_PER_COMMUNE)
        return [dict(r) for r in cur.fetchall()]


_PER_COMMUNE = """
            WITH p AS (@SELECT@)
            SELECT c.code, c.name, c.parent_code AS district_code,
                   count(p.id) AS products,
                   count(p.id) FILTER (WHERE p.kind = 'ocop') AS ocop,
                   count(p.id) FILTER (WHERE p.kind = 'cnnt') AS cnnt
            FROM admin_unit c LEFT JOIN p ON p.commune_code = c.code
            WHERE c.edition = 'legacy' AND c.level = 'commune'
            GROUP BY c.code, c.name, c.parent_code ORDER BY c.code""".replace("@SELECT@", _SELECT)
