package io.switchboard.platform.erasure;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Erases the data of deleted apps, one erasure per app, each leaving its audit record in
 * {@code app_erasures}: when the app was deleted, when this service learnt it, when the erasure
 * finished and how many rows it removed per table.
 *
 * <p>An erasure runs the service's own steps ({@link AppDataEraser}), then deletes the app's rows
 * from every table of the service's schema that has an {@code app_id} column, found in the
 * database's metadata (so a table added later is covered without a change here), except the
 * tables the service keeps ({@link AppErasureProperties#keepTables()}). Several instances share
 * the work: an instance takes an erasure for a lease, and one whose instance died is taken over
 * when the lease ends; every step is safe to repeat.
 */
public class AppErasures {

    private static final Logger log = LoggerFactory.getLogger(AppErasures.class);
    /** Counter of finished erasures ({@code switchboard_apps_erased_total} in Prometheus). */
    public static final String METRIC = "switchboard.apps.erased";
    /** The audit records themselves, and rows about to be published, are never erased. */
    private static final Set<String> NEVER_ERASED = Set.of("app_erasures", "outbox");

    private final JdbcClient jdbc;
    private final JdbcTemplate metadata;
    private final TransactionTemplate transactions;
    private final List<AppDataEraser> erasers;
    private final AppErasureProperties properties;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;

    AppErasures(JdbcClient jdbc, JdbcTemplate metadata, TransactionTemplate transactions, List<AppDataEraser> erasers,
                AppErasureProperties properties, MeterRegistry meters, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.metadata = metadata;
        this.transactions = transactions;
        this.erasers = erasers;
        this.properties = properties;
        this.meters = meters;
        this.events = events;
    }

    /**
     * The audit record of one app's erasure.
     *
     * @param erased rows removed per table (and what the service's own steps removed); null until finished
     */
    public record AppErasure(String appId, Instant deletedAt, Instant requestedAt, Instant finishedAt, String erased) {
    }

    /** Published when an erasure finished, in the thread that ran it. */
    public record AppErased(AppErasure erasure) {
    }

    /** Records that the app was deleted at {@code deletedAt}; a deletion read twice is one erasure. */
    public void request(String appId, Instant deletedAt) {
        int inserted = jdbc.sql("INSERT INTO app_erasures (app_id, deleted_at, requested_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(appId, utc(deletedAt), utc(Instant.now()))
                .update();
        if (inserted == 1) {
            log.info("App {} was deleted at {}: its data here is erased in {}", appId, deletedAt, properties.settleTime());
        }
    }

    public Optional<AppErasure> find(String appId) {
        return jdbc.sql("SELECT app_id, deleted_at, requested_at, finished_at, erased FROM app_erasures WHERE app_id = ?")
                .param(appId)
                .query((rs, n) -> new AppErasure(rs.getString(1), instant(rs, 2), instant(rs, 3), instant(rs, 4),
                        rs.getString(5)))
                .optional();
    }

    /**
     * Runs every erasure that is due and not held by another instance (the job does every poll
     * interval and once a deletion has settled); returns how many finished.
     */
    public int runDue() {
        int finished = 0;
        for (Optional<String> next = claim(); next.isPresent(); next = claim()) {
            erase(next.get());
            finished++;
        }
        return finished;
    }

    private Optional<String> claim() {
        Instant now = Instant.now();
        return transactions.execute(tx -> {
            Optional<String> due = jdbc.sql("SELECT app_id FROM app_erasures WHERE finished_at IS NULL AND requested_at <= ? "
                            + "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY requested_at LIMIT 1 "
                            + "FOR UPDATE SKIP LOCKED")
                    .params(utc(now.minus(properties.settleTime())), utc(now))
                    .query(String.class)
                    .optional();
            due.ifPresent(appId -> jdbc.sql("UPDATE app_erasures SET claimed_until = ? WHERE app_id = ?")
                    .params(utc(now.plus(properties.leaseTime())), appId)
                    .update());
            return due;
        });
    }

    private void erase(String appId) {
        long start = System.nanoTime();
        Map<String, Long> erased = new TreeMap<>();
        for (AppDataEraser eraser : erasers) {
            eraser.erase(appId).forEach((kind, count) -> erased.merge(kind, count, Long::sum));
        }
        for (String table : tablesWithAppId()) {
            Integer rows = transactions.execute(tx -> jdbc.sql("DELETE FROM " + table + " WHERE app_id = ?")
                    .param(appId).update());
            if (rows != null && rows > 0) {
                erased.merge(table.toLowerCase(Locale.ROOT), (long) rows, Long::sum);
            }
        }
        String summary = erased.isEmpty() ? "nothing stored"
                : erased.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        Instant finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("UPDATE app_erasures SET finished_at = ?, erased = ?, claimed_until = NULL WHERE app_id = ?")
                .params(utc(finishedAt), summary, appId)
                .update();
        meters.counter(METRIC).increment();
        log.info("Erased the data of deleted app {} in {} ms: {}", appId, (System.nanoTime() - start) / 1_000_000, summary);
        find(appId).ifPresent(erasure -> events.publishEvent(new AppErased(erasure)));
    }

    /** The tables of the current schema with an {@code app_id} column, but those kept. */
    private List<String> tablesWithAppId() {
        Set<String> kept = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        kept.addAll(NEVER_ERASED);
        kept.addAll(properties.keepTables());
        return metadata.execute((ConnectionCallback<List<String>>) connection -> {
            DatabaseMetaData database = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet columns = database.getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
                while (columns.next()) {
                    String table = columns.getString("TABLE_NAME");
                    if ("app_id".equalsIgnoreCase(columns.getString("COLUMN_NAME")) && !kept.contains(table)
                            && !tables.contains(table)) {
                        tables.add(table);
                    }
                }
            }
            return tables;
        });
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
