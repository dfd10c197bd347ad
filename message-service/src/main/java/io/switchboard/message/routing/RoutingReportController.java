package io.switchboard.message.routing;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** What routing did with one of the app's events, per rule: how many notified, suppressed, digested, who was unknown. */
@RestController
class RoutingReportController {

    private final JdbcClient jdbc;

    RoutingReportController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record RuleReport(String ruleId, long ruleVersion, int notified, int suppressed, int digested,
                      List<String> unknownUsers, Instant routedAt) {
    }

    record EventReport(String eventId, List<RuleReport> rules) {
    }

    @Operation(summary = "What routing did with an event",
            description = "One entry per rule the event went through. An event that matched no rule, failed every "
                    + "matching rule (see the dead-letter topic) or is older than the deduplication window is 404.")
    @GetMapping("/v1/routing/events/{eventId}")
    @PreAuthorize("hasAuthority('SCOPE_routing:admin')")
    EventReport report(@PathVariable String eventId, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp("Only the app reads its routing reports");
        List<RuleReport> rules = jdbc.sql("""
                        SELECT rule_id, rule_version, notified, suppressed, digested, unknown_users, routed_at
                        FROM routed_event_rules WHERE app_id = ? AND event_id = ? ORDER BY routed_at, rule_id""")
                .params(appId, eventId)
                .query((rs, n) -> new RuleReport(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getString(6) == null ? List.of() : Arrays.asList(rs.getString(6).split("\n")),
                        rs.getObject(7, OffsetDateTime.class).toInstant()))
                .list();
        if (rules.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No routing report for event " + eventId);
        }
        return new EventReport(eventId, rules);
    }
}
