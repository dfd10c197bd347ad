-- Routing rules per app, managed over HTTP. definition is the rule as JSON (the API's shape);
-- version increases with every change.
CREATE TABLE routing_rules (
    app_id     VARCHAR(64) NOT NULL,
    rule_id    VARCHAR(64) NOT NULL,
    version    BIGINT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    source     VARCHAR(128) NOT NULL,
    definition TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, rule_id)
);

-- Every version of every rule, deletions included: who changed what, when (the audit trail).
CREATE TABLE routing_rule_history (
    app_id     VARCHAR(64) NOT NULL,
    rule_id    VARCHAR(64) NOT NULL,
    version    BIGINT NOT NULL,
    change     VARCHAR(16) NOT NULL,
    definition TEXT,
    changed_by VARCHAR(160) NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, rule_id, version)
);

-- What routing did with an event, per rule, written in the transaction that stores the rule's
-- notifications: a redelivered or replayed event skips the rules it already went through, and a
-- replay after a fix routes only the rules that failed.
CREATE TABLE routed_event_rules (
    app_id        VARCHAR(64) NOT NULL,
    event_id      VARCHAR(256) NOT NULL,
    rule_id       VARCHAR(64) NOT NULL,
    rule_version  BIGINT NOT NULL,
    notified      INT NOT NULL,
    suppressed    INT NOT NULL,
    digested      INT NOT NULL,
    unknown_users TEXT,
    routed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, event_id, rule_id)
);
CREATE INDEX routed_event_rules_by_age ON routed_event_rules (routed_at);

DROP TABLE routed_events;

-- Throttle windows: how many notifications a rule sent a recipient for a key in the current window.
CREATE TABLE routing_throttle (
    app_id       VARCHAR(64) NOT NULL,
    rule_id      VARCHAR(64) NOT NULL,
    recipient    VARCHAR(200) NOT NULL,
    throttle_key VARCHAR(256) NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    sent         INT NOT NULL,
    PRIMARY KEY (app_id, rule_id, recipient, throttle_key)
);
CREATE INDEX routing_throttle_expiry ON routing_throttle (expires_at);

-- Notifications collected for a digest, until the digest is due. item is sealed like a message
-- body (it holds event data); summary_template is the digest text of the rule version that
-- collected it, so a digest renders even if the rule changes meanwhile.
CREATE TABLE routing_digest_items (
    app_id           VARCHAR(64) NOT NULL,
    rule_id          VARCHAR(64) NOT NULL,
    recipient        VARCHAR(200) NOT NULL,
    digest_key       VARCHAR(256) NOT NULL,
    event_id         VARCHAR(256) NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    source           VARCHAR(128) NOT NULL,
    event_type       VARCHAR(128) NOT NULL,
    summary_template TEXT NOT NULL,
    item             BYTEA NOT NULL,
    due_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, rule_id, recipient, digest_key, event_id)
);
CREATE INDEX routing_digest_due ON routing_digest_items (due_at);

-- A user's choices per source, or per source and event type (event_type '' = the whole source).
CREATE TABLE notification_preferences (
    app_id                VARCHAR(64) NOT NULL,
    user_id               VARCHAR(160) NOT NULL,
    source                VARCHAR(128) NOT NULL,
    event_type            VARCHAR(128) NOT NULL,
    mode                  VARCHAR(16) NOT NULL,
    digest_window_seconds BIGINT,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, user_id, source, event_type)
);
CREATE INDEX notification_preferences_by_source ON notification_preferences (app_id, source);
