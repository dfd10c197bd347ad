-- Conversation attributes and policies, and per-member state, for membership.changes v2 and
-- membership.members (one record per member).
ALTER TABLE conversations ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE conversations ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE conversations ADD COLUMN posting_policy VARCHAR(16) NOT NULL DEFAULT 'EVERYONE';
ALTER TABLE conversations ADD COLUMN add_members_policy VARCHAR(16) NOT NULL DEFAULT 'ADMINS';
ALTER TABLE conversations ADD COLUMN muted_all BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE conversations ADD COLUMN source VARCHAR(128);
ALTER TABLE conversations ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;

UPDATE conversations c SET member_count =
    (SELECT COUNT(*) FROM conversation_members m WHERE m.app_id = c.app_id AND m.conversation_id = c.conversation_id);

ALTER TABLE conversation_members ADD COLUMN muted_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE conversation_members ADD COLUMN muted_all_exempt BOOLEAN NOT NULL DEFAULT FALSE;

-- A user's conversations, most recently changed first, for paging.
CREATE INDEX conversations_by_update ON conversations (app_id, updated_at DESC, conversation_id);
