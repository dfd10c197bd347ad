package io.switchboard.push.gateway;

import io.switchboard.platform.BackgroundWorker;
import io.switchboard.push.PushProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import java.time.Instant;

/**
 * Keeps the gateway's sessions alive and honest, in one sweep every {@code liveness-sweep}:
 * <ul>
 *   <li>each session gets a WebSocket ping every {@code heartbeat-interval};</li>
 *   <li>a session whose client sent nothing (no pong, no frame) for {@code heartbeat-timeout} is
 *       closed with {@link #HEARTBEAT_TIMEOUT}: a dead connection (a phone that lost its network)
 *       stops counting as present within that bound;</li>
 *   <li>a session is told {@code auth.expiring} {@code expiry-warning} before its token expires and
 *       is closed with {@link #TOKEN_EXPIRED} when it does, unless the client sent
 *       {@code auth.refresh} with a newer token;</li>
 *   <li>a session whose handshake announced a resume that did not come within {@code resume-wait}
 *       gets its live frames released.</li>
 * </ul>
 * Closing goes through the WebSocket handler like any close, which removes the session and
 * publishes the user's presence.
 */
@Component
class SessionLiveness extends BackgroundWorker {

    /** Close code for a client that stopped answering. */
    static final CloseStatus HEARTBEAT_TIMEOUT = new CloseStatus(4408, "heartbeat timeout");
    /** Close code for a session whose token expired without a refresh. */
    static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4419, "token expired");

    private final SessionRegistry sessions;
    private final Frames frames;
    private final PushProperties properties;

    SessionLiveness(SessionRegistry sessions, Frames frames, PushProperties properties) {
        super("push-session-liveness");
        this.sessions = sessions;
        this.frames = frames;
        this.properties = properties;
    }

    @Override
    protected void work() {
        while (isRunning()) {
            sweep(Instant.now());
            try {
                Thread.sleep(properties.livenessSweep());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void sweep(Instant now) {
        for (PushSession session : sessions.all()) {
            if (session.silentFor().compareTo(properties.heartbeatTimeout()) > 0) {
                session.close(HEARTBEAT_TIMEOUT);
                continue;
            }
            Instant expiresAt = session.expiresAt();
            if (expiresAt != null && !now.isBefore(expiresAt)) {
                session.close(TOKEN_EXPIRED);
                continue;
            }
            if (expiresAt != null && !now.plus(properties.expiryWarning()).isBefore(expiresAt) && session.announceExpiry()) {
                session.send(frames.authExpiring(expiresAt));
            }
            if (session.stopAwaitingResume(properties.resumeWait())) {
                session.send(frames.error("resume-timeout",
                        "No resume came within " + properties.resumeWait().toSeconds() + " s of the handshake; live frames flow"));
            }
            session.pingEvery(properties.heartbeatInterval());
        }
    }
}
