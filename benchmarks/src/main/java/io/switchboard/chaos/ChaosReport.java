package io.switchboard.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each phase of a chaos run did to the items sent during it: how many were accepted, stored
 * (read from message-service's database), delivered to every recipient after their clients'
 * resumes, lost, duplicated and how long delivery took to recover.
 */
final class ChaosReport {

    /** An item whose last recipient got it more than this after it was sent was delayed by the fault. */
    static final long DELAYED_MILLIS = 5_000;

    /**
     * A phase of the run: the baseline (no fault), or one fault from its injection until the next
     * phase (its recovery and settling included).
     */
    record Phase(String fault, boolean baseline, long start, long injectedAt, long end) {
        boolean holds(Ledger.Item item) {
            return item.sentAt >= start && item.sentAt < end;
        }
    }

    /** A readiness change of an instance, seconds after the fault was injected, and why it went DOWN. */
    record ReadinessChange(String instance, String state, double atSeconds, String why) {
    }

    /** One row of the report (and one object of chaos-latest.json). */
    record FaultResult(String fault, long sent, long accepted, long stored, long delivered, long lost,
                       long rawDuplicates, long duplicatesAfterDedupe, long gaps, double recoverySeconds,
                       long notAccepted, List<ReadinessChange> readiness) {

        boolean clean() {
            return lost == 0 && duplicatesAfterDedupe == 0 && gaps == 0;
        }
    }

    /** Where message-service stored an item. */
    private record Stored(String key, String conversationId, long seq, long changeSeq) {
    }

    private final Ledger ledger;
    private final Map<String, List<Stored>> storedByKey = new HashMap<>();
    /** conversation → change seq → item key: which item a missing change seq belonged to. */
    private final Map<String, Map<Long, String>> keyByChange = new HashMap<>();

    private ChaosReport(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * Reads what message-service stored for the app: messages sent over HTTP through their
     * idempotency keys (the message bodies are encrypted at rest), notifications through the
     * event they came from.
     */
    static ChaosReport read(Ledger ledger, String messageDatabaseUrl, String appId) throws SQLException {
        ChaosReport report = new ChaosReport(ledger);
        try (Connection connection = DriverManager.getConnection(messageDatabaseUrl)) {
            report.load(connection, """
                    SELECT k.idempotency_key, m.conversation_id, m.seq, m.change_seq
                    FROM idempotency_keys k JOIN messages m ON m.app_id = k.app_id AND m.message_id = k.message_id
                    WHERE k.app_id = ?""", appId);
            report.load(connection, """
                    SELECT origin_event_id, conversation_id, seq, change_seq FROM messages
                    WHERE app_id = ? AND origin_event_id IS NOT NULL""", appId);
        }
        return report;
    }

    private void load(Connection connection, String query, String appId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, appId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Stored stored = new Stored(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4));
                    storedByKey.computeIfAbsent(stored.key(), k -> new ArrayList<>()).add(stored);
                    keyByChange.computeIfAbsent(stored.conversationId(), c -> new HashMap<>())
                            .put(stored.changeSeq(), stored.key());
                }
            }
        }
    }

    FaultResult result(Phase phase, List<ReadinessWatch.Change> readiness) {
        List<Ledger.Item> items = ledger.items().values().stream().filter(phase::holds).toList();
        long accepted = 0, stored = 0, delivered = 0, lost = 0, raw = 0, duplicates = 0, notAccepted = 0;
        long lastDelayed = 0;
        for (Ledger.Item item : items) {
            List<Stored> copies = storedByKey.getOrDefault(item.key, List.of());
            stored += copies.isEmpty() ? 0 : 1;
            if (!item.accepted()) {
                notAccepted++;
                continue;
            }
            accepted++;
            if (ledger.deliveredToAll(item)) {
                delivered++;
                long deliveredAt = ledger.deliveredAt(item);
                if (deliveredAt - item.sentAt > DELAYED_MILLIS) {
                    lastDelayed = Math.max(lastDelayed, deliveredAt);
                }
            } else {
                lost++;
            }
            Set<Ledger.Copy> distinct = new HashSet<>();
            copies.forEach(copy -> distinct.add(new Ledger.Copy(copy.conversationId(), copy.seq())));
            for (Map.Entry<String, Ledger.Received> receipt : ledger.received(item.key).entrySet()) {
                distinct.addAll(receipt.getValue().copies);
                for (Ledger.Copy copy : receipt.getValue().copies) {
                    raw += Math.max(0, ledger.framesOf(receipt.getKey(), copy) - 1);
                }
            }
            duplicates += distinct.size() > 1 ? 1 : 0;
        }
        double recovery = lastDelayed == 0 ? 0 : Math.max(0, lastDelayed - phase.injectedAt()) / 1000.0;
        List<ReadinessChange> changes = readiness.stream()
                .map(change -> new ReadinessChange(change.instance(), change.ready() ? "UP" : "DOWN",
                        Math.round((change.at() - phase.injectedAt()) / 100.0) / 10.0, change.why()))
                .toList();
        return new FaultResult(phase.fault(), items.size(), accepted, stored, delivered, lost, raw, duplicates,
                gaps(phase), recovery, notAccepted, changes);
    }

    /**
     * Holes in what clients hold: per user and conversation, each change seq below the highest one
     * the client got that it never got, counted in the phase of the item stored at that change seq.
     */
    private long gaps(Phase phase) {
        long gaps = 0;
        for (Map<String, Set<Long>> conversations : ledger.changeSeqs().values()) {
            for (Map.Entry<String, Set<Long>> conversation : conversations.entrySet()) {
                Set<Long> got = conversation.getValue();
                long highest = got.stream().mapToLong(Long::longValue).max().orElse(0);
                for (long changeSeq = 1; changeSeq < highest; changeSeq++) {
                    if (!got.contains(changeSeq) && inPhase(phase, conversation.getKey(), changeSeq)) {
                        gaps++;
                    }
                }
            }
        }
        return gaps;
    }

    private boolean inPhase(Phase phase, String conversationId, long changeSeq) {
        String key = keyByChange.getOrDefault(conversationId, Map.of()).get(changeSeq);
        Ledger.Item item = key == null ? null : ledger.items().get(key);
        // a change seq of no item of the load (a warm-up notification) counts in the baseline
        return item == null ? phase.baseline() : phase.holds(item);
    }

    /**
     * One line per lost item (at most {@code limit}): where it was stored, who lacks it, and the
     * highest change seq each of them got in that conversation, to tell a message never pushed nor
     * fetched from one that came after everything the client had.
     */
    List<String> lostItems(int limit) {
        List<String> lines = new ArrayList<>();
        for (Ledger.Item item : ledger.items().values()) {
            if (!item.accepted() || ledger.deliveredToAll(item) || lines.size() >= limit) {
                continue;
            }
            List<Stored> copies = storedByKey.getOrDefault(item.key, List.of());
            List<String> missing = new ArrayList<>();
            for (String recipient : item.recipients) {
                if (ledger.received(item.key).containsKey(recipient)) {
                    continue;
                }
                String highest = copies.isEmpty() ? "?" : String.valueOf(ledger.changeSeqs()
                        .getOrDefault(recipient, Map.of()).getOrDefault(copies.getFirst().conversationId(), Set.of())
                        .stream().mapToLong(Long::longValue).max().orElse(0));
                missing.add(recipient + " (highest change seq it got: " + highest + ")");
            }
            lines.add(String.format(Locale.ROOT, "%s %s sent %tT.%<tL accepted %tT.%<tL stored %s; missing at %s",
                    item.kind, item.key, item.sentAt, item.acceptedAt,
                    copies.stream().map(c -> c.conversationId() + " seq " + c.seq() + " change seq " + c.changeSeq())
                            .toList(), missing));
        }
        return lines;
    }

    static String table(List<FaultResult> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%-46s %8s %8s %8s %9s %5s %8s %10s %5s %9s %12s%n", "fault", "sent", "accepted", "stored",
                "delivered", "lost", "raw dup", "dup dedup", "gaps", "recovery", "not accepted"));
        for (FaultResult result : results) {
            table.append(String.format(Locale.ROOT, "%-46s %8d %8d %8d %9d %5d %8d %10d %5d %8.1fs %12d%n",
                    result.fault(), result.sent(), result.accepted(), result.stored(), result.delivered(), result.lost(),
                    result.rawDuplicates(), result.duplicatesAfterDedupe(), result.gaps(), result.recoverySeconds(),
                    result.notAccepted()));
        }
        return table.toString();
    }

    static String readinessTable(List<FaultResult> results) {
        StringBuilder table = new StringBuilder();
        for (FaultResult result : results) {
            if (result.readiness().isEmpty()) {
                continue;
            }
            table.append(result.fault()).append(" (seconds after injection):\n");
            Map<String, StringBuilder> byInstance = new java.util.TreeMap<>();
            for (ReadinessChange change : result.readiness()) {
                byInstance.computeIfAbsent(change.instance(), i -> new StringBuilder())
                        .append(String.format(Locale.ROOT, " %s %+.1f", change.state(), change.atSeconds()))
                        .append(change.why() == null || change.why().isEmpty() ? "" : " (" + change.why() + ")");
            }
            byInstance.forEach((instance, changes) -> table.append("  ").append(String.format("%-22s", instance))
                    .append(changes).append('\n'));
        }
        return table.toString();
    }
}
