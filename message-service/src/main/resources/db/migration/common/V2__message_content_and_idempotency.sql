-- Every change of a conversation's log (creation, edit, recall, deletion for everyone) gets the
-- conversation's next change_seq under the same row lock as seq, so clients can ask for every
-- change after the last one they saw.
ALTER TABLE conversation_sequences ADD COLUMN last_change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE conversation_sequences SET last_change_seq = last_seq;

-- body: the message content (text, card, custom payload, mentions) as JSON; text stays only for
-- rows written before this migration.
ALTER TABLE messages ADD COLUMN body BYTEA;
ALTER TABLE messages ALTER COLUMN text DROP NOT NULL;
ALTER TABLE messages ADD COLUMN reply_to_seq BIGINT;
ALTER TABLE messages ADD COLUMN thread_root_seq BIGINT;
ALTER TABLE messages ADD COLUMN version INT NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'ACTIVE';
ALTER TABLE messages ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
UPDATE messages SET change_seq = seq;
CREATE INDEX messages_by_thread ON messages (app_id, conversation_id, thread_root_seq, seq);
CREATE INDEX messages_by_change ON messages (app_id, conversation_id, change_seq);

-- The first result of each Idempotency-Key, per app and caller, kept for the replay window.
CREATE TABLE idempotency_keys (
    app_id          VARCHAR(64) NOT NULL,
    caller_id       VARCHAR(160) NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    request_hash    VARCHAR(64) NOT NULL,
    message_id      VARCHAR(64) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, caller_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
