"""Synthetic needs and the 2026 draft plan in PostGIS, marked is_demo (replaced with the demo)."""

from __future__ import annotations

import psycopg2.extras

from data.demo_needs import PLAN_CEILINGS, PLAN_YEAR, generate_needs
from geo.core.db import Connection

_DEMO_ESTABLISHMENTS = """
SELECT e.record_key, e.id, COALESCE(c.parent_code, l.district_code) AS district, c.code
FROM establishment e
JOIN LATERAL (SELECT * FROM location WHERE establishment_id = e.id ORDER BY id LIMIT 1) l
     ON true
LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.level = 'commune' AND c.code = l.commune_code
WHERE e.is_demo AND l.precision IN ('exact', 'commune')
ORDER BY e.record_key
"""


def delete_demo_cycle(conn: Connection) -> int:
    """Remove demo plans (with their lines) and demo needs; returns the needs removed."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM kc_plan_line WHERE is_demo")
        cur.execute("DELETE FROM kc_plan WHERE is_demo")
        cur.execute("DELETE FROM support_need WHERE is_demo")
        return int(cur.rowcount)


def write_demo_cycle(conn: Connection, scale: int = 1, seed: int = 2026) -> int:
    """Needs of demo establishments and a 2026 draft plan (unless a real one exists)."""
    with conn.cursor() as cur:
        cur.execute(_DEMO_ESTABLISHMENTS)
        places = {key: (eid, district, commune) for key, eid, district, commune in cur.fetchall()
                  if district}
        cur.execute("SELECT code FROM activity_type")
        codes = [r[0] for r in cur.fetchall()]
        needs = generate_needs(sorted(places), codes, scale, seed)
        rows = psycopg2.extras.execute_values(cur, """
            INSERT INTO support_need (establishment_id, activity_type, description,
                total_cost_vnd, requested_vnd, counterpart_vnd, desired_year, priority, status,
                decline_reason, district_code, commune_code, is_demo) VALUES %s RETURNING id""",
            [(places[n.establishment_key][0], n.activity_type, n.description, n.total_cost_vnd,
              n.requested_vnd, n.counterpart_vnd, n.desired_year, n.priority, n.status,
              n.decline_reason, places[n.establishment_key][1], places[n.establishment_key][2])
             for n in needs], template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, true)",
            fetch=True) if needs else []
        cur.execute("INSERT INTO kc_plan (year, ceiling_kcqg_vnd, ceiling_kcdp_vnd, is_demo) "
                    "VALUES (%s, %s, %s, true) ON CONFLICT (year) DO NOTHING",
                    (PLAN_YEAR, PLAN_CEILINGS["KCQG"], PLAN_CEILINGS["KCDP"]))
        if cur.rowcount == 1:
            for (need_id,), n in zip(rows, needs, strict=True):
                if n.in_plan:
                    cur.execute("""
                        INSERT INTO kc_plan_line (year, need_id, title, activity_type,
                            funding_source, kc_vnd, counterpart_vnd, district_code, commune_code,
                            beneficiary, establishment_id, is_demo)
                        SELECT %s, n.id, a.name_vi || ': ' || e.name, n.activity_type, %s,
                               n.requested_vnd, n.counterpart_vnd, n.district_code,
                               n.commune_code, e.name, e.id, true
                        FROM support_need n JOIN establishment e ON e.id = n.establishment_id
                        JOIN activity_type a ON a.code = n.activity_type WHERE n.id = %s""",
                                (PLAN_YEAR, n.funding_source, need_id))
        else:
            cur.execute("UPDATE support_need SET status = 'shortlisted' "
                        "WHERE is_demo AND status = 'in_plan'")
    return len(needs)
