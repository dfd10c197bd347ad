package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.GatewayHeartbeat;
import io.switchboard.push.gateways.GatewayRun;
import io.switchboard.push.gateways.GatewaysView;
import io.switchboard.push.views.PresenceView;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Publishes a user's presence: the sessions of the other gateways that are not gone (from the
 * presence and gateways views) plus the sessions this gateway holds now. Sessions the view lists
 * on this gateway that it does not hold (closed, or left by a previous run of this ordinal) and
 * sessions of gone gateways are left out.
 *
 * <p>Each record is built from the views and sent under a lock of its user's stripe, so this
 * gateway's records of one user leave in the order of its changes, while different users' are
 * built and serialized side by side (a gateway that many clients connect to at once is not held to
 * one lock for all); the wait for the broker happens outside the lock. Two gateways can still
 * write the same user at once and one can miss the other's change: {@link PresenceRepair} notices
 * and publishes again.
 */
@Component
class PresencePublisher {

    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final int STRIPES = 256;

    private final KafkaTemplate<String, Object> kafka;
    private final PresenceView presence;
    private final GatewaysView gateways;
    private final SessionRegistry sessions;
    private final GatewayRun run;
    private final MeterRegistry meters;
    private final Lock[] stripes = new Lock[STRIPES];

    PresencePublisher(KafkaTemplate<String, Object> kafka, PresenceView presence, GatewaysView gateways,
                      SessionRegistry sessions, GatewayRun run, MeterRegistry meters) {
        this.kafka = kafka;
        this.presence = presence;
        this.gateways = gateways;
        this.sessions = sessions;
        this.run = run;
        this.meters = meters;
        Arrays.setAll(stripes, i -> new ReentrantLock());
    }

    /** Publishes and waits for the broker; returns where the record was written. */
    RecordMetadata publish(String appId, String userId) throws Exception {
        return send(appId, userId, true).orElseThrow()
                .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).getRecordMetadata();
    }

    /**
     * Publishes only if the presence the view holds for the user is not what this gateway would
     * publish now (same session ids), e.g. after another gateway's write dropped a session held
     * here, or when it still lists sessions of a gone gateway.
     */
    Optional<CompletableFuture<SendResult<String, Object>>> publishIfStale(String appId, String userId) {
        return send(appId, userId, false);
    }

    /** Whether {@code state} lists exactly the sessions this gateway holds of its user. */
    boolean listsWhatIsHeld(PresenceState state) {
        Set<String> listed = state.getSessions().stream().filter(s -> s.getGateway() == run.gateway())
                .map(PresenceSession::getSessionId).collect(Collectors.toSet());
        Set<String> held = sessions.sessionsOf(state.getAppId(), state.getUserId()).stream()
                .map(this::presenceSessionId).collect(Collectors.toSet());
        return listed.equals(held);
    }

    private Optional<CompletableFuture<SendResult<String, Object>>> send(String appId, String userId, boolean always) {
        String key = Topics.presenceKey(appId, userId);
        Lock lock = stripes[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        try {
            return send(appId, userId, key, always);
        } finally {
            lock.unlock();
        }
    }

    private Optional<CompletableFuture<SendResult<String, Object>>> send(String appId, String userId, String key,
                                                                        boolean always) {
        PresenceState previous = presence.get(key).orElse(null);
        List<PresenceSession> listed = previous == null ? List.of() : previous.getSessions();
        List<PresenceSession> kept = new ArrayList<>();
        List<PresenceSession> dropped = new ArrayList<>();
        for (PresenceSession session : listed) {
            (session.getGateway() != run.gateway() && !gateways.isGone(session.getGateway()) ? kept : dropped).add(session);
        }
        for (PushSession session : sessions.sessionsOf(appId, userId)) {
            kept.add(PresenceSession.newBuilder()
                    .setSessionId(presenceSessionId(session))
                    .setDeviceId(session.deviceId())
                    .setGateway(run.gateway())
                    .setConnectedAt(session.connectedAt().truncatedTo(ChronoUnit.MILLIS))
                    .build());
        }
        if (!always && ids(kept).equals(ids(listed))) {
            return Optional.empty();
        }
        Set<String> keptIds = ids(kept);
        dropped.removeIf(session -> keptIds.contains(session.getSessionId()));
        countRemoved(dropped);
        PresenceState state = PresenceState.newBuilder()
                .setAppId(appId)
                .setUserId(userId)
                .setSessions(kept)
                .setUpdatedAt(kept.isEmpty() ? lastSeen(previous, dropped) : now())
                .build();
        return Optional.of(kafka.send(Topics.PRESENCE_CHANGES.name(), key, state));
    }

    /**
     * When a user who now has no session was last seen: when their last session here closed (now),
     * or, for sessions removed because their gateway is gone or was restarted, that gateway run's
     * last heartbeat (or the session's start, if later); never later than now.
     */
    private Instant lastSeen(PresenceState previous, List<PresenceSession> dropped) {
        Instant now = now();
        if (dropped.isEmpty()) {
            return previous != null && previous.getSessions().isEmpty() ? previous.getUpdatedAt() : now;
        }
        Instant latest = Instant.MIN;
        for (PresenceSession session : dropped) {
            Instant seen;
            if (isOfThisRun(session)) {
                seen = now;
            } else {
                Optional<Instant> heartbeat = session.getGateway() == run.gateway()
                        ? gateways.lastHeartbeatOfOtherRun(run.gateway(), run.instanceId())
                        : gateways.heartbeat(session.getGateway()).map(GatewayHeartbeat::getHeartbeatAt);
                seen = heartbeat.orElse(previous.getUpdatedAt());
                seen = seen.isBefore(session.getConnectedAt()) ? session.getConnectedAt() : seen;
            }
            latest = seen.isAfter(latest) ? seen : latest;
        }
        return latest.isAfter(now) ? now : latest;
    }

    private void countRemoved(List<PresenceSession> dropped) {
        for (PresenceSession session : dropped) {
            if (session.getGateway() != run.gateway()) {
                meters.counter("switchboard.push.presence.sessions.removed", "reason", "gateway-gone").increment();
            } else if (!isOfThisRun(session)) {
                meters.counter("switchboard.push.presence.sessions.removed", "reason", "previous-run").increment();
            }
        }
    }

    /** Unique across gateways and their restarts: a previous run's socket ids start again from 0. */
    private String presenceSessionId(PushSession session) {
        return runPrefix() + session.sessionId();
    }

    private boolean isOfThisRun(PresenceSession session) {
        return session.getGateway() == run.gateway() && session.getSessionId().startsWith(runPrefix());
    }

    private String runPrefix() {
        return run.gateway() + ":" + run.instanceId() + ":";
    }

    private static Set<String> ids(List<PresenceSession> sessions) {
        return sessions.stream().map(PresenceSession::getSessionId).collect(Collectors.toSet());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
