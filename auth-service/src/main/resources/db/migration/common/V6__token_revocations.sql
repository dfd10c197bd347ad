-- User tokens revoked before they expire, as published on auth.revocations: a sign-out of every token
-- of a user (token_id '') or one token by its jti. A row is removed, and its tombstone published, once
-- every token it concerns has expired (expires_at).
CREATE TABLE token_revocations (
    app_id            VARCHAR(64) NOT NULL,
    user_id           VARCHAR(128) NOT NULL,
    token_id          VARCHAR(64) NOT NULL,
    tokens_not_before TIMESTAMP WITH TIME ZONE,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, user_id, token_id)
);

CREATE INDEX token_revocations_by_expiry ON token_revocations (expires_at);
