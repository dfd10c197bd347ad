-- search by display name prefix (case-insensitive); an expression index, which H2 lacks
CREATE INDEX users_by_name ON users (app_id, lower(display_name) text_pattern_ops);
