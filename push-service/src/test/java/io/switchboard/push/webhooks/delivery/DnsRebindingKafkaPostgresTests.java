package io.switchboard.push.webhooks.delivery;

import io.switchboard.push.webhooks.ScriptedDns;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DNS rebinding through the whole delivery path: the endpoints API, the queue in PostgreSQL, the
 * real {@link Dispatcher}, {@link Courier} and Apache HttpClient, and a real listening socket on
 * loopback. A name resolves to a public address when the endpoint is registered and to a loopback
 * or metadata address when a delivery connects ({@link ScriptedDns}: there is no DNS server here).
 * The test context allows 127.0.0.1 only (its endpoints live there), so 127.0.0.2 is loopback that
 * is not allowed.
 *
 * <p>The listener counts TCP connections, not HTTP requests: a delivery is https, so a connection
 * that got through to a plain socket would never show up as a request - only a connection count
 * can show that nothing connected.
 */
class DnsRebindingKafkaPostgresTests extends WebhookIntegrationTest {

    private static final String PUBLIC_ADDRESS = "93.184.215.14";

    @Autowired
    ScriptedDns dns;

    @Test
    void aNameThatRebindsToLoopbackAfterRegistrationIsRefusedWhenTheDeliveryConnectsAndNothingConnects() {
        try (CountingListener loopback = CountingListener.on("127.0.0.2")) {
            Rebound rebound = deliverAfterRebinding(":" + loopback.port() + "/hooks", "127.0.0.2");

            assertThat(rebound.failed().get("failureReason").asString()).isEqualTo("retries-exhausted");
            assertThat(rebound.attempts().size()).isEqualTo(4);
            for (JsonNode attempt : rebound.attempts()) {
                assertThat(attempt.get("outcome").asString()).isEqualTo("destination-refused");
                assertThat(attempt.get("detail").asString())
                        .isEqualTo("The host " + rebound.host() + " resolves to 127.0.0.2, which is not a public address");
                assertThat(attempt.get("statusCode").isNull()).isTrue();
            }
            assertThat(loopback.connections()).as("connections to the loopback listener").isZero();
            assertThat(health(rebound.endpointId()).get("lastError").get("outcome").asString())
                    .isEqualTo("destination-refused");

            loopback.connectToItself();
            assertThat(loopback.connections()).as("the listener counts a connection that is made").isEqualTo(1);
        }
    }

    @Test
    void aNameThatRebindsToTheCloudMetadataAddressIsRefusedWhenTheDeliveryConnects() {
        Rebound rebound = deliverAfterRebinding("/latest/meta-data/", "169.254.169.254");

        JsonNode first = rebound.attempts().get(0);
        assertThat(first.get("outcome").asString()).isEqualTo("destination-refused");
        assertThat(first.get("detail").asString()).contains(rebound.host(), "169.254.169.254", "not a public address");
    }

    /**
     * The same path with an allowed address at delivery time: the connection is made (and fails
     * its TLS handshake with the plain listener). So the name really is looked up when the
     * delivery connects, and the refusals above are the policy's, not a lookup that never happened.
     */
    @Test
    void aNameThatRebindsToAnAllowedAddressIsConnectedTo() {
        try (CountingListener allowed = CountingListener.on("127.0.0.1")) {
            Rebound rebound = deliverAfterRebinding(":" + allowed.port() + "/hooks", "127.0.0.1");

            assertThat(rebound.attempts().get(0).get("outcome").asString()).isEqualTo("connection-failed");
            assertThat(allowed.connections()).isGreaterThanOrEqualTo(1);
        }
    }

    /** A delivery to a name that was public at registration and is not any more: its dead letter and attempts. */
    private record Rebound(String host, String endpointId, JsonNode failed, JsonNode attempts) {
    }

    /**
     * Registers {@code https://<a fresh name><portAndPath>} while the name resolves to a public
     * address, points the name at {@code address}, pings the endpoint and waits for the delivery
     * to run out of attempts.
     */
    private Rebound deliverAfterRebinding(String portAndPath, String address) {
        String host = "hooks-" + UUID.randomUUID().toString().substring(0, 8) + ".rebind.example.com";
        dns.answer(host, PUBLIC_ADDRESS);
        Registered registered = registerUrl("https://" + host + portAndPath, null, "card.action");

        dns.answer(host, address);
        ping(registered.endpointId());

        JsonNode failed = awaitDeliveries(registered.endpointId(), "failed", 1, WAIT).getFirst();
        return new Rebound(host, registered.endpointId(), failed, delivery(failed.get("deliveryId").asString()).get("attempts"));
    }

    /** A socket listening on one loopback address that counts the connections made to it and closes them. */
    private static final class CountingListener implements AutoCloseable {

        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();

        private CountingListener(String address) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName(address));
            Thread.ofVirtual().start(this::accept);
        }

        static CountingListener on(String address) {
            try {
                return new CountingListener(address);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        /** Connects to it the plain way (the test's own control that the listener can be reached). */
        void connectToItself() {
            int before = connections.get();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.getInetAddress(), port()), 2_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            await().atMost(WAIT).until(() -> connections.get() > before);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    try (InputStream in = socket.getInputStream()) {
                        socket.setSoTimeout(200);
                        in.read(new byte[1024]);   // whatever came (a TLS hello), then hang up
                    } catch (IOException ignored) {
                        // the peer gave up first
                    }
                    socket.close();
                } catch (IOException e) {
                    return;   // closed
                }
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
