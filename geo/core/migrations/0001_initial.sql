-- kcmap 0001: administrative units, crosswalk, boundaries, records and their locations.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Administrative units of both editions: 'legacy' (three levels, before 1 July 2025)
-- and '2025' (two levels, after the reform).
CREATE TABLE admin_unit (
    edition      text NOT NULL CHECK (edition IN ('legacy', '2025')),
    code         text NOT NULL,
    level        text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    name         text NOT NULL,
    short_name   text NOT NULL,
    type         text NOT NULL,
    parent_code  text,
    name_key     text NOT NULL,
    centroid     geometry(Point, 4326),
    bbox         geometry(Polygon, 4326),
    source       text NOT NULL,
    PRIMARY KEY (edition, code),
    FOREIGN KEY (edition, parent_code) REFERENCES admin_unit (edition, code),
    CHECK ((level = 'province') = (parent_code IS NULL)),
    CHECK (edition = 'legacy' OR level <> 'district')
);
CREATE INDEX admin_unit_parent_idx ON admin_unit (edition, parent_code);
CREATE INDEX admin_unit_name_key_idx ON admin_unit (name_key);
CREATE INDEX admin_unit_centroid_gix ON admin_unit USING gist (centroid);

-- Other names a unit has been known by (merged or renamed units), for matching old records.
CREATE TABLE unit_alias (
    edition   text NOT NULL,
    code      text NOT NULL,
    alias_key text NOT NULL,
    note      text,
    PRIMARY KEY (edition, code, alias_key),
    FOREIGN KEY (edition, code) REFERENCES admin_unit (edition, code) ON DELETE CASCADE
);
CREATE INDEX unit_alias_key_idx ON unit_alias (alias_key);

-- Legacy unit (commune, or a district without communes) -> 2025 commune, with its share.
CREATE TABLE unit_crosswalk (
    legacy_edition text NOT NULL DEFAULT 'legacy' CHECK (legacy_edition = 'legacy'),
    legacy_code    text NOT NULL,
    new_edition    text NOT NULL DEFAULT '2025' CHECK (new_edition = '2025'),
    code_2025      text NOT NULL,
    share          double precision NOT NULL CHECK (share > 0 AND share <= 1),
    share_method   text NOT NULL CHECK (share_method IN ('whole', 'even')),
    is_default     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (legacy_code, code_2025),
    FOREIGN KEY (legacy_edition, legacy_code) REFERENCES admin_unit (edition, code)
        ON DELETE CASCADE,
    FOREIGN KEY (new_edition, code_2025) REFERENCES admin_unit (edition, code)
        ON DELETE CASCADE
);
CREATE INDEX unit_crosswalk_new_idx ON unit_crosswalk (code_2025);

-- One current polygon per unit: 'official' from an imported file, or 'approximate'.
CREATE TABLE boundary (
    edition     text NOT NULL,
    code        text NOT NULL,
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    source      text NOT NULL,
    quality     text NOT NULL CHECK (quality IN ('official', 'approximate')),
    area_km2    double precision NOT NULL,  -- computed in VN-2000 / UTM 49N (EPSG:3406)
    method      text,
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (edition, code),
    FOREIGN KEY (edition, code) REFERENCES admin_unit (edition, code) ON DELETE CASCADE
);
CREATE INDEX boundary_geom_gix ON boundary USING gist (geom);

