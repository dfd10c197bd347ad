-- The last seq handed out per conversation; locked while a message is appended, so seq is
-- gapless and monotonic per conversation.
CREATE TABLE conversation_sequences (
    app_id          VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    last_seq        BIGINT NOT NULL,
    PRIMARY KEY (app_id, conversation_id)
);

CREATE TABLE messages (
    app_id            VARCHAR(64) NOT NULL,
    conversation_id   VARCHAR(128) NOT NULL,
    seq               BIGINT NOT NULL,
    message_id        VARCHAR(64) NOT NULL UNIQUE,
    sender_id         VARCHAR(160) NOT NULL,
    sender_type       VARCHAR(16) NOT NULL,
    content_type      VARCHAR(16) NOT NULL,
    text              TEXT NOT NULL,
    origin_event_id   VARCHAR(256),
    origin_source     VARCHAR(128),
    origin_event_type VARCHAR(128),
    origin_route_id   VARCHAR(128),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, conversation_id, seq)
);

-- Business events already turned into notifications, by app and eventId: a redelivered event
-- finds its row and produces nothing.
CREATE TABLE routed_events (
    app_id    VARCHAR(64) NOT NULL,
    event_id  VARCHAR(256) NOT NULL,
    routed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, event_id)
);
