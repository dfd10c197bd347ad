package io.switchboard.platform.testing;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/**
 * Checks of a deleted app's erasure in a service under test: its audit record, and what is left
 * of the app in the service's tables. Test classes running erasures set
 * {@value #FAST_ERASURES} (no settle time, its own consumer group).
 */
public final class TestErasures {

    /** Properties of a test context whose erasures start at once. */
    public static final String FAST_ERASURES = """
            switchboard.erasure.settle-time=0s
            switchboard.erasure.poll-interval=1s
            switchboard.erasure.group-id=erasure-tests
            """;

    private TestErasures() {
    }

    /** Waits for the app's erasure to finish; returns its record of what was erased. */
    public static String awaitErased(JdbcTemplate jdbc, String appId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !jdbc.queryForList(
                "SELECT 1 FROM app_erasures WHERE app_id = ? AND finished_at IS NOT NULL", appId).isEmpty());
        return jdbc.queryForObject("SELECT erased FROM app_erasures WHERE app_id = ?", String.class, appId);
    }

    /** Rows of the app left in every table with an {@code app_id} column, but those named; empty when none. */
    public static Map<String, Long> rowsLeft(JdbcTemplate jdbc, String appId, Set<String> kept) {
        List<String> tables = jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            List<String> found = new ArrayList<>();
            try (ResultSet columns = connection.getMetaData().getColumns(connection.getCatalog(), connection.getSchema(), "%", "app_id")) {
                while (columns.next()) {
                    found.add(columns.getString("TABLE_NAME"));
                }
            }
            return found;
        });
        Map<String, Long> left = new TreeMap<>();
        for (String table : tables) {
            if (kept.contains(table) || table.equals("app_erasures")) {
                continue;
            }
            Long rows = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE app_id = ?", Long.class, appId);
            if (rows != null && rows > 0) {
                left.put(table, rows);
            }
        }
        return left;
    }
}
