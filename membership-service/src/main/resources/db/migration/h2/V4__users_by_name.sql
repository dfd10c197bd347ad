-- H2 (the embedded local stack) has no expression indexes: a plain one serves small local data
CREATE INDEX users_by_name ON users (app_id, display_name);
