package io.switchboard.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Loopback networking helpers: free ports, listening checks and waiting for readiness. */
public final class Net {

    public static final String LOOPBACK = "127.0.0.1";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * Ports already handed out: a port is only bound later by the child process it is for, so the
     * kernel may offer it again meanwhile, and two parts of one stack would get the same port.
     */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Net() {
    }

    /**
     * Ports are handed out from below the kernel's ephemeral range (Linux 32768–60999, macOS
     * 49152–65535): a server started again on its port (a broker the chaos suite killed) must find
     * it free, and an ephemeral port may meanwhile have become the local end of a client's
     * connection, which made a restarted broker fail with "Address already in use".
     */
    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 32_767;

    /** A TCP port that was free on loopback a moment ago, and that this JVM has not handed out before. */
    public static int freePort() {
        int span = LAST_PORT - FIRST_PORT + 1;
        // a random start keeps two JVMs that pick ports at the same time apart
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST_PORT + (start + i) % span;
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + FIRST_PORT + " and " + LAST_PORT + " on loopback");
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections on {@code 127.0.0.1:port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public static int httpStatus(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Polls {@code condition} every 200 ms until it holds.
     *
     * @throws IllegalStateException when it does not hold within {@code timeout}, or {@code process} died
     */
    public static void await(String what, Duration timeout, ManagedProcess process, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited while waiting for " + what + ":\n"
                        + process.tail(40));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (process == null ? "" : "; last output of " + process.name() + ":\n" + process.tail(40)));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }
}
