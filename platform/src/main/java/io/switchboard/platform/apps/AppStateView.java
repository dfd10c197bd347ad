package io.switchboard.platform.apps;

import io.switchboard.events.auth.AppState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.Optional;

/**
 * Every app's current state, built from {@code auth.apps}: whether it is active, which of its
 * certificates are valid, since when its tokens count, its rate limit. Every service consults it
 * on every request, so a suspension or revocation takes effect everywhere as soon as the record
 * has crossed Kafka.
 */
public class AppStateView extends CompactedTopicView<AppState> {

    private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(5);

    public AppStateView(KafkaProperties kafkaProperties) {
        super("apps", Topics.AUTH_APPS, ViewConsumers.properties(kafkaProperties));
    }

    public Optional<AppState> find(String appId) {
        return get(appId);
    }

    /**
     * Like {@link #find}, but waits (up to five seconds) for an app that is not known yet: a token
     * of an app created a moment ago is not refused because this view lags. A deleted app is
     * answered at once.
     */
    public Optional<AppState> findFresh(String appId) {
        return awaitKey(appId, FRESHNESS_WAIT);
    }
}
