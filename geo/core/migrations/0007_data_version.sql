-- kcmap 0007: data versions that every write to the data the maps and indicators read bumps,
-- one per table. Caches key their entries on the (token, version) of the tables they read: a
-- write in any process or worker changes the version in the same transaction, so no cache ever
-- serves data older than what it can see. Values come from a sequence, so a number is never
-- reused after a rollback; the token tells one database from another (or from a re-created
-- one with the same name).
CREATE SEQUENCE data_version_seq;

CREATE TABLE data_version (
    table_name text PRIMARY KEY,
    token      uuid NOT NULL,
    version    bigint NOT NULL DEFAULT nextval('data_version_seq')
);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = nextval('data_version_seq')
    WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
    token uuid := gen_random_uuid();
BEGIN
    FOREACH t IN ARRAY ARRAY['admin_unit', 'unit_alias', 'unit_crosswalk', 'boundary',
                             'activity_type', 'establishment', 'craft_village', 'project',
                             'location', 'commune_priority']
    LOOP
        INSERT INTO data_version (table_name, token) VALUES (t, token);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
                       t || '_data_version', t);
    END LOOP;
END;
$$;
