-- kcmap 0004: accounts, sessions, API tokens, login attempts, review state and the audit trail.

-- Users; district officers belong to one legacy district (checked against admin_unit in geo/).
CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'planner', 'district_officer', 'viewer')),
    district_code text,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    CHECK ((role = 'district_officer') = (district_code IS NOT NULL))
);

-- Page sessions: the cookie holds a random token, only its SHA-256 is stored.
CREATE TABLE user_session (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expires_idx ON user_session (expires_at);

-- API tokens for scripts (Authorization: Bearer ...): only the SHA-256 is stored.
CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- Failed logins, for rate limiting per (username, client address) and per address.
CREATE TABLE login_failure (
    id       bigserial PRIMARY KEY,
    username text NOT NULL,
    ip       text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_user_ip_idx ON login_failure (username, ip, at);
CREATE INDEX login_failure_ip_idx ON login_failure (ip, at);

-- Review state of an establishment's location (confirmed or moved by a person).
ALTER TABLE establishment
    ADD COLUMN reviewed_at timestamptz,
    ADD COLUMN reviewed_by bigint REFERENCES app_user (id) ON DELETE SET NULL;

-- Every change made through the review workflow or the API: who, when, before and after.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint REFERENCES app_user (id) ON DELETE SET NULL,
    username        text NOT NULL,
    entity          text NOT NULL CHECK (entity IN ('establishment', 'craft_village', 'project')),
    entity_id       bigint NOT NULL,
    action          text NOT NULL CHECK (action IN ('edit', 'confirm', 'revert')),
    version_before  integer NOT NULL,
    version_after   integer NOT NULL,
    before          jsonb NOT NULL,
    after           jsonb NOT NULL,
    geom_before     geometry(Geometry, 4326),
    geom_after      geometry(Geometry, 4326),
    reason          text NOT NULL DEFAULT '',
    district_code   text,
    reverts_id      bigint REFERENCES audit_log (id),
    reverted_by_id  bigint REFERENCES audit_log (id)
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_district_idx ON audit_log (district_code, id);
