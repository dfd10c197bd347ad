-- Directory groups of an app: departments (a tree) and tags (flat), with their members; a group
-- conversation may follow one (its members follow the group's, for a department its subtree's).
CREATE TABLE directory_groups (
    app_id      VARCHAR(64) NOT NULL,
    group_id    VARCHAR(128) NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    parent_id   VARCHAR(128),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_id, group_id)
);

CREATE INDEX directory_groups_by_parent ON directory_groups (app_id, parent_id);

CREATE TABLE directory_group_members (
    app_id    VARCHAR(64) NOT NULL,
    group_id  VARCHAR(128) NOT NULL,
    user_id   VARCHAR(128) NOT NULL,
    PRIMARY KEY (app_id, group_id, user_id),
    FOREIGN KEY (app_id, group_id) REFERENCES directory_groups (app_id, group_id) ON DELETE CASCADE
);

CREATE INDEX directory_group_members_by_user ON directory_group_members (app_id, user_id);

ALTER TABLE conversations ADD COLUMN directory_group_id VARCHAR(128);
CREATE INDEX conversations_by_directory_group ON conversations (app_id, directory_group_id);
