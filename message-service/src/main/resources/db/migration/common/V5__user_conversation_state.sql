-- Each user's own state of a conversation: how far they have read, pin and mute. One row per
-- (user, conversation), updated in place: marking read costs one row whatever the group's size,
-- and "who has read up to seq N" is an index range on (conversation, read_seq).
CREATE TABLE user_conversations (
    app_id          VARCHAR(64) NOT NULL,
    user_id         VARCHAR(160) NOT NULL,
    conversation_id VARCHAR(128) NOT NULL,
    read_seq        BIGINT NOT NULL DEFAULT 0,
    read_at         TIMESTAMP WITH TIME ZONE,
    pinned_at       TIMESTAMP WITH TIME ZONE,
    muted           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (app_id, user_id, conversation_id)
);
CREATE INDEX user_conversations_by_read ON user_conversations (app_id, conversation_id, read_seq);

-- when the conversation's last message was stored (its place in a user's conversation list)
ALTER TABLE conversation_sequences ADD COLUMN last_activity_at TIMESTAMP WITH TIME ZONE;
