package io.switchboard.push.gateway;

import jakarta.websocket.Session;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one session's frames in order without ever making the caller wait: frames are queued,
 * and a virtual thread, started when the queue goes from empty to not empty and gone when it is
 * drained, does the blocking writes. So a client that reads slowly or not at all holds up only its
 * own writer, never the gateway's consumer thread or other sessions. Its queue is bounded in
 * bytes: a session that falls that far behind, or whose write blocks longer than the send time
 * limit, is closed with {@link #FELL_BEHIND} and must resync from history, and the memory it held
 * is released.
 */
final class SessionWriter {

    /** Close code for a session that could not keep up: reconnect and pull history. */
    static final CloseStatus FELL_BEHIND = new CloseStatus(4500, "fell behind, resync");
    /** Tomcat's per-session limit on one blocking write (milliseconds). */
    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private static final Duration ROOM_POLL = Duration.ofMillis(2);

    private final WebSocketSession socket;
    private final int bufferBytes;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Runnable closeFellBehind;

    /** A frame waiting to be written, and the bytes it counts for in the queue's bound. */
    private record Queued(WebSocketMessage<?> message, int counted) {
    }

    /** @param closeFellBehind closes the session with {@link #FELL_BEHIND}, without waiting for it */
    SessionWriter(WebSocketSession socket, int bufferBytes, Duration sendTimeLimit, Runnable closeFellBehind) {
        this.socket = socket;
        this.bufferBytes = bufferBytes;
        this.closeFellBehind = closeFellBehind;
        if (socket instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession(Session.class) instanceof Session session) {
            session.getUserProperties().put(BLOCKING_SEND_TIMEOUT, sendTimeLimit.toMillis());
        }
    }

    /** Queues a frame; false if the session is closed or has just overflowed (it is being closed). */
    boolean write(WebSocketMessage<?> message) {
        return write(message, message.getPayloadLength());
    }

    private boolean write(WebSocketMessage<?> message, int counted) {
        if (failed.get() || !socket.isOpen()) {
            return false;
        }
        if (queuedBytes.addAndGet(counted) > bufferBytes) {
            queuedBytes.addAndGet(-counted);
            fail();
            return false;
        }
        queue.add(new Queued(message, counted));
        if (writing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("push-writer-" + socket.getId()).start(this::drain);
        }
        return true;
    }

    /**
     * Queues a frame once the queue is at most half full, waiting up to {@code maxWait} for the
     * client to read: a replay of history may be longer than the buffer, and must follow the
     * client's pace instead of overflowing it. A client that reads nothing for that long is
     * closed like one that fell behind. A frame longer than half the buffer (a {@code resume.done}
     * listing thousands of conversations) waits until the queue is empty and then counts as half
     * the buffer: it is written alone, and the session holds at most the buffer plus that frame.
     */
    boolean writeWhenRoom(WebSocketMessage<?> message, Duration maxWait) {
        int counted = Math.min(message.getPayloadLength(), bufferBytes / 2);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (queuedBytes.get() + counted > bufferBytes / 2) {
            if (failed.get() || !socket.isOpen()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                fail();
                return false;
            }
            try {
                Thread.sleep(ROOM_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return write(message, counted);
    }

    private void drain() {
        do {
            Queued next;
            while ((next = queue.poll()) != null) {
                try {
                    socket.sendMessage(next.message());
                } catch (IOException | RuntimeException e) {
                    fail();
                } finally {
                    queuedBytes.addAndGet(-next.counted());
                }
            }
            writing.set(false);
            // a frame queued after the last poll and before the flag was cleared started no writer
        } while (!queue.isEmpty() && writing.compareAndSet(false, true));
    }

    /** Drops what is queued and has the session closed. */
    private void fail() {
        if (failed.compareAndSet(false, true)) {
            queue.clear();
            closeFellBehind.run();
        }
    }
}
