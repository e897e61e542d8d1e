-- kcmap 0006: API tokens expire and have a name; each can be revoked on its own.
-- Tokens issued before this migration get the default lifetime (90 days) counted from now,
-- so no script stops working at the upgrade without warning.
ALTER TABLE api_token
    ADD COLUMN name text NOT NULL DEFAULT '',
    ADD COLUMN expires_at timestamptz;
UPDATE api_token SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_token_live_idx ON api_token (user_id) WHERE revoked_at IS NULL;
