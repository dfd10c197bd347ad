-- Earlier versions of edited messages, bodies encrypted like messages.body. Recalling or deleting
-- a message for everyone erases them.
CREATE TABLE message_versions (
    app_id          VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    seq             BIGINT NOT NULL,
    version         INT NOT NULL,
    body            BYTEA NOT NULL,
    author_id       VARCHAR(160) NOT NULL,
    -- when this version became current
    valid_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, conversation_id, seq, version)
);

-- Messages a user deleted for themselves only; their history no longer shows them.
CREATE TABLE hidden_messages (
    app_id          VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    user_id         VARCHAR(160) NOT NULL,
    seq             BIGINT NOT NULL,
    hidden_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, conversation_id, user_id, seq)
);
