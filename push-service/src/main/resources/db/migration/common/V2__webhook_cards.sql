-- The cards with callback buttons that users may click (card.action webhooks), as push-service
-- reads them on chat.messages (message-service owns the messages; this is push-service's view of
-- their buttons). A recalled or deleted message's card is removed.
CREATE TABLE webhook_cards (
    app_id          varchar(128) NOT NULL,
    conversation_id varchar(128) NOT NULL,
    seq             bigint       NOT NULL,
    message_id      varchar(64)  NOT NULL,
    -- the message's version: an older one never replaces a newer one
    version         integer      NOT NULL,
    title           varchar(1000),
    -- the callback buttons as JSON: [{"id","label","callbackId"}]
    actions         varchar(16000) NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    PRIMARY KEY (app_id, conversation_id, seq)
);
