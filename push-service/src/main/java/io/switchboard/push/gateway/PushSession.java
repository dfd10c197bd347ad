package io.switchboard.push.gateway;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live WebSocket session of a user. Frames go out through its {@link SessionWriter}: a client
 * that cannot keep up is disconnected instead of slowing the gateway or growing its memory. It also keeps
 * what {@link SessionLiveness} watches: when the client was last heard from, when it was last
 * pinged, and the token it holds now (a client may replace it in-band before it expires), as a
 * {@link PushPrincipal}.
 */
final class PushSession {

    private final String sessionId;
    private volatile PushPrincipal principal;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile boolean expiryAnnounced;
    private final Instant connectedAt;
    private final WebSocketSession socket;
    private final SessionWriter writer;
    private final ReplayGate replays;
    private final Duration sendTimeLimit;
    /** When the handshake announced a resume that has not come yet ({@link System#nanoTime()}), else 0. */
    private final AtomicLong awaitingResumeSince = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The users whose presence this session watches ({@link PresenceSubscriptions}). */
    private final Set<String> watchedUsers = ConcurrentHashMap.newKeySet();

    PushSession(WebSocketSession session, PushPrincipal principal, int bufferBytes, Duration sendTimeLimit) {
        this.sessionId = session.getId();
        this.principal = principal;
        this.connectedAt = Instant.now();
        this.socket = session;
        this.writer = new SessionWriter(session, bufferBytes, sendTimeLimit, () -> close(SessionWriter.FELL_BEHIND));
        this.replays = new ReplayGate(bufferBytes, this::send);
        this.sendTimeLimit = sendTimeLimit;
    }

    String sessionId() {
        return sessionId;
    }

    /** The user token the session holds: the one it was opened with, or the last one it refreshed to. */
    PushPrincipal principal() {
        return principal;
    }

    /** Replaces the session's token with a newer one of the same user and device. */
    void refresh(PushPrincipal newer) {
        principal = newer;
        expiryAnnounced = false;
    }

    /** When the session's token expires; the session ends then unless it is refreshed. */
    Instant expiresAt() {
        return principal.expiresAt();
    }

    /** True once per token: whether the client still has to be told its token is about to expire. */
    boolean announceExpiry() {
        if (expiryAnnounced) {
            return false;
        }
        expiryAnnounced = true;
        return true;
    }

    /** The client sent something (a frame or a pong): it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    /** Sends a WebSocket ping if the last one is at least {@code interval} old; browsers answer with a pong by themselves. */
    void pingEvery(Duration interval) {
        long now = System.nanoTime();
        if (now - lastPingNanos < interval.toNanos() || !socket.isOpen()) {
            return;
        }
        lastPingNanos = now;
        writer.write(new PingMessage());
    }

    Set<String> watchedUsers() {
        return watchedUsers;
    }

    String appId() {
        return principal.appId();
    }

    String userId() {
        return principal.userId();
    }

    String deviceId() {
        return principal.deviceId();
    }

    Instant connectedAt() {
        return connectedAt;
    }

    /**
     * Closes the session once; the client sees {@code status} if the close frame still reaches it.
     * On a virtual thread of its own: closing writes a close frame, which can wait for a socket
     * whose buffer is full, and the caller (the liveness sweep, the app-state listener, a writer)
     * must not wait with it.
     */
    void close(CloseStatus status) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("push-close-" + sessionId).start(() -> {
            try {
                socket.close(status);
            } catch (IOException | RuntimeException e) {
                // already gone
            }
        });
    }

    /** Whether the session is being closed: what the client sends from now on is not taken. */
    boolean isClosing() {
        return closing.get();
    }

    /** Queues a frame for the client; returns {@code false} if the session is gone or fell behind. */
    boolean send(String frame) {
        return writer.write(new TextMessage(frame));
    }

    /**
     * Queues a live chat frame ({@code changeSeq} 0 if it is not a message change): held while a
     * replay runs, dropped if a replay already sent that change. False if the session is gone or
     * fell behind (it is then being closed) or the frame was a duplicate.
     */
    boolean sendLive(String conversationId, long changeSeq, String frame) {
        ReplayGate.Outcome outcome = replays.offer(conversationId, changeSeq, frame);
        if (outcome == ReplayGate.Outcome.REFUSED) {
            close(SessionWriter.FELL_BEHIND);
        }
        return outcome == ReplayGate.Outcome.SENT || outcome == ReplayGate.Outcome.HELD;
    }

    /** Queues a frame of a replay, at the pace the client reads (see {@link SessionWriter#writeWhenRoom}). */
    boolean sendReplayed(String frame) {
        return writer.writeWhenRoom(new TextMessage(frame), sendTimeLimit);
    }

    /** The handshake asked to resume: live frames are held from now until the resume is answered. */
    void awaitResume() {
        awaitingResumeSince.set(System.nanoTime());
        replays.hold();
    }

    /**
     * A replay begins and live frames are held. The resume a handshake announced takes over the
     * hold that began then.
     */
    void startReplay(boolean resume) {
        if (resume && awaitingResumeSince.getAndSet(0) != 0) {
            return;
        }
        replays.hold();
    }

    /** A replay is over; it sent changes up to {@code replayed} per conversation. */
    void endReplay(Map<String, Long> replayed) {
        replays.release(replayed);
    }

    /**
     * Lets live frames flow if the resume the handshake announced has not come within {@code wait};
     * true if that happened now.
     */
    boolean stopAwaitingResume(Duration wait) {
        long since = awaitingResumeSince.get();
        if (since == 0 || System.nanoTime() - since < wait.toNanos() || !awaitingResumeSince.compareAndSet(since, 0)) {
            return false;
        }
        replays.release(Map.of());
        return true;
    }
}
