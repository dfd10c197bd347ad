-- The users of each app: provisioned over HTTP or from the directory.users topic.
CREATE TABLE users (
    app_id            VARCHAR(64) NOT NULL,
    user_id           VARCHAR(128) NOT NULL,
    display_name      VARCHAR(200),
    email             VARCHAR(320),
    metadata          TEXT NOT NULL DEFAULT '{}',
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    -- the directory's updatedAt of the last record applied; older records change nothing
    directory_updated_at TIMESTAMP WITH TIME ZONE,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
