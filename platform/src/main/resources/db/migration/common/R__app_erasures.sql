-- The audit record of each deleted app's erasure in a service (see the platform's AppErasures): when
-- auth-service deleted the app, when this service read the deletion, until when an instance holds
-- the erasure it started, when it finished and how many rows it removed per table. Never erased itself.
-- Repeatable and idempotent, because every service takes it from the platform beside its own numbered
-- migrations: a change of this table is added below as a statement that can run again.
CREATE TABLE IF NOT EXISTS app_erasures (
    app_id        VARCHAR(64) PRIMARY KEY,
    deleted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until TIMESTAMP WITH TIME ZONE,
    finished_at   TIMESTAMP WITH TIME ZONE,
    erased        TEXT
);
