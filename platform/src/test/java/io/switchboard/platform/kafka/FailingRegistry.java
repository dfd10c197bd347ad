package io.switchboard.platform.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A schema registry on loopback that fails every request one way, as a registry in trouble or the
 * proxy in front of it does: an HTTP status without a body, or the connection closed before any
 * answer.
 */
final class FailingRegistry implements AutoCloseable {

    /** How it fails: {@code closes}, or the status it answers. */
    enum Failure {
        CLOSES(0), UNAVAILABLE(503), BAD_GATEWAY(502), TOO_MANY_REQUESTS(429), UNAUTHORIZED(401), FORBIDDEN(403);

        final int status;

        Failure(int status) {
            this.status = status;
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;

    FailingRegistry(Failure failure) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    answer(client, failure);
                } catch (IOException e) {
                    // closed, or the client went away: next one
                }
            }
        });
    }

    /** The registry API URL to configure a deserializer with. */
    String apiUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/apis/registry/v3";
    }

    private static void answer(Socket client, Failure failure) throws IOException {
        InputStream in = client.getInputStream();
        byte[] request = new byte[8192];
        if (in.read(request) <= 0 || failure == Failure.CLOSES) {
            return;
        }
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + failure.status + " " + failure.name() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
