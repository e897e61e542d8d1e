"""Demo targets, outputs, money status, inspections, products and collaborators in PostGIS,
marked is_demo (or attached to demo projects / establishments), replaced with the demo."""

from __future__ import annotations

import random
from datetime import date

import psycopg2.extras

from data import demo_progress as d
from geo.core.db import Connection
from geo.cycle.targets import import_targets

INSPECTORS = ("Đoàn kiểm tra Sở Công Thương (mẫu)", "Trung tâm Khuyến công (mẫu)")
FINDINGS = ("Đúng đối tượng, đúng mục đích; thiết bị đang vận hành (dữ liệu mẫu).",
            "Đúng đối tượng; hồ sơ thanh toán cần bổ sung hóa đơn (dữ liệu mẫu).",
            "Mô hình hoạt động hiệu quả, đề nghị nhân rộng (dữ liệu mẫu).")


def delete_demo_progress(conn: Connection) -> None:
    """Remove demo targets, collaborators and products (outputs go with demo projects)."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM programme_target WHERE is_demo")
        cur.execute("DELETE FROM collaborator WHERE is_demo")
        cur.execute("DELETE FROM recognised_product WHERE is_demo")


def write_demo_progress(conn: Connection, seed: int = 2021) -> None:
    """Demo targets (unless real ones exist), and the cycle records of demo projects."""
    rng = random.Random(seed + 11)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM programme_target WHERE NOT is_demo")
        row = cur.fetchone()
        if row is not None and row[0] == 0:
            import_targets(conn, None, d.DEMO_TARGETS_CSV, "demo", is_demo=True)
        cur.execute("SELECT id, activity_type, status, kc_vnd, year FROM project "
                    "WHERE is_demo ORDER BY id")
        projects = cur.fetchall()
        outputs, money, visits = [], [], []
        for pid, activity, status, kc, year in projects:
            outputs += [(pid, k, v) for k, v in d.project_outputs(rng, activity, status).items()]
            disbursed, settled = d.project_money(rng, int(kc), status, int(year))
            money.append((pid, kc, disbursed, settled))
            if status in ("completed", "in_progress") and rng.random() < 0.2:
                visits.append((pid, date(int(year), rng.randint(6, 12), rng.randint(1, 28)),
                               rng.choice(INSPECTORS), rng.choice(FINDINGS)))
        psycopg2.extras.execute_values(
            cur, "INSERT INTO project_output (project_id, indicator, quantity) VALUES %s",
            outputs)
        psycopg2.extras.execute_values(
            cur, "INSERT INTO project_finance (project_id, planned_vnd, disbursed_vnd, "
                 "settled_vnd) VALUES %s", money)
        psycopg2.extras.execute_values(
            cur, "INSERT INTO project_inspection (project_id, visit_date, inspector, finding) "
                 "VALUES %s", visits)
        cur.execute("""SELECT e.record_key, e.id FROM establishment e
                       WHERE e.is_demo AND EXISTS (SELECT 1 FROM location l
                           WHERE l.establishment_id = e.id AND l.precision IN ('exact', 'commune'))
                       ORDER BY e.record_key""")
        est = dict(cur.fetchall())
        psycopg2.extras.execute_values(
            cur, "INSERT INTO recognised_product (record_key, name, establishment_id, kind, "
                 "stars, level, year, decision, is_demo) VALUES %s",
            [(p.record_key, p.name, est[p.establishment_key], p.kind, p.stars, p.level, p.year,
              "Quyết định mẫu") for p in d.products(sorted(est), seed)],
            template="(%s, %s, %s, %s, %s, %s, %s, %s, true)")
        cur.execute("SELECT code FROM admin_unit WHERE edition = 'legacy' AND level = 'commune' "
                    "AND code NOT IN (SELECT commune_code FROM collaborator) ORDER BY code")
        communes = [str(r[0]) for r in cur.fetchall()]
        psycopg2.extras.execute_values(
            cur, "INSERT INTO collaborator (record_key, commune_code, full_name, phone, "
                 "position, since_year, is_demo) VALUES %s",
            [(c.record_key, c.commune_code, c.full_name, c.phone, c.position, c.since_year)
             for c in d.collaborators(communes, seed)],
            template="(%s, %s, %s, %s, %s, %s, true)")
