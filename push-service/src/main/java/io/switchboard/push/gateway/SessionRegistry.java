package io.switchboard.push.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions this gateway holds, by user; their number is the gauge {@code switchboard_push_sessions}.
 * A user's sessions are an immutable list, replaced on each change: a user has few sessions, a
 * gateway 100,000 users, and the fanout asks for a user's sessions once per recipient, so the
 * list is small to keep and handed out without a copy.
 */
@Component
class SessionRegistry {

    private final Map<String, List<PushSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    SessionRegistry(MeterRegistry meters) {
        Gauge.builder("switchboard.push.sessions", count, AtomicInteger::get)
                .description("WebSocket sessions this gateway holds").register(meters);
    }

    void add(PushSession session) {
        byUser.compute(key(session.appId(), session.userId()), (k, sessions) -> {
            if (sessions == null) {
                count.incrementAndGet();
                return List.of(session);
            }
            if (sessions.contains(session)) {
                return sessions;
            }
            count.incrementAndGet();
            List<PushSession> more = new ArrayList<>(sessions);
            more.add(session);
            return List.copyOf(more);
        });
    }

    void remove(PushSession session) {
        byUser.computeIfPresent(key(session.appId(), session.userId()), (k, sessions) -> {
            if (!sessions.contains(session)) {
                return sessions;
            }
            count.decrementAndGet();
            List<PushSession> rest = sessions.stream().filter(s -> s != session).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    List<PushSession> sessionsOf(String appId, String userId) {
        return byUser.getOrDefault(key(appId, userId), List.of());
    }

    /** Every session of every user of the app. */
    List<PushSession> sessionsOfApp(String appId) {
        String prefix = Topics.presenceKey(appId, "");
        return byUser.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    /** Every session this gateway holds. */
    List<PushSession> all() {
        return byUser.values().stream().flatMap(List::stream).toList();
    }

    int size() {
        return count.get();
    }

    private static String key(String appId, String userId) {
        return Topics.presenceKey(appId, userId);
    }
}
