-- Per-app message settings; retention_seconds NULL means the platform default applies.
CREATE TABLE app_message_settings (
    app_id            VARCHAR(64) PRIMARY KEY,
    retention_seconds BIGINT,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- the retention job finds an app's expired messages by age
CREATE INDEX messages_by_age ON messages (app_id, created_at);
