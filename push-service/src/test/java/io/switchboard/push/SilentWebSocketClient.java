package io.switchboard.push;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client on a plain socket that completes the handshake and then reads only when told
 * to and sends nothing, not even the pong a ping calls for (unless {@link #keepAlive} is on): a
 * phone that lost its network, or a client too slow to read, as the server sees them.
 */
final class SilentWebSocketClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("silent-client-pongs").factory());
    private String handshakeResponse;
    private int pings;
    private int texts;

    private SilentWebSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer (small: the server's writes back up
     *                           sooner), or 0 for the system's default
     */
    static SilentWebSocketClient connect(int port, String token, int receiveBufferBytes) throws IOException {
        return connect(port, token, receiveBufferBytes, "");
    }

    /** @param extraHeaders more handshake request headers, each ending in CRLF (e.g. an extension offer) */
    static SilentWebSocketClient connect(int port, String token, int receiveBufferBytes, String extraHeaders)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        SilentWebSocketClient client = new SilentWebSocketClient(socket);
        client.handshakeResponse = client.readHandshakeResponse();
        assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
        return client;
    }

    /**
     * From now on sends an unsolicited, empty pong every half second (RFC 6455 allows it as a
     * one-way heartbeat) without reading anything: a client that is alive but does not keep up.
     */
    void keepAlive() {
        byte[] maskedEmptyPong = {(byte) 0x8A, (byte) 0x80, 1, 2, 3, 4};
        pongs.scheduleAtFixedRate(() -> {
            try {
                socket.getOutputStream().write(maskedEmptyPong);
            } catch (IOException e) {
                pongs.shutdown();   // the connection ended
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    int pings() {
        return pings;
    }

    /** Text frames read so far. */
    int texts() {
        return texts;
    }

    private String readHandshakeResponse() throws IOException {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            headers.append((char) in.readUnsignedByte());
        }
        return headers.toString();
    }

    /** The server's handshake response: status line and headers. */
    String handshakeResponse() {
        return handshakeResponse;
    }

    /** Reads frames until a text frame containing {@code text} (e.g. "session.ready"). */
    void readUntilText(String text, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        while (true) {
            Frame frame = readFrame();
            if (frame == null || frame.opcode() == 0x8) {
                throw new EOFException("closed before a frame with " + text);
            }
            if (frame.opcode() == 0x1 && new String(frame.payload(), StandardCharsets.UTF_8).contains(text)) {
                return;
            }
        }
    }

    /** Reads frames, counting pings and texts, until the server's close frame; returns its code (-1: closed without one). */
    int readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        while (true) {
            Frame frame;
            try {
                frame = readFrame();
            } catch (SocketException reset) {
                return -1; // the server dropped the connection without a close frame (reset: unread data was discarded)
            }
            if (frame == null) {
                return -1;
            }
            if (frame.opcode() == 0x8) {
                byte[] payload = frame.payload();
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
            }
        }
    }

    private record Frame(int opcode, byte[] payload) {
    }

    /** The next frame (server frames are not masked), or null at the end of the stream. */
    private Frame readFrame() throws IOException {
        int first;
        try {
            first = in.readUnsignedByte();
        } catch (EOFException e) {
            return null;
        }
        long length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        Frame frame = new Frame(first & 0x0F, in.readNBytes((int) length));
        if (frame.opcode() == 0x9) {
            pings++;
        } else if (frame.opcode() == 0x1) {
            texts++;
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        pongs.shutdownNow();
        socket.close();
    }
}
