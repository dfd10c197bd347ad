CREATE TABLE conversations (
    app_id          VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    type            VARCHAR(16) NOT NULL,
    name            VARCHAR(200),
    version         BIGINT NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, conversation_id)
);

CREATE TABLE conversation_members (
    app_id          VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    user_id         VARCHAR(128) NOT NULL,
    role            VARCHAR(16) NOT NULL,
    joined_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, conversation_id, user_id),
    FOREIGN KEY (app_id, conversation_id) REFERENCES conversations (app_id, conversation_id) ON DELETE CASCADE
);

CREATE INDEX conversation_members_by_user ON conversation_members (app_id, user_id);
