-- Webhooks: the endpoints apps register, their signing secrets (encrypted), the durable delivery
-- queue (pending, delivered and failed = dead-lettered deliveries) and the log of every attempt.
-- Portable between PostgreSQL and the local stack's H2.

CREATE TABLE webhook_endpoints (
    endpoint_id     varchar(40)   PRIMARY KEY,
    app_id          varchar(128)  NOT NULL,
    url             varchar(2048) NOT NULL,
    description     varchar(500),
    -- event type names, comma-separated
    event_types     varchar(1000) NOT NULL,
    -- message events are delivered for the conversations this user is a member of
    bot_user_id     varchar(128),
    enabled         boolean       NOT NULL,
    -- why a disabled endpoint is disabled: 'app' (by the app) or 'failing' (automatically)
    disabled_reason varchar(16),
    disabled_at     timestamp with time zone,
    -- since when every attempt has failed; null after a success
    failing_since   timestamp with time zone,
    created_at      timestamp with time zone NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    version         bigint        NOT NULL
);
CREATE INDEX webhook_endpoints_by_app ON webhook_endpoints (app_id, endpoint_id);

CREATE TABLE webhook_secrets (
    endpoint_id varchar(40) NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    secret_id   varchar(40) NOT NULL,
    -- the secret, AEAD-encrypted under the key-encryption keyset, bound to '<endpointId>/<secretId>'
    sealed      bytea       NOT NULL,
    created_at  timestamp with time zone NOT NULL,
    -- null for the current secret; a rotated-out secret keeps signing until then
    expires_at  timestamp with time zone,
    PRIMARY KEY (endpoint_id, secret_id)
);

CREATE TABLE webhook_deliveries (
    -- order of recording: the delivery log's order and cursor
    seq              bigserial     NOT NULL UNIQUE,
    delivery_id      varchar(40)   PRIMARY KEY,
    app_id           varchar(128)  NOT NULL,
    endpoint_id      varchar(40)   NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    event_id         varchar(400)  NOT NULL,
    event_type       varchar(64)   NOT NULL,
    -- the JSON body, AEAD-encrypted, bound to the delivery id
    payload          bytea         NOT NULL,
    -- PENDING, DELIVERED or FAILED (dead-lettered: retries exhausted or endpoint disabled)
    status           varchar(16)   NOT NULL,
    attempts         integer       NOT NULL,
    -- the delivery fails once attempts reaches this (a replay raises it)
    attempt_limit    integer       NOT NULL,
    -- when it is due; while an attempt runs, when its claim lapses
    next_attempt_at  timestamp with time zone NOT NULL,
    created_at       timestamp with time zone NOT NULL,
    completed_at     timestamp with time zone,
    failure_reason   varchar(64),
    -- one delivery per event and endpoint, however often the event is read
    CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (app_id, seq);

CREATE TABLE webhook_attempts (
    delivery_id varchar(40) NOT NULL REFERENCES webhook_deliveries (delivery_id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    started_at  timestamp with time zone NOT NULL,
    duration_ms bigint      NOT NULL,
    status_code integer,
    -- delivered, http-error, timeout, connection-failed, destination-refused
    outcome     varchar(32) NOT NULL,
    detail      varchar(300),
    PRIMARY KEY (delivery_id, attempt)
);
