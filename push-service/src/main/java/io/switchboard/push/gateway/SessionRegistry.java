package io.switchboard.push.gateway;

import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions this gateway holds, by user. */
@Component
class SessionRegistry {

    private final Map<String, Map<String, PushSession>> byUser = new ConcurrentHashMap<>();

    void add(PushSession session) {
        byUser.computeIfAbsent(key(session.appId(), session.userId()), k -> new ConcurrentHashMap<>())
                .put(session.sessionId(), session);
    }

    void remove(PushSession session) {
        byUser.computeIfPresent(key(session.appId(), session.userId()), (k, sessions) -> {
            sessions.remove(session.sessionId());
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
        return byUser.values().stream().mapToInt(Map::size).sum();
    }

    private static String key(String appId, String userId) {
        return Topics.presenceKey(appId, userId);
    }
}
