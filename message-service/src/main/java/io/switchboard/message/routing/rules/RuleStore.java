package io.switchboard.message.routing.rules;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Rules and their history in message-service's database; the definition is kept as JSON. */
@Repository
class RuleStore {

    private static final String COLUMNS = "app_id, rule_id, version, definition, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RuleStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A rule's id and version, to tell whether a compiled copy is current. */
    record Stamp(String ruleId, long version) {
    }

    /** One entry of a rule's audit trail. */
    record Change(long version, String change, RuleDefinition definition, String changedBy, Instant changedAt) {
    }

    Optional<Rule> find(String appId, String ruleId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM routing_rules WHERE app_id = ? AND rule_id = ?")
                .params(appId, ruleId).query(this::rule).optional();
    }

    /** For update: the row stays locked until the transaction ends, so concurrent changes queue. */
    Optional<Rule> lock(String appId, String ruleId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM routing_rules WHERE app_id = ? AND rule_id = ? FOR UPDATE")
                .params(appId, ruleId).query(this::rule).optional();
    }

    List<Rule> list(String appId, String afterRuleId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM routing_rules WHERE app_id = ? AND rule_id > ? ORDER BY rule_id LIMIT ?")
                .params(appId, afterRuleId == null ? "" : afterRuleId, limit).query(this::rule).list();
    }

    /** The enabled rules of an app for a source: what routing evaluates an event of that source against. */
    List<Stamp> enabledStamps(String appId, String source) {
        return jdbc.sql("SELECT rule_id, version FROM routing_rules WHERE app_id = ? AND source = ? AND enabled")
                .params(appId, source).query((rs, n) -> new Stamp(rs.getString(1), rs.getLong(2))).list();
    }

    boolean insert(Rule rule) {
        return jdbc.sql("""
                        INSERT INTO routing_rules (app_id, rule_id, version, enabled, source, definition, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(rule.appId(), rule.ruleId(), rule.version(), rule.definition().isEnabled(),
                        rule.definition().match().source(), json.writeValueAsString(rule.definition()),
                        utc(rule.createdAt()), utc(rule.updatedAt()))
                .update() == 1;
    }

    void update(Rule rule) {
        jdbc.sql("""
                        UPDATE routing_rules SET version = ?, enabled = ?, source = ?, definition = ?, updated_at = ?
                        WHERE app_id = ? AND rule_id = ?""")
                .params(rule.version(), rule.definition().isEnabled(), rule.definition().match().source(),
                        json.writeValueAsString(rule.definition()), utc(rule.updatedAt()), rule.appId(), rule.ruleId())
                .update();
    }

    void delete(String appId, String ruleId) {
        jdbc.sql("DELETE FROM routing_rules WHERE app_id = ? AND rule_id = ?").params(appId, ruleId).update();
    }

    void recordChange(String appId, String ruleId, long version, String change, RuleDefinition definition,
                      String changedBy, Instant at) {
        jdbc.sql("""
                        INSERT INTO routing_rule_history (app_id, rule_id, version, change, definition, changed_by, changed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(appId, ruleId, version, change, definition == null ? null : json.writeValueAsString(definition),
                        changedBy, utc(at))
                .update();
    }

    /** The newest version a rule ever had, deleted ones included, so a re-created rule continues its numbering. */
    long lastVersion(String appId, String ruleId) {
        return jdbc.sql("SELECT COALESCE(MAX(version), 0) FROM routing_rule_history WHERE app_id = ? AND rule_id = ?")
                .params(appId, ruleId).query(Long.class).single();
    }

    List<Change> history(String appId, String ruleId) {
        return jdbc.sql("""
                        SELECT version, change, definition, changed_by, changed_at FROM routing_rule_history
                        WHERE app_id = ? AND rule_id = ? ORDER BY version""")
                .params(appId, ruleId)
                .query((rs, n) -> new Change(rs.getLong(1), rs.getString(2),
                        rs.getString(3) == null ? null : json.readValue(rs.getString(3), RuleDefinition.class),
                        rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    private Rule rule(ResultSet rs, int row) throws SQLException {
        return new Rule(rs.getString("app_id"), rs.getString("rule_id"), rs.getLong("version"),
                json.readValue(rs.getString("definition"), RuleDefinition.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
