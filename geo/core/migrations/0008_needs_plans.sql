-- kcmap 0008: the khuyến công year, first half: support needs (nhu cầu hỗ trợ) registered for
-- establishments, and the annual plan (kế hoạch khuyến công năm N) with its ceilings and lines.

-- What an establishment asks for. district_code / commune_code: where the establishment was
-- located when the need was registered (legacy units), for filters and the map layer.
CREATE TABLE support_need (
    id               bigserial PRIMARY KEY,
    establishment_id bigint NOT NULL REFERENCES establishment (id) ON DELETE CASCADE,
    activity_type    text NOT NULL REFERENCES activity_type (code),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    total_cost_vnd   bigint NOT NULL CHECK (total_cost_vnd >= 0),
    requested_vnd    bigint NOT NULL CHECK (requested_vnd >= 0),
    counterpart_vnd  bigint NOT NULL DEFAULT 0 CHECK (counterpart_vnd >= 0),
    desired_year     integer NOT NULL CHECK (desired_year BETWEEN 2000 AND 2100),
    priority         text NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    status           text NOT NULL DEFAULT 'registered'
                     CHECK (status IN ('registered', 'shortlisted', 'in_plan', 'funded',
                                       'declined')),
    decline_reason   text,
    project_id       bigint REFERENCES project (id) ON DELETE SET NULL,
    district_code    text NOT NULL,
    commune_code     text,
    is_demo          boolean NOT NULL DEFAULT false,
    version          integer NOT NULL DEFAULT 1,
    created_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'declined' OR btrim(COALESCE(decline_reason, '')) <> '')
);
CREATE INDEX support_need_district_idx ON support_need (district_code, desired_year);
CREATE INDEX support_need_commune_idx ON support_need (commune_code);
CREATE INDEX support_need_establishment_idx ON support_need (establishment_id);

-- The annual plan of a year: ceilings per source (the year's budget estimate, dự toán).
CREATE TABLE kc_plan (
    year             integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    ceiling_kcqg_vnd bigint NOT NULL CHECK (ceiling_kcqg_vnd >= 0),
    ceiling_kcdp_vnd bigint NOT NULL CHECK (ceiling_kcdp_vnd >= 0),
    is_demo          boolean NOT NULL DEFAULT false,
    version          integer NOT NULL DEFAULT 1,
    created_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    approved_at      timestamptz,
    approved_by      bigint REFERENCES app_user (id) ON DELETE SET NULL
);

-- Optional ceiling of a district (both sources together) within a year's plan.
CREATE TABLE kc_plan_district_ceiling (
    year          integer NOT NULL REFERENCES kc_plan (year) ON DELETE CASCADE,
    district_code text NOT NULL,
    ceiling_vnd   bigint NOT NULL CHECK (ceiling_vnd >= 0),
    PRIMARY KEY (year, district_code)
);

-- A line of a plan: a registered need, or a new proposal; its project once approved.
CREATE TABLE kc_plan_line (
    id               bigserial PRIMARY KEY,
    year             integer NOT NULL REFERENCES kc_plan (year) ON DELETE CASCADE,
    need_id          bigint UNIQUE REFERENCES support_need (id) ON DELETE SET NULL,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    activity_type    text NOT NULL REFERENCES activity_type (code),
    funding_source   text NOT NULL CHECK (funding_source IN ('KCQG', 'KCDP')),
    kc_vnd           bigint NOT NULL CHECK (kc_vnd > 0),
    counterpart_vnd  bigint NOT NULL DEFAULT 0 CHECK (counterpart_vnd >= 0),
    district_code    text NOT NULL,
    commune_code     text,
    beneficiary      text,
    establishment_id bigint REFERENCES establishment (id) ON DELETE SET NULL,
    project_id       bigint REFERENCES project (id) ON DELETE SET NULL,
    is_demo          boolean NOT NULL DEFAULT false,
    created_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kc_plan_line_year_idx ON kc_plan_line (year);

-- Needs and plans are audited like record edits.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('establishment', 'craft_village', 'project', 'support_need', 'kc_plan'));
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('edit', 'confirm', 'revert', 'create', 'add_line', 'approve'));

-- The what-if gap ranking and the needs layer read these: bump their data versions (0007).
DO $$
DECLARE
    t text;
    token uuid := (SELECT token FROM data_version LIMIT 1);
BEGIN
    FOREACH t IN ARRAY ARRAY['support_need', 'kc_plan', 'kc_plan_district_ceiling',
                             'kc_plan_line']
    LOOP
        INSERT INTO data_version (table_name, token) VALUES (t, COALESCE(token, gen_random_uuid()));
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
                       t || '_data_version', t);
    END LOOP;
END;
$$;
