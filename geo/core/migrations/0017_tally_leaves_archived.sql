-- kcmap 0017: archived establishments (0013) leave the kept sums of 0016 (establishment_point,
-- establishment_tally, establishment_cell), so the establishments page's totals and legend
-- and the low-zoom tiles stop counting them, like record_place and the indicators do.
-- An establishment's contribution is none while archived_at is set; archiving or bringing
-- one back (an UPDATE of archived_at, also by an import's undo) syncs its rows.

CREATE OR REPLACE FUNCTION establishment_point_of(ids bigint[]) RETURNS SETOF establishment_point
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
    WHERE e.id = ANY(ids) AND e.archived_at IS NULL
$$;

CREATE OR REPLACE FUNCTION establishment_point_rebuild() RETURNS void LANGUAGE sql AS $$
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
           ON l.establishment_id = e.id
    WHERE e.archived_at IS NULL;
    INSERT INTO establishment_tally
    SELECT commune_code, district_code, trade, status, gx IS NOT NULL, count(*)
    FROM establishment_point GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO establishment_cell
    SELECT gx, gy, commune_code, district_code, trade, count(*), sum(x), sum(y)
    FROM establishment_point WHERE gx IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
$$;

CREATE OR REPLACE FUNCTION establishment_point_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
                            OR n.archived_at IS DISTINCT FROM o.archived_at
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

-- establishments archived before this migration
SELECT establishment_point_rebuild();
