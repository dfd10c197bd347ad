-- Webhooks of suspended and deleted apps are paused, and every endpoint's delivery health is kept
-- where every instance sees it. Portable between PostgreSQL and the local stack's H2.

-- Apps whose deliveries are not attempted, as auth.apps last said (written by every instance
-- that reads the change; the same change read twice changes nothing).
CREATE TABLE webhook_paused_apps (
    app_id       varchar(128) PRIMARY KEY,
    -- 'suspended' (resumed when the app is active again) or 'deleted' (for good: its deliveries are dead-lettered)
    reason       varchar(16)  NOT NULL,
    -- the version of the app state that paused it (a deletion: the largest there is): an older
    -- activation, read again when an instance replays auth.apps, does not resume it
    app_version  bigint       NOT NULL,
    -- when the pause began: on resumption, an endpoint's failing_since moves on by the pause
    paused_since timestamp with time zone NOT NULL
);

-- failed attempts since the last successful one (of any instance)
ALTER TABLE webhook_endpoints ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0;
-- when the latest attempt started
ALTER TABLE webhook_endpoints ADD COLUMN last_attempt_at timestamp with time zone;
-- the latest failed attempt: when it started, its outcome, HTTP status and detail
ALTER TABLE webhook_endpoints ADD COLUMN last_error_at timestamp with time zone;
ALTER TABLE webhook_endpoints ADD COLUMN last_error_outcome varchar(32);
ALTER TABLE webhook_endpoints ADD COLUMN last_error_status integer;
ALTER TABLE webhook_endpoints ADD COLUMN last_error_detail varchar(300);
-- an instance's circuit breaker opened: no instance attempts the endpoint before then
ALTER TABLE webhook_endpoints ADD COLUMN circuit_open_until timestamp with time zone;

-- an endpoint's pending deliveries and the earliest due one (its health), without reading its log
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, status, next_attempt_at);
