"""Choices for the needs and plan forms: establishments of a district, legacy communes."""

from __future__ import annotations

from typing import Any

from geo.core.db import Connection, dict_cursor

MAX_CHOICES = 3000


def district_establishments(conn: Connection, district: str) -> list[dict[str, Any]]:
    """Establishments located in a legacy district (first location), by name; not those an
    import archived."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT e.id, e.name, c.name AS commune_name
            FROM establishment e
            JOIN LATERAL (SELECT * FROM location WHERE establishment_id = e.id
                          ORDER BY id LIMIT 1) l ON true
            LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.level = 'commune'
                                   AND c.code = l.commune_code
            WHERE l.precision IN ('exact', 'commune', 'district') AND e.archived_at IS NULL
              AND COALESCE(c.parent_code, l.district_code) = %s
            ORDER BY e.name, e.id LIMIT %s""", (district, MAX_CHOICES))
        return [dict(r) for r in cur.fetchall()]


def commune_choices(conn: Connection) -> list[dict[str, Any]]:
    """Legacy communes with their district names, by district and name."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT c.code, c.name, d.name AS district_name FROM admin_unit c
            JOIN admin_unit d ON d.edition = c.edition AND d.code = c.parent_code
            WHERE c.edition = 'legacy' AND c.level = 'commune' ORDER BY d.code, c.name""")
        return [dict(r) for r in cur.fetchall()]
