-- kcmap 0009: programme targets, project outputs / money status / inspections, recognised
-- products (OCOP, outstanding rural industrial products) and commune collaborators.

-- Targets of the programme (e.g. Decision 1894/QĐ-UBND, 2021–2025) as the province sets them:
-- per period (one year or a range), activity type (NULL = all), indicator, district (NULL =
-- the province). The product never invents the figures: demo ones carry is_demo.
CREATE TABLE programme_target (
    id             bigserial PRIMARY KEY,
    period_start   integer NOT NULL CHECK (period_start BETWEEN 2000 AND 2100),
    period_end     integer NOT NULL CHECK (period_end BETWEEN 2000 AND 2100),
    activity_type  text REFERENCES activity_type (code),
    indicator      text NOT NULL CHECK (indicator IN ('projects', 'budget_vnd', 'disbursed_vnd',
                                                      'models', 'trainees', 'machines',
                                                      'products', 'fairs', 'establishments')),
    unit           text NOT NULL,
    target         bigint NOT NULL CHECK (target >= 0),
    district_code  text,
    is_demo        boolean NOT NULL DEFAULT false,
    source         text NOT NULL DEFAULT 'form',
    created_by     bigint REFERENCES app_user (id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start)
);
CREATE UNIQUE INDEX programme_target_key_idx ON programme_target
    (period_start, period_end, COALESCE(activity_type, ''), indicator, COALESCE(district_code, ''));

-- What a project produced (people trained, machines supported, products recognised …).
CREATE TABLE project_output (
    project_id  bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    indicator   text NOT NULL CHECK (indicator IN ('models', 'trainees', 'machines', 'products',
                                                   'fairs', 'establishments')),
    quantity    bigint NOT NULL CHECK (quantity >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, indicator)
);

-- Money status of a project: planned, disbursed (giải ngân) and settled (quyết toán) amounts.
CREATE TABLE project_finance (
    project_id     bigint PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    planned_vnd    bigint NOT NULL CHECK (planned_vnd >= 0),
    disbursed_vnd  bigint NOT NULL DEFAULT 0 CHECK (disbursed_vnd >= 0),
    settled_vnd    bigint NOT NULL DEFAULT 0 CHECK (settled_vnd >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (settled_vnd <= disbursed_vnd)
);

-- Inspection visits (kiểm tra, giám sát): date, who, finding.
CREATE TABLE project_inspection (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    visit_date  date NOT NULL,
    inspector   text NOT NULL,
    finding     text NOT NULL,
    created_by  bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_inspection_project_idx ON project_inspection (project_id, visit_date);

-- Recognised products of establishments: OCOP (3–5 stars) or outstanding rural industrial
-- products (sản phẩm CNNT tiêu biểu) at provincial, regional or national level.
CREATE TABLE recognised_product (
    id                bigserial PRIMARY KEY,
    record_key        text NOT NULL UNIQUE,
    name              text NOT NULL,
    establishment_id  bigint NOT NULL REFERENCES establishment (id) ON DELETE CASCADE,
    kind              text NOT NULL CHECK (kind IN ('ocop', 'cnnt')),
    stars             integer CHECK (stars BETWEEN 3 AND 5),
    level             text NOT NULL CHECK (level IN ('provincial', 'regional', 'national')),
    year              integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    decision          text,
    is_demo           boolean NOT NULL DEFAULT false,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'ocop') = (stars IS NOT NULL)),
    CHECK (kind = 'cnnt' OR level <> 'regional')
);
CREATE INDEX recognised_product_establishment_idx ON recognised_product (establishment_id);

-- The khuyến công collaborator (cộng tác viên khuyến công) of a legacy commune.
CREATE TABLE collaborator (
    id            bigserial PRIMARY KEY,
    record_key    text NOT NULL UNIQUE,
    edition       text NOT NULL DEFAULT 'legacy' CHECK (edition = 'legacy'),
    commune_code  text NOT NULL,
    full_name     text NOT NULL,
    phone         text,
    position      text,
    since_year    integer CHECK (since_year BETWEEN 2000 AND 2100),
    is_active     boolean NOT NULL DEFAULT true,
    is_demo       boolean NOT NULL DEFAULT false,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (edition, commune_code) REFERENCES admin_unit (edition, code)
);
CREATE INDEX collaborator_commune_idx ON collaborator (commune_code);

-- Data versions and their triggers (as in 0007) for the new tables.
DO $$
DECLARE
    t text;
    token uuid := (SELECT token FROM data_version LIMIT 1);
BEGIN
    FOREACH t IN ARRAY ARRAY['programme_target', 'project_output', 'project_finance',
                             'project_inspection', 'recognised_product', 'collaborator']
    LOOP
        INSERT INTO data_version (table_name, token)
        VALUES (t, COALESCE(token, gen_random_uuid()));
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
                       t || '_data_version', t);
    END LOOP;
END;
$$;
