package io.switchboard.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real PostgreSQL that tests run against: {@code jdbc:postgresql://127.0.0.1:5432/test} as
 * user {@code postgres} unless {@code SWITCHBOARD_TEST_PG_URL} says otherwise. Every Spring
 * context gets a fresh schema, so tests never see each other's rows.
 */
public final class TestPostgres {

    private static final String BASE_URL = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestPostgres() {
    }

    /** Creates an empty schema named {@code <prefix>_<random>} and returns a URL that uses it. */
    public static String freshSchemaUrl(String prefix) {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(BASE_URL);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + BASE_URL
                    + " (start it: pg_ctlcluster --skip-systemctl-redirect 15 main start)", e);
        }
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
