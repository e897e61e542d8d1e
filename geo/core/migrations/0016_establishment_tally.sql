-- kcmap 0016: what each establishment's first location contributes to the maps, kept up to date
-- in the writing transaction, so the establishments page and its low-zoom tiles never count the
-- whole table after a data change.
--   establishment_point: one row per establishment: its first location (smallest id, as
--     record_place callers pick it), that location's commune and district codes as stored, the
--     trade, the geocoding status, and the drawable point (location.point_3857) with its cell;
--   establishment_tally: how many establishments per (commune, district, trade, status, drawn);
--   establishment_cell: drawable points per cell of level 16 (65,536 cells across EPSG:3857,
--     about 611 m; the clusters of tiles below zoom 15 are sums of these cells) and per
--     (commune, district, trade): count and sum of x and y, so a cluster sits at the mean of
--     its points.
-- Missing values are '' (never NULL), so keys join by plain equality. Cells are numbered from
-- the west (gx) and from the north (gy) like tiles, so the cells of tile z/x/y (z <= 16) are
-- columns x·2^(16-z) .. (x+1)·2^(16-z) - 1, and rows likewise.
-- Statement-level triggers on establishment and location re-read the establishments a
-- statement touched and apply the difference. Sums are kept as rows to be added up: a writer
-- folds the rows of the keys it changes into one, skipping rows another open transaction holds
-- (FOR UPDATE SKIP LOCKED), so concurrent writers never wait for each other here.
-- These tables change only with establishment and location, whose data_version rows key the
-- caches of what is read from them.

-- The column or row (0..65535) of level 16 at DISTANCE metres from the west or north edge of
-- EPSG:3857 (NULL for NULL; one reference to the argument, so it is inlined in the queries).
CREATE FUNCTION kc_cell16(distance float8) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN floor(distance / (40075016.685578488 / 65536))::integer;

CREATE TABLE establishment_point (
    establishment_id bigint PRIMARY KEY,
    location_id      bigint,
    commune_code     text NOT NULL,
    district_code    text NOT NULL,
    trade            text NOT NULL,
    status           text NOT NULL,
    gx               integer,
    gy               integer,
    x                float8,
    y                float8
);
CREATE INDEX establishment_point_location_idx ON establishment_point (location_id);

CREATE TABLE establishment_tally (
    commune_code  text NOT NULL,
    district_code text NOT NULL,
    trade         text NOT NULL,
    status        text NOT NULL,
    drawn         boolean NOT NULL,
    n             bigint NOT NULL
);
CREATE INDEX establishment_tally_key_idx
    ON establishment_tally (trade, status, commune_code, district_code, drawn);

CREATE TABLE establishment_cell (
    gx            integer NOT NULL,
    gy            integer NOT NULL,
    commune_code  text NOT NULL,
    district_code text NOT NULL,
    trade         text NOT NULL,
    n             bigint NOT NULL,
    sx            float8 NOT NULL,
    sy            float8 NOT NULL
);
CREATE INDEX establishment_cell_cell_idx ON establishment_cell (gx, gy);

-- The current contribution of establishments IDS (those still there). Written so that the
-- plan is the same whatever the statistics say (each id looked up by index).
CREATE FUNCTION establishment_point_of(ids bigint[]) RETURNS SETOF establishment_point
LANGUAGE sql STABLE AS $$
    SELECT e.id, l.id, COALESCE(l.commune_code, ''), COALESCE(l.district_code, ''),
           COALESCE(e.trade, ''), COALESCE(l.geocode_status, ''),
           kc_cell16(ST_X(l.point_3857) + 20037508.342789244),
           kc_cell16(20037508.342789244 - ST_Y(l.point_3857)),
           ST_X(l.point_3857), ST_Y(l.point_3857)
    FROM establishment e
    LEFT JOIN (SELECT DISTINCT ON (x.establishment_id) x.*
               FROM location x WHERE x.establishment_id = ANY(ids)
               ORDER BY x.establishment_id, x.id) l ON l.establishment_id = e.id
    WHERE e.id = ANY(ids)
$$;

