-- kcmap 0019: establishment_point_sync (0016) counted the deleted rows once per inserted row.
-- Its INSERT waited for the DELETE of the same keys through a CROSS JOIN with the DELETE's
-- count; inside an import the freshly written tables have no statistics, the planner took the
-- set for one row and put that count on the inner side of a nested loop, so it was recounted
-- for every row: a statement of n establishments cost n^2 (the location COPY of a 20,000-row
-- import took 8.6 s, 0.5 s now; a 100,000-row first import 361.7 s, 21.9 s now). The count
-- is now an uncorrelated subquery (an InitPlan, run once before the first row); nothing else
-- changes.

CREATE OR REPLACE FUNCTION establishment_point_sync(ids bigint[]) RETURNS void LANGUAGE sql
SET jit = off SET enable_seqscan = off AS $$
    WITH cur AS MATERIALIZED (SELECT * FROM establishment_point_of(ids)),
    changed AS MATERIALIZED (
        SELECT COALESCE(c.establishment_id, p.establishment_id) AS id
        FROM cur c
        FULL JOIN (SELECT * FROM establishment_point WHERE establishment_id = ANY(ids)) p
               ON p.establishment_id = c.establishment_id
        WHERE c IS DISTINCT FROM p),
    old AS (DELETE FROM establishment_point p
            WHERE p.establishment_id = ANY(ARRAY(SELECT id FROM changed)) RETURNING p.*),
    new AS (INSERT INTO establishment_point  -- after old (its count, once): the same keys
            SELECT c.* FROM cur c JOIN changed ON changed.id = c.establishment_id
            WHERE (SELECT count(*) FROM old) >= 0
            RETURNING *),
    d AS MATERIALIZED (
        SELECT commune_code, district_code, trade, status, gx, gy, x, y, 1 AS n FROM new
        UNION ALL
        SELECT commune_code, district_code, trade, status, gx, gy, x, y, -1 FROM old),
    td AS MATERIALIZED (
        SELECT commune_code, district_code, trade, status, gx IS NOT NULL AS drawn,
               sum(n) AS n
        FROM d GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
    tgone AS (
        DELETE FROM establishment_tally t USING (
            SELECT t2.ctid AS tid FROM establishment_tally t2
            JOIN td USING (trade, status, commune_code, district_code, drawn)
            WHERE (SELECT count(*) FROM td) <= 256
            FOR UPDATE OF t2 SKIP LOCKED) s
        WHERE t.ctid = s.tid
        RETURNING t.*),
    tins AS (
        INSERT INTO establishment_tally
        SELECT commune_code, district_code, trade, status, drawn, sum(n)
        FROM (SELECT * FROM tgone UNION ALL SELECT * FROM td) a
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
    cd AS MATERIALIZED (
        SELECT gx, gy, commune_code, district_code, trade, sum(n) AS n, sum(n * x) AS sx,
               sum(n * y) AS sy
        FROM d WHERE gx IS NOT NULL GROUP BY 1, 2, 3, 4, 5
        HAVING sum(n) <> 0 OR sum(n * x) <> 0 OR sum(n * y) <> 0),
    cgone AS (
        DELETE FROM establishment_cell c USING (
            SELECT c2.ctid AS tid FROM establishment_cell c2
            JOIN cd USING (gx, gy, commune_code, district_code, trade)
            WHERE (SELECT count(*) FROM cd) <= 256
            FOR UPDATE OF c2 SKIP LOCKED) s
        WHERE c.ctid = s.tid
        RETURNING c.*),
    cins AS (
        INSERT INTO establishment_cell
        SELECT gx, gy, commune_code, district_code, trade, sum(n), sum(sx), sum(sy)
        FROM (SELECT * FROM cgone UNION ALL SELECT * FROM cd) a
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0)
    SELECT NULL::void
$$;