-- Activity types of khuyến công projects (Decree 45/2012/NĐ-CP, DOMAIN.md).
CREATE TABLE activity_type (
    code    text PRIMARY KEY,
    name_vi text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO activity_type (code, name_vi, name_en) VALUES
    ('demonstration', 'Mô hình trình diễn kỹ thuật', 'Technical demonstration model'),
    ('machinery', 'Ứng dụng máy móc thiết bị', 'Machinery and equipment'),
    ('training', 'Đào tạo nghề', 'Vocational training'),
    ('capacity', 'Tập huấn, nâng cao năng lực', 'Training and capacity building'),
    ('cleaner_production', 'Sản xuất sạch hơn, tiết kiệm năng lượng',
        'Cleaner production, energy saving'),
    ('trade_fair', 'Hội chợ, triển lãm', 'Trade fairs and exhibitions'),
    ('product_award', 'Sản phẩm CNNT tiêu biểu', 'Outstanding rural industrial product'),
    ('industrial_cluster', 'Cụm công nghiệp', 'Industrial cluster infrastructure'),
    ('other', 'Hoạt động khác', 'Other');

-- Rural industrial establishments (cơ sở CNNT).
CREATE TABLE establishment (
    id          bigserial PRIMARY KEY,
    record_key  text NOT NULL UNIQUE,
    name        text NOT NULL,
    owner_name  text,
    phone       text,
    trade       text,
    workers     integer CHECK (workers IS NULL OR workers >= 0),
    address_raw text,
    is_demo     boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Craft villages (làng nghề) recognised by provincial decision.
CREATE TABLE craft_village (
    id             bigserial PRIMARY KEY,
    record_key     text NOT NULL UNIQUE,
    name           text NOT NULL,
    trade          text,
    decision       text,
    recognised_year integer,
    households     integer CHECK (households IS NULL OR households >= 0),
    workers        integer CHECK (workers IS NULL OR workers >= 0),
    is_demo        boolean NOT NULL DEFAULT false,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Funded khuyến công projects (đề án khuyến công).
CREATE TABLE project (
    id               bigserial PRIMARY KEY,
    record_key       text NOT NULL UNIQUE,
    title            text NOT NULL,
    year             integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    funding_source   text NOT NULL CHECK (funding_source IN ('KCQG', 'KCDP')),
    activity_type    text NOT NULL REFERENCES activity_type (code),
    kc_vnd           bigint NOT NULL CHECK (kc_vnd >= 0),
    counterpart_vnd  bigint NOT NULL DEFAULT 0 CHECK (counterpart_vnd >= 0),
    beneficiary      text,
    beneficiary_establishment_id bigint REFERENCES establishment (id) ON DELETE SET NULL,
    status           text NOT NULL DEFAULT 'completed'
                     CHECK (status IN ('planned', 'approved', 'in_progress', 'completed',
                                       'cancelled')),
    is_demo          boolean NOT NULL DEFAULT false,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_year_idx ON project (year);

-- Where a record is: one location per establishment or village, one or more per project.
CREATE TABLE location (
    id               bigserial PRIMARY KEY,
    establishment_id bigint REFERENCES establishment (id) ON DELETE CASCADE,
    village_id       bigint REFERENCES craft_village (id) ON DELETE CASCADE,
    project_id       bigint REFERENCES project (id) ON DELETE CASCADE,
    geom             geometry(Geometry, 4326),
    precision        text NOT NULL CHECK (precision IN ('exact', 'commune', 'district',
                                                        'province', 'none')),
    commune_code     text,
    district_code    text,
    raw_address      text,
    raw_lat          text,
    raw_lon          text,
    method           text NOT NULL,
    score            double precision CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
    geocode_status   text NOT NULL DEFAULT 'ok'
                     CHECK (geocode_status IN ('ok', 'ambiguous', 'not_found', 'conflict')),
    source_file      text,
    source_row       integer,
    CHECK (num_nonnulls(establishment_id, village_id, project_id) = 1),
    CHECK (precision <> 'commune' OR commune_code IS NOT NULL),
    CHECK (precision <> 'district' OR district_code IS NOT NULL),
    CHECK (precision = 'none' OR geom IS NOT NULL)
);
CREATE INDEX location_geom_gix ON location USING gist (geom);
CREATE INDEX location_establishment_idx ON location (establishment_id);
CREATE INDEX location_village_idx ON location (village_id);
CREATE INDEX location_project_idx ON location (project_id);
CREATE INDEX location_commune_idx ON location (commune_code);
CREATE INDEX location_district_idx ON location (district_code);
