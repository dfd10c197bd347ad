-- First start of the compose PostgreSQL: one schema per service (each service's Flyway migrations
-- run in its own schema, selected by currentSchema in its JDBC URL) and one for the registry.
CREATE SCHEMA auth;
CREATE SCHEMA membership;
CREATE SCHEMA message;
CREATE SCHEMA push;
CREATE SCHEMA registry;
