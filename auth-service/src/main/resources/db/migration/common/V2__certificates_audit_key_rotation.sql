-- App Certificates, encrypted (AEAD under the key-encryption keyset) so they can verify
-- signatures, at most one PRIMARY and one SECONDARY per app; revoked ones keep their row.
CREATE TABLE app_certificates (
    certificate_id    VARCHAR(64) PRIMARY KEY,
    app_id            VARCHAR(64) NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    slot              VARCHAR(16),
    secret_ciphertext BYTEA NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at        TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX app_certificates_one_per_slot ON app_certificates (app_id, slot);

-- Certificates used to be stored only as a hash, which cannot verify signatures. Apps created
-- before this migration have no certificate: issue one with POST /v1/apps/{appId}/certificates.
ALTER TABLE apps DROP COLUMN certificate_hash;
ALTER TABLE apps ADD COLUMN tokens_not_before TIMESTAMP WITH TIME ZONE;
ALTER TABLE apps ADD COLUMN requests_per_second INTEGER;
ALTER TABLE apps ADD COLUMN max_user_token_ttl_seconds BIGINT;

-- Signing keys: private part encrypted; a key is published before it signs (activates_at) and
-- leaves the JWKS when retired. Keys stored in clear by the first version are dropped; tokens
-- they signed must be obtained again.
DELETE FROM signing_keys;
ALTER TABLE signing_keys DROP COLUMN jwk;
ALTER TABLE signing_keys ADD COLUMN public_jwk TEXT NOT NULL;
ALTER TABLE signing_keys ADD COLUMN private_jwk_ciphertext BYTEA NOT NULL;
ALTER TABLE signing_keys ADD COLUMN activates_at TIMESTAMP WITH TIME ZONE NOT NULL;
ALTER TABLE signing_keys ADD COLUMN retired_at TIMESTAMP WITH TIME ZONE;

-- Append-only audit of admin and credential actions.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(64) NOT NULL,
    app_id      VARCHAR(64),
    outcome     VARCHAR(16) NOT NULL,
    detail      VARCHAR(1000)
);
CREATE INDEX audit_log_by_app ON audit_log (app_id, id);
