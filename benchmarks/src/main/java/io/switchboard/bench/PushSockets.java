package io.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Many push connections held by one selector thread, speaking just enough WebSocket (RFC 6455)
 * for load: the handshake with a bearer token, reading server frames, answering pings with pongs,
 * and, when offered and accepted, inflating {@code permessage-deflate} messages (RFC 7692). A
 * connection costs this process a socket and a small object; a JDK {@code HttpClient} WebSocket
 * costs several kilobytes of buffers and listener state, which at 100,000 connections would make
 * the load generator the thing measured.
 * <p>
 * Each connection binds to one of several loopback source addresses (127.0.0.x) in turn: one
 * source address and one server port allow only as many connections as there are ephemeral ports
 * (about 28,000 on Linux).
 */
final class PushSockets implements AutoCloseable {

    /** A text message from the server: its connection, its text, when it was read, and the bytes it took on the wire. */
    @FunctionalInterface
    interface TextListener {
        void onText(int connection, String text, long receivedNanos, int wireBytes);
    }

    /** How a client connects. */
    enum ClientKind {
        /** A mobile or desktop client: the token in the {@code Authorization} header, no compression offered. */
        NATIVE,
        /**
         * A browser's {@code WebSocket}: a one-use ticket in the {@code ticket} query parameter (it
         * cannot set headers; the "token" given for it is the ticket) and {@code permessage-deflate}
         * offered (browsers always offer it).
         */
        BROWSER
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final InetSocketAddress server;
    private final String host;
    private final List<InetAddress> sources;
    private final ClientKind kind;
    private final TextListener listener;
    private final Selector selector;
    private final Thread loop;
    /** Work for the selector thread, which alone touches the connections' state. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicInteger deflateAccepted = new AtomicInteger();
    private final AtomicLong pongs = new AtomicLong();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * @param server       the push-service's address
     * @param sources      loopback source addresses, used in turn
     * @param kind         how the connections handshake
     * @param listener     gets every text message but {@code session.ready}; called on the selector thread, so keep it short
     */
    PushSockets(InetSocketAddress server, List<InetAddress> sources, ClientKind kind, TextListener listener)
            throws IOException {
        this.server = server;
        this.host = server.getHostString() + ":" + server.getPort();
        this.sources = sources;
        this.kind = kind;
        this.listener = listener;
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().name("push-sockets").daemon().start(this::run);
    }

