package io.switchboard.push.webhooks.endpoints;

import io.switchboard.push.webhooks.WebhookEventType;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code webhook_endpoints} table; every query is scoped to an app. */
@Repository
public class EndpointStore {

    private static final String COLUMNS = "endpoint_id, app_id, url, description, event_types, bot_user_id, enabled, "
            + "disabled_reason, disabled_at, failing_since, created_at, updated_at, version";

    private final JdbcClient jdbc;

    EndpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Endpoint endpoint) {
        jdbc.sql("INSERT INTO webhook_endpoints (" + COLUMNS + ") VALUES (:id, :app, :url, :description, :types, :bot, "
                        + ":enabled, :reason, :disabledAt, :failingSince, :createdAt, :updatedAt, :version)")
                .paramSource(parameters(endpoint)).update();
    }

    /** Replaces the endpoint (read with {@link #findForUpdate} in the same transaction). */
    void update(Endpoint endpoint) {
        jdbc.sql("UPDATE webhook_endpoints SET url = :url, description = :description, event_types = :types, "
                        + "bot_user_id = :bot, enabled = :enabled, disabled_reason = :reason, disabled_at = :disabledAt, "
                        + "failing_since = :failingSince, updated_at = :updatedAt, version = :version "
                        + "WHERE endpoint_id = :id AND app_id = :app")
                .paramSource(parameters(endpoint)).update();
    }

    boolean delete(String appId, String endpointId) {
        return jdbc.sql("DELETE FROM webhook_endpoints WHERE app_id = ? AND endpoint_id = ?")
                .params(appId, endpointId).update() == 1;
    }

    public Optional<Endpoint> find(String appId, String endpointId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE app_id = ? AND endpoint_id = ?")
                .params(appId, endpointId).query(ROWS).optional();
    }

    /** The endpoint, locked until the transaction ends (changes and automatic disabling do not cross). */
    Optional<Endpoint> findForUpdate(String appId, String endpointId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE app_id = ? AND endpoint_id = ? FOR UPDATE")
                .params(appId, endpointId).query(ROWS).optional();
    }

    List<Endpoint> list(String appId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE app_id = ? ORDER BY endpoint_id")
                .param(appId).query(ROWS).list();
    }

    int count(String appId) {
        return jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE app_id = ?").param(appId).query(Integer.class).single();
    }

    /** The enabled endpoints of these apps: who may hear of a batch of events (one query per batch). */
    public List<Endpoint> enabledOf(Collection<String> appIds) {
        if (appIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE enabled AND app_id IN (:apps)")
                .param("apps", appIds).query(ROWS).list();
    }

    /** Endpoints by id, whatever their app (the dispatcher, for deliveries it claimed). */
    public List<Endpoint> findAll(Collection<String> endpointIds) {
        if (endpointIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE endpoint_id IN (:ids)")
                .param("ids", endpointIds).query(ROWS).list();
    }

    /**
     * Disables an endpoint that has been failing since {@code failingBefore} or earlier; true for
     * the one caller (of any instance) that disabled it.
     */
    public boolean disableIfFailingSince(String endpointId, Instant failingBefore, Instant now) {
        return jdbc.sql("UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = 'FAILING', disabled_at = ?, "
                        + "updated_at = ?, version = version + 1 WHERE endpoint_id = ? AND enabled AND failing_since <= ?")
                .params(Timestamp.from(now), Timestamp.from(now), endpointId, Timestamp.from(failingBefore)).update() == 1;
    }

    private static MapSqlParameterSource parameters(Endpoint endpoint) {
        return new MapSqlParameterSource()
                .addValue("id", endpoint.endpointId())
                .addValue("app", endpoint.appId())
                .addValue("url", endpoint.url().toString())
                .addValue("description", endpoint.description())
                .addValue("types", endpoint.eventTypes().stream().map(WebhookEventType::wireName).sorted()
                        .collect(Collectors.joining(",")))
                .addValue("bot", endpoint.botUserId())
                .addValue("enabled", endpoint.enabled())
                .addValue("reason", endpoint.disabledReason() == null ? null : endpoint.disabledReason().name())
                .addValue("disabledAt", timestamp(endpoint.disabledAt()))
                .addValue("failingSince", timestamp(endpoint.failingSince()))
                .addValue("createdAt", timestamp(endpoint.createdAt()))
                .addValue("updatedAt", timestamp(endpoint.updatedAt()))
                .addValue("version", endpoint.version());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Set<WebhookEventType> eventTypes(String names) {
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        Arrays.stream(names.split(",")).map(WebhookEventType::fromWireName).flatMap(Optional::stream).forEach(types::add);
        return types;
    }

    private static final RowMapper<Endpoint> ROWS = (rs, row) -> new Endpoint(
            rs.getString("endpoint_id"), rs.getString("app_id"), URI.create(rs.getString("url")),
            rs.getString("description"), eventTypes(rs.getString("event_types")), rs.getString("bot_user_id"),
            rs.getBoolean("enabled"),
            rs.getString("disabled_reason") == null ? null : Endpoint.DisabledReason.valueOf(rs.getString("disabled_reason")),
            instant(rs.getTimestamp("disabled_at")), instant(rs.getTimestamp("failing_since")),
            instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")), rs.getLong("version"));
}