-- Bring the rows of establishments IDS in line with the data, and the sums with them.
-- Every table is reached through its indexes. A statement changing at most 256 keys folds
-- their rows; a larger one (a page of an import, a chunk of the demo) only adds its rows:
-- folding them statement after statement in one long transaction would pile up dead rows that
-- every later statement walks through. Such writers call establishment_sums_fold at the end.
CREATE FUNCTION establishment_point_sync(ids bigint[]) RETURNS void LANGUAGE sql
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
    new AS (INSERT INTO establishment_point  -- after old (its count): the same keys
            SELECT c.* FROM cur c JOIN changed ON changed.id = c.establishment_id
            CROSS JOIN (SELECT count(*) FROM old) AS deleted_first
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

-- The rows of every key that has several as one (rows no open transaction holds).
CREATE FUNCTION establishment_sums_fold() RETURNS void LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM establishment_tally t USING (
            SELECT ctid AS tid FROM establishment_tally
            WHERE (trade, status, commune_code, district_code, drawn) IN (
                SELECT trade, status, commune_code, district_code, drawn
                FROM establishment_tally GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1)
            FOR UPDATE SKIP LOCKED) s
        WHERE t.ctid = s.tid RETURNING t.*)
    INSERT INTO establishment_tally
    SELECT commune_code, district_code, trade, status, drawn, sum(n)
    FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
    WITH gone AS (
        DELETE FROM establishment_cell c USING (
            SELECT ctid AS tid FROM establishment_cell
            WHERE (gx, gy, commune_code, district_code, trade) IN (
                SELECT gx, gy, commune_code, district_code, trade
                FROM establishment_cell GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1)
            FOR UPDATE SKIP LOCKED) s
        WHERE c.ctid = s.tid RETURNING c.*)
    INSERT INTO establishment_cell
    SELECT gx, gy, commune_code, district_code, trade, sum(n), sum(sx), sum(sy)
    FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
$$;

-- Everything again from the data (this migration; after a TRUNCATE).
CREATE FUNCTION establishment_point_rebuild() RETURNS void LANGUAGE sql AS $$
    TRUNCATE establishment_point, establishment_tally, establishment_cell;
    INSERT INTO establishment_point
    SELECT e.id, l.id, COALESCE(l.commune_code, ''), COALESCE(l.district_code, ''),
           COALESCE(e.trade, ''), COALESCE(l.geocode_status, ''),
           kc_cell16(ST_X(l.point_3857) + 20037508.342789244),
           kc_cell16(20037508.342789244 - ST_Y(l.point_3857)),
           ST_X(l.point_3857), ST_Y(l.point_3857)
    FROM establishment e
    LEFT JOIN (SELECT DISTINCT ON (establishment_id) * FROM location
               WHERE establishment_id IS NOT NULL ORDER BY establishment_id, id) l
           ON l.establishment_id = e.id;
    INSERT INTO establishment_tally
    SELECT commune_code, district_code, trade, status, gx IS NOT NULL, count(*)
    FROM establishment_point GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO establishment_cell
    SELECT gx, gy, commune_code, district_code, trade, count(*), sum(x), sum(y)
    FROM establishment_point WHERE gx IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
$$;

CREATE FUNCTION establishment_point_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM establishment_point_rebuild();
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'establishment' AND TG_OP = 'INSERT' THEN
        -- New establishments have no location yet (a location needs its establishment first);
        -- those a location trigger of the same statement already wrote are left to it.
        WITH p AS (
            INSERT INTO establishment_point (establishment_id, commune_code, district_code,
                                             trade, status)
            SELECT id, '', '', COALESCE(trade, ''), '' FROM new_rows
            ON CONFLICT (establishment_id) DO NOTHING
            RETURNING trade)
        INSERT INTO establishment_tally
        SELECT '', '', trade, '', false, count(*) FROM p GROUP BY trade;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'establishment' THEN
        IF TG_OP = 'DELETE' THEN
            ids := ARRAY(SELECT id FROM old_rows);
        ELSE
            ids := ARRAY(SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
                         WHERE o.id IS NULL OR n.trade IS DISTINCT FROM o.trade
                         UNION
                         SELECT o.id FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id
                         WHERE n.id IS NULL);
        END IF;
    ELSE
        IF TG_OP = 'INSERT' THEN
            ids := ARRAY(SELECT DISTINCT establishment_id FROM new_rows
                         WHERE establishment_id IS NOT NULL);
        ELSIF TG_OP = 'DELETE' THEN
            ids := ARRAY(SELECT DISTINCT establishment_id FROM old_rows
                         WHERE establishment_id IS NOT NULL);
        ELSE
            ids := ARRAY(SELECT establishment_id FROM new_rows
                         WHERE establishment_id IS NOT NULL
                         UNION SELECT establishment_id FROM old_rows
                         WHERE establishment_id IS NOT NULL);
        END IF;
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM establishment_point_sync(ids);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER establishment_point_ins AFTER INSERT ON establishment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER establishment_point_upd AFTER UPDATE ON establishment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER establishment_point_del AFTER DELETE ON establishment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER establishment_point_trunc AFTER TRUNCATE ON establishment
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER location_point_ins AFTER INSERT ON location
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER location_point_upd AFTER UPDATE ON location
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER location_point_del AFTER DELETE ON location
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION establishment_point_changed();
CREATE TRIGGER location_point_trunc AFTER TRUNCATE ON location
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_point_changed();

SELECT establishment_point_rebuild();
