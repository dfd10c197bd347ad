-- Apps' Kafka credentials (SASL/SCRAM users of their upstream producers). The passwords are not
-- here: Kafka keeps a salted SCRAM hash of each, and its holder was shown it once. Revoked ones keep
-- their row, so the list shows what was issued and when it ended.
CREATE TABLE kafka_credentials (
    credential_id VARCHAR(32) PRIMARY KEY,
    app_id        VARCHAR(64) NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    username      VARCHAR(128) NOT NULL UNIQUE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(200) NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX kafka_credentials_by_app ON kafka_credentials (app_id, created_at);
