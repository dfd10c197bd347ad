CREATE TABLE apps (
    app_id           VARCHAR(64) PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    status           VARCHAR(16) NOT NULL,
    scopes           VARCHAR(2000) NOT NULL,
    certificate_hash VARCHAR(200) NOT NULL,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Token signing keys (JWK JSON). The newest signs; all are served at the JWKS endpoint so
-- tokens signed with a previous key keep verifying until they expire.
CREATE TABLE signing_keys (
    key_id     VARCHAR(64) PRIMARY KEY,
    jwk        TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
