-- Outbox rows the relay could not send, after switchboard.outbox.max-attempts tries that failed
-- because of the row itself (too large for the broker, undecodable, refused by the schema
-- registry), with the reason; the rows behind them go on. Replayed (moved back to the outbox) with
-- the deadletters actuator endpoint once the cause is fixed. Repeatable and idempotent: every
-- service takes it from the platform beside its own numbered migrations.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS last_error VARCHAR(1000);

CREATE TABLE IF NOT EXISTS outbox_dead_letters (
    id          BIGINT PRIMARY KEY,
    topic       VARCHAR(249) NOT NULL,
    record_key  VARCHAR(512) NOT NULL,
    value_type  VARCHAR(255),
    value_bytes BYTEA,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts    INT NOT NULL,
    reason      VARCHAR(64) NOT NULL,
    error       VARCHAR(1000)
);