    /** {@code count} loopback addresses from 127.0.0.1 on: on Linux all of 127/8 is the loopback interface. */
    static List<InetAddress> loopbackSources(int count) {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try {
                addresses.add(InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) i}));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return addresses;
    }

    /**
     * Opens one connection per token, at most {@code atOnce} handshaking (not yet {@code session.ready})
     * at a time, and returns once each is ready or has failed, or {@code timeout} passed without progress.
     *
     * @return how many of these became ready
     */
    int connect(List<String> tokens, int atOnce, Duration timeout) throws InterruptedException {
        int readyBefore = ready.get();
        for (String token : tokens) {
            awaitHandshakesBelow(atOnce, timeout);
            Connection connection = new Connection(connections.size(), token, sources.get(connections.size() % sources.size()));
            connections.add(connection);
            started.incrementAndGet();
            tasks.add(connection::start);
            selector.wakeup();
        }
        awaitHandshakesBelow(1, timeout);
        return ready.get() - readyBefore;
    }

    /**
     * Waits until fewer than {@code limit} connections are handshaking; those that made no progress
     * for {@code stall} are given up.
     */
    private void awaitHandshakesBelow(int limit, Duration stall) throws InterruptedException {
        long lastProgress = System.nanoTime();
        int settledBefore = settled.get();
        while (started.get() - settled.get() >= limit) {
            if (settled.get() != settledBefore) {
                settledBefore = settled.get();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                List<Connection> all = List.copyOf(connections);
                tasks.add(() -> all.stream().filter(c -> !c.settled).forEach(c -> c.fail("no session.ready within " + stall)));
                selector.wakeup();
                while (started.get() - settled.get() >= limit) {
                    Thread.sleep(2);
                }
                return;
            }
            Thread.sleep(1);
        }
    }

    /** Connections that got {@code session.ready} and are still open. */
    int open() {
        return ready.get() - closedByServer.get();
    }

    int failed() {
        return failed.get();
    }

    /** Why connections failed, with counts. */
    Map<String, AtomicInteger> failures() {
        return failures;
    }

    /** Connections the server closed after they were ready. */
    int closedByServer() {
        return closedByServer.get();
    }

    /** Connections on which the server accepted {@code permessage-deflate}. */
    int deflateAccepted() {
        return deflateAccepted.get();
    }

    /** Pongs sent in answer to the server's pings. */
    long pongs() {
        return pongs.get();
    }

    /** Aborts every connection (no close handshake: the server sees the TCP connection end) and the selector thread. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : connections) {
            connection.closeQuietly();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private void run() {
        while (running) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isConnectable()) {
                            connection.finishConnect();
                        }
                        if (key.isValid() && key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read();
                        }
                    } catch (IOException | RuntimeException | DataFormatException e) {
                        connection.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One connection: handshake state, then frame parsing; touched only by the selector thread once started. */
    private final class Connection {
        private final int index;
        private final InetAddress source;
        private final String key;
        private String token;
        private SocketChannel channel;
        private SelectionKey selectionKey;
        private ByteBuffer outgoing;
        /** Bytes read but not yet a whole response head or frame. */
        private byte[] pending;
        private boolean upgraded;
        private boolean settled;
        private boolean ready;
        private Inflater inflater;
        /** A fragmented message being gathered (server frames larger than its output buffer come in fragments). */
        private ByteArrayOutputStream fragments;
        private boolean fragmentsCompressed;
        private int fragmentsWireBytes;

        Connection(int index, String token, InetAddress source) {
            this.index = index;
            this.token = token;
            this.source = source;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key = Base64.getEncoder().encodeToString(nonce);
        }

        void start() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(source, 0));
                selectionKey = channel.register(selector, SelectionKey.OP_CONNECT, this);
                if (channel.connect(server)) {
                    finishConnect();
                }
            } catch (IOException | RuntimeException e) {
                fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        void finishConnect() throws IOException {
            channel.finishConnect();
            boolean browser = kind == ClientKind.BROWSER;
            String request = "GET /v1/ws" + (browser ? "?ticket=" + token : "") + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (browser ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            token = null;
            selectionKey.interestOps(SelectionKey.OP_READ);
            send(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        }

        /** Writes what it can now, the rest when the socket takes it. */
        private void send(ByteBuffer bytes) throws IOException {
            if (outgoing != null) {
                ByteBuffer joined = ByteBuffer.allocate(outgoing.remaining() + bytes.remaining());
                joined.put(outgoing).put(bytes).flip();
                bytes = joined;
            }
            channel.write(bytes);
            outgoing = bytes.hasRemaining() ? bytes : null;
            selectionKey.interestOps(outgoing == null ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }

        void flush() throws IOException {
            if (outgoing != null) {
                ByteBuffer rest = outgoing;
                outgoing = null;
                send(rest);
            }
        }

        void read() throws IOException, DataFormatException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            long receivedNanos = System.nanoTime();
            if (n < 0) {
                fail("the server ended the connection");
                return;
            }
            readBuffer.flip();
            byte[] data;
            if (pending == null) {
                data = new byte[readBuffer.remaining()];
                readBuffer.get(data);
            } else {
                data = new byte[pending.length + readBuffer.remaining()];
                System.arraycopy(pending, 0, data, 0, pending.length);
                readBuffer.get(data, pending.length, data.length - pending.length);
            }
            pending = null;
            int at = 0;
            if (!upgraded) {
                at = readResponseHead(data);
                if (at < 0) {
                    return;
                }
            }
            while (at < data.length && channel.isOpen()) {
                int used = readFrame(data, at, receivedNanos);
                if (used == 0) {
                    break;
                }
                at += used;
            }
            if (at < data.length && channel.isOpen()) {
                pending = java.util.Arrays.copyOfRange(data, at, data.length);
            }
        }

        /** Checks the 101 response; returns where the frames start, or -1 if the head is incomplete or refused. */
        private int readResponseHead(byte[] data) {
            int end = -1;
            for (int i = 3; i < data.length; i++) {
                if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                pending = data;
                return -1;
            }
            String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
            String status = head.substring(0, head.indexOf('\r'));
            if (!status.startsWith("HTTP/1.1 101")) {
                fail("handshake refused: " + status);
                return -1;
            }
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            if (!lower.contains("sec-websocket-accept: " + accept(key).toLowerCase(java.util.Locale.ROOT))) {
                fail("handshake: wrong Sec-WebSocket-Accept");
                return -1;
            }
            if (lower.contains("sec-websocket-extensions:") && lower.contains("permessage-deflate")) {
                inflater = new Inflater(true);
                deflateAccepted.incrementAndGet();
            }
            upgraded = true;
            return end;
        }

        /** Handles one whole frame at {@code at}; returns its length, or 0 if it is not all here yet. */
        private int readFrame(byte[] data, int at, long receivedNanos) throws IOException, DataFormatException {
            if (data.length - at < 2) {
                return 0;
            }
            int b0 = data[at] & 0xff;
            int b1 = data[at + 1] & 0xff;
            int header = 2;
            long length = b1 & 0x7f;
            if (length == 126) {
                if (data.length - at < 4) {
                    return 0;
                }
                length = ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
                header = 4;
            } else if (length == 127) {
                if (data.length - at < 10) {
                    return 0;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (data[at + i] & 0xff);
                }
                header = 10;
            }
            if (data.length - at - header < length) {
                return 0;
            }
            int frameLength = (int) (header + length);
            boolean fin = (b0 & 0x80) != 0;
            boolean compressed = (b0 & 0x40) != 0;
            int opcode = b0 & 0x0f;
            int payloadAt = at + header;
            switch (opcode) {
                case 0x9 -> pong(data, payloadAt, (int) length);
                case 0x8 -> {
                    int code = length >= 2 ? ((data[payloadAt] & 0xff) << 8) | (data[payloadAt + 1] & 0xff) : 1005;
                    fail("closed by the server with " + code);
                }
                case 0x1, 0x0 -> {
                    if (opcode == 0x1) {
                        fragments = new ByteArrayOutputStream();
                        fragmentsCompressed = compressed;
                        fragmentsWireBytes = 0;
                    }
                    fragments.write(data, payloadAt, (int) length);
                    fragmentsWireBytes += frameLength;
                    if (fin) {
                        message(fragments.toByteArray(), fragmentsCompressed, fragmentsWireBytes, receivedNanos);
                        fragments = null;
                    }
                }
                default -> {
                    // pongs and binary frames: the push protocol sends neither
                }
            }
            return frameLength;
        }

        private void message(byte[] payload, boolean compressed, int wireBytes, long receivedNanos) throws DataFormatException {
            String text;
            if (compressed) {
                inflater.setInput(concat(payload, DEFLATE_TAIL));
                ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4);
                byte[] chunk = new byte[4096];
                int n;
                while ((n = inflater.inflate(chunk)) > 0) {
                    out.write(chunk, 0, n);
                }
                text = out.toString(StandardCharsets.UTF_8);
            } else {
                text = new String(payload, StandardCharsets.UTF_8);
            }
            if (!ready) {
                if (text.contains("\"session.ready\"")) {
                    ready = true;
                    settled = true;
                    PushSockets.this.ready.incrementAndGet();
                    PushSockets.this.settled.incrementAndGet();
                }
                return;
            }
            listener.onText(index, text, receivedNanos, wireBytes);
        }

        private void pong(byte[] data, int at, int length) throws IOException {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            ByteBuffer frame = ByteBuffer.allocate(6 + length);
            frame.put((byte) 0x8A).put((byte) (0x80 | length)).put(mask);
            for (int i = 0; i < length; i++) {
                frame.put((byte) (data[at + i] ^ mask[i % 4]));
            }
            frame.flip();
            send(frame);
            pongs.incrementAndGet();
        }

        /** Ends the connection: before {@code session.ready} it failed, after it the server closed it. */
        void fail(String reason) {
            if (channel != null && !channel.isOpen() && settled) {
                return;
            }
            if (!settled) {
                settled = true;
                PushSockets.this.settled.incrementAndGet();
                failed.incrementAndGet();
                failures.computeIfAbsent(reason + " (before session.ready)", k -> new AtomicInteger()).incrementAndGet();
            } else if (ready) {
                closedByServer.incrementAndGet();
                failures.computeIfAbsent(reason + " (after session.ready)", k -> new AtomicInteger()).incrementAndGet();
            }
            closeQuietly();
        }

        void closeQuietly() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // already gone
            }
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
