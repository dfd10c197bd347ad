package io.switchboard.push.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The sessions this gateway holds, by user; their number is the gauge {@code switchboard_push_sessions}. */
@Component
class SessionRegistry {

    private final Map<String, Map<String, PushSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    SessionRegistry(MeterRegistry meters) {
        Gauge.builder("switchboard.push.sessions", count, AtomicInteger::get)
                .description("WebSocket sessions this gateway holds").register(meters);
    }

    void add(PushSession session) {
        byUser.computeIfAbsent(key(session.appId(), session.userId()), k -> new ConcurrentHashMap<>())
                .compute(session.sessionId(), (id, held) -> {
                    if (held == null) {
                        count.incrementAndGet();
                    }
                    return session;
                });
    }

    void remove(PushSession session) {
        byUser.computeIfPresent(key(session.appId(), session.userId()), (k, sessions) -> {
            if (sessions.remove(session.sessionId()) != null) {
                count.decrementAndGet();
            }
            return sessions.isEmpty() ? null : sessions;
        });
    }

    List<PushSession> sessionsOf(String appId, String userId) {
        Map<String, PushSession> sessions = byUser.get(key(appId, userId));
        return sessions == null ? List.of() : List.copyOf(sessions.values());
    }

    /** Every session of every user of the app. */
    List<PushSession> sessionsOfApp(String appId) {
        String prefix = Topics.presenceKey(appId, "");
        return byUser.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().values().stream()).toList();
    }

    /** Every session this gateway holds. */
    List<PushSession> all() {
        return byUser.values().stream().flatMap(sessions -> sessions.values().stream()).toList();
    }

    int size() {
        return count.get();
    }

    private static String key(String appId, String userId) {
        return Topics.presenceKey(appId, userId);
    }
}
