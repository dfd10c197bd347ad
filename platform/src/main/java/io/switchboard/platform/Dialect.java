package io.switchboard.platform;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which database a service runs on. Production and tests use PostgreSQL; the embedded local stack
 * uses H2, which lacks a few PostgreSQL statements ({@code INSERT ... RETURNING},
 * {@code ON CONFLICT ... DO UPDATE}) that the hot paths use where available.
 */
public final class Dialect {

    private Dialect() {
    }

    public static boolean isPostgres(JdbcTemplate jdbc) {
        return "PostgreSQL".equals(jdbc.execute(
                (ConnectionCallback<String>) connection -> connection.getMetaData().getDatabaseProductName()));
    }
}
