-- Users whose state is still to be published on membership.users. Users that existed before
-- membership.users did were never published: they are queued here once and published by
-- UserStateBackfill at start-up (in batches, rows deleted as they go, so a restart resumes).
-- Re-publishing every user later is the same statement run by hand.
CREATE TABLE user_state_backfill (
    app_id  VARCHAR(64) NOT NULL,
    user_id VARCHAR(128) NOT NULL,
    PRIMARY KEY (app_id, user_id)
);

INSERT INTO user_state_backfill (app_id, user_id) SELECT app_id, user_id FROM users;
