package io.switchboard.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port to a real server (the test's PostgreSQL), which a test can cut:
 * every connection through it is closed and new ones are refused, as when a database host
 * becomes unreachable, for the process using it and nobody else.
 */
final class TcpLink implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TcpLink(ServerSocket listener, String host, int port) {
        this.listener = listener;
        this.host = host;
        this.port = port;
    }

    /** Starts relaying connections to its port on to {@code host:port}. */
    static TcpLink to(String host, int port) throws IOException {
        TcpLink link = new TcpLink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), host, port);
        Thread.ofVirtual().name("tcp-link-" + link.port()).start(link::accept);
        return link;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection through the link, and the link: connecting to its port is refused from now on. */
    void cut() {
        close();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(TcpLink::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                continue;   // the link was cut
            }
            sockets.add(client);
            try {
                Socket server = new Socket(host, port);
                sockets.add(server);
                Thread.ofVirtual().start(() -> relay(client, server));
                Thread.ofVirtual().start(() -> relay(server, client));
            } catch (IOException e) {
                closeQuietly(client);   // the server refused: so does the link
            }
        }
    }

    private static void relay(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
