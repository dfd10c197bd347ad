package io.switchboard.message.routing;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Forgets which rules an event went through once it is older than the deduplication window
 * ({@code switchboard.routing.dedupe-window}, 30 days): the same eventId redelivered later than
 * that would be routed again. Runs hourly.
 */
@Component
class RoutedEventsRetention {

    private final JdbcClient jdbc;
    private final Duration window;

    RoutedEventsRetention(JdbcClient jdbc, @Value("${switchboard.routing.dedupe-window:P30D}") Duration window) {
        this.jdbc = jdbc;
        this.window = window;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void forgetOldEvents() {
        jdbc.sql("DELETE FROM routed_event_rules WHERE routed_at < ?")
                .param(Instant.now().minus(window).atOffset(ZoneOffset.UTC)).update();
    }
}
