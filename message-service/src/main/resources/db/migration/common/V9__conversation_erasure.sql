-- A conversation deleted in membership-service is erased here: its messages, their earlier versions,
-- per-user hides, read states and idempotency keys. Its counters stay, so a conversation created
-- again under the same id continues the seqs (a client's cursor never points into the new history
-- by mistake) and its history starts at first_seq.
--   first_seq    the first seq of the current conversation; lower seqs belonged to a deleted one
--   incarnation  createdAt of the conversation (membership.changes) that seqs from first_seq belong
--                to; NULL before its first message, or for messages stored before this column
--   erased_until when the latest deletion happened: a conversation created then or before is gone
ALTER TABLE conversation_sequences ADD COLUMN first_seq BIGINT NOT NULL DEFAULT 1;
ALTER TABLE conversation_sequences ADD COLUMN incarnation TIMESTAMP WITH TIME ZONE;
ALTER TABLE conversation_sequences ADD COLUMN erased_until TIMESTAMP WITH TIME ZONE;

-- erasing a conversation removes the idempotency keys of its messages
CREATE INDEX idempotency_keys_by_message ON idempotency_keys (message_id);
