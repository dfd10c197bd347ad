package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users each holding one push connection, most as native clients and some as browsers
 * ({@code permessage-deflate}), for benchmarks that send messages to them. Counts the
 * {@code membership.changed}/{@code joined} frames (push-service's members view has applied a
 * new member) and hands every other text frame to the benchmark with the user's index.
 */
final class ConnectedUsers implements AutoCloseable {

    /** A text frame for user {@code user}; {@code compressed} if that user's connection uses permessage-deflate. */
    @FunctionalInterface
    interface FrameListener {
        void onFrame(int user, boolean compressed, String text, long receivedNanos, int wireBytes);
    }

    /**
     * Handshakes in flight, within push-service's admission shares (by default 64 requests at once
     * per app, 32 without a bearer token, as a browser's ticket handshake is): more wait in its
     * line and, on a busy machine, are refused with 503 before their turn comes.
     */
    private static final int NATIVES_CONNECTING_AT_ONCE = 48;
    private static final int BROWSERS_CONNECTING_AT_ONCE = 16;
    private static final Duration STALL = Duration.ofSeconds(60);

    private final PushSockets natives;
    private final PushSockets browsers;
    private final int nativeCount;
    private final AtomicInteger joined = new AtomicInteger();

    private ConnectedUsers(PushSockets natives, PushSockets browsers, int nativeCount) {
        this.natives = natives;
        this.browsers = browsers;
        this.nativeCount = nativeCount;
    }

    /**
     * Connects one connection per token, the last {@code browserCount} as browsers, and returns
     * once all are ready.
     *
     * @throws IllegalStateException if any connection failed
     */
    static ConnectedUsers connect(SwitchboardClient client, String pushUrl, List<String> tokens, int browserCount,
                                  FrameListener listener) throws Exception {
        URI push = URI.create(pushUrl);
        InetSocketAddress server = new InetSocketAddress(push.getHost(), push.getPort());
        List<InetAddress> sources = PushSockets.loopbackSources(4);
        int nativeCount = tokens.size() - browserCount;
        ConnectedUsers[] self = new ConnectedUsers[1];
        PushSockets natives = new PushSockets(server, sources, PushSockets.ClientKind.NATIVE,
                (connection, text, at, bytes) -> self[0].onText(connection, false, text, at, bytes, listener));
        PushSockets browsers = new PushSockets(server, sources, PushSockets.ClientKind.BROWSER,
                (connection, text, at, bytes) -> self[0].onText(nativeCount + connection, true, text, at, bytes, listener));
        self[0] = new ConnectedUsers(natives, browsers, nativeCount);
        try {
            natives.connect(tokens.subList(0, nativeCount), NATIVES_CONNECTING_AT_ONCE, STALL);
            // a browser opens its socket with a one-use ticket, fetched just before
            browsers.connect(UserTokens.tickets(client, tokens.subList(nativeCount, tokens.size())),
                    BROWSERS_CONNECTING_AT_ONCE, STALL);
            if (natives.failed() + browsers.failed() > 0) {
                throw new IllegalStateException((natives.failed() + browsers.failed()) + " push connections failed: "
                        + natives.failures() + " " + browsers.failures());
            }
            return self[0];
        } catch (Exception | Error e) {
            self[0].close();
            throw e;
        }
    }

    private void onText(int user, boolean compressed, String text, long receivedNanos, int wireBytes,
                        FrameListener listener) {
        if (text.contains("\"membership.changed\"") && text.contains("\"joined\"")) {
            joined.incrementAndGet();
        } else {
            listener.onFrame(user, compressed, text, receivedNanos, wireBytes);
        }
    }

    /** Waits until {@code count} joined frames arrived in all, or none arrived for {@code stall}; returns how many did. */
    int awaitJoined(int count, Duration stall) throws InterruptedException {
        long lastProgress = System.nanoTime();
        int seen = joined.get();
        while (joined.get() < count && System.nanoTime() - lastProgress < stall.toNanos()) {
            Thread.sleep(100);
            if (joined.get() != seen) {
                seen = joined.get();
                lastProgress = System.nanoTime();
            }
        }
        return joined.get();
    }

    /** Connections still open. */
    int open() {
        return natives.open() + browsers.open();
    }

    int nativeCount() {
        return nativeCount;
    }

    int browserCount() {
        return browsers.deflateAccepted();
    }

    @Override
    public void close() {
        natives.close();
        browsers.close();
    }
}
