package io.switchboard.push.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * message-service down while clients keep resuming: every read answers Unavailable, the breaker
 * soon stops asking, and the outage is one warning, not one per read, with every failed read
 * counted. A burst of reads beyond the gateway's slots is turned away at once as busy, without
 * counting against message-service's health.
 */
class MessageHistoryOutageTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(MessageHistory.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void anOutageIsOneWarningAndEveryFailedReadIsCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MessageHistory history = new MessageHistory("http://127.0.0.1:" + closedPort, Duration.ofSeconds(1), 16,
                Duration.ofSeconds(1), JsonMapper.builder().build(), meters);

        int reads = 200;
        for (int i = 0; i < reads; i++) {
            assertThatThrownBy(() -> history.sync("token", Map.of("c-1", 3L), SessionResume.PAGE))
                    .isInstanceOf(MessageHistory.Unavailable.class);
        }

        double noAnswer = meters.get("switchboard.push.history.unavailable").tag("reason", "no-answer").counter().count();
        double notAsked = meters.get("switchboard.push.history.unavailable").tag("reason", "breaker-open").counter().count();
        assertThat(noAnswer + notAsked).isEqualTo(reads);
        assertThat(notAsked).as("the open breaker stops asking").isGreaterThan(reads / 2.0);
        assertThat(logs.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)))
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("History reads from message-service fail"));
    }

    @Test
    void readsBeyondTheSlotsAreTurnedAwayAsBusyWhileTheOthersAreAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger arrived = new AtomicInteger();
        HttpServer slowMessageService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowMessageService.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slowMessageService.createContext("/v1/me/sync", exchange -> {
            arrived.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"conversations\":[],\"removed\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slowMessageService.start();
        try {
            MessageHistory history = new MessageHistory("http://127.0.0.1:" + slowMessageService.getAddress().getPort(),
                    Duration.ofSeconds(10), 2, Duration.ofMillis(200), JsonMapper.builder().build(), meters);
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> inSlots = List.of(
                        readers.submit(() -> history.sync("token", Map.of(), SessionResume.PAGE)),
                        readers.submit(() -> history.sync("token", Map.of(), SessionResume.PAGE)));
                await().atMost(Duration.ofSeconds(5)).until(() -> arrived.get() == 2);
                assertThatThrownBy(() -> history.sync("token", Map.of(), SessionResume.PAGE))
                        .isInstanceOf(MessageHistory.Unavailable.class).hasMessageContaining("slot");
                release.countDown();
                for (Future<?> read : inSlots) {
                    read.get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(meters.get("switchboard.push.history.unavailable").tag("reason", "busy").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("switchboard.push.history.unavailable").tag("reason", "no-answer").counter().count())
                    .isZero();
            assertThat(logs.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            slowMessageService.stop(0);
        }
    }
}
