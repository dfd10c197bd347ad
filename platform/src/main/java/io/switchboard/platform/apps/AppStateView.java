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

    /**
     * How long a token of an app this view has not seen waits for the view to catch up. 5 s was
     * too short on a loaded 2-core CI machine: an app created a moment earlier got 401 from
     * membership-service (seen once in an end-to-end test).
     */
    private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(10);

    public AppStateView(KafkaProperties kafkaProperties) {
        super("apps", Topics.AUTH_APPS, ViewConsumers.properties(kafkaProperties));
    }

    public Optional<AppState> find(String appId) {
        return get(appId);
    }

    /**
     * Like {@link #find}, but waits (up to ten seconds) for an app that is not known yet: a token
     * of an app created a moment ago is not refused because this view lags. A deleted app is
     * answered at once.
     */
    public Optional<AppState> findFresh(String appId) {
        return awaitKey(appId, FRESHNESS_WAIT);
    }
}
