package io.switchboard.platform.testing;

import io.switchboard.platform.erasure.AppErasures;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/**
 * Checks of a deleted app's erasure in a service under test: its audit record, and what is left
 * of the app in the service's tables.
 */
public final class TestErasures {

    private TestErasures() {
    }

    /**
     * Once the service has read the app's deletion, lets its settle time pass (the record says it
     * was read an hour ago) and runs the due erasures, as the job would; returns the erasure's
     * record of what was erased.
     */
    public static String eraseNow(JdbcTemplate jdbc, AppErasures erasures, String appId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !jdbc.queryForList(
                "SELECT 1 FROM app_erasures WHERE app_id = ?", appId).isEmpty());
        jdbc.update("UPDATE app_erasures SET requested_at = ? WHERE app_id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1), appId);
        erasures.runDue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !jdbc.queryForList(
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
