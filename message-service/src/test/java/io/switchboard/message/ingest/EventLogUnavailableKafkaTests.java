package io.switchboard.message.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.platform.problems.ProblemResponses;
import io.switchboard.platform.security.TokenClaims;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * When the broker cannot take an event, the caller gets 503 {@code event-log-unavailable} with
 * {@code Retry-After} within the publish timeout, never a hang or a stack trace. The controller and
 * publisher are the real ones, over a real producer whose broker is absent or stopped.
 */
class EventLogUnavailableKafkaTests {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final IngestProperties properties = new IngestProperties(PUBLISH_TIMEOUT, Duration.ofSeconds(7));
    private final PayloadLimits limits = new PayloadLimits(DataSize.ofKilobytes(64), 200, 100);
    private DefaultKafkaProducerFactory<String, Object> producers;
    private EmbeddedKafkaKraftBroker broker;

    @AfterEach
    void stop() {
        if (producers != null) {
            producers.destroy();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void brokerThatCannotBeReachedGets503WithRetryAfterWithinTheTimeout() throws Exception {
        MockMvc service = serviceProducingTo("127.0.0.1:" + closedPort());

        long started = System.nanoTime();
        MockHttpServletResponse response = postEvent(service, "/v1/events", event());

        assertUnavailable(response);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PUBLISH_TIMEOUT.plusSeconds(3));
    }

    @Test
    void brokerThatStopsGets503ForTheSingleEventAndForEachEventOfABatch() throws Exception {
        broker = startOwnBroker();
        MockMvc service = serviceProducingTo(broker.getBrokersAsString());
        assertThat(postEvent(service, "/v1/events", event()).getStatus()).isEqualTo(202);

        broker.destroy();
        broker = null;
        MockHttpServletResponse single = postEvent(service, "/v1/events", event());
        MockHttpServletResponse batch = postEvent(service, "/v1/events/batch", Map.of("events", List.of(event(), event())));

        assertUnavailable(single);
        assertThat(batch.getStatus()).isEqualTo(200);
        assertThat(batch.getHeader("Retry-After")).isEqualTo("7");
        JsonNode results = JSON.readTree(batch.getContentAsString()).get("results");
        assertThat(results.valueStream().map(r -> r.get("status").asInt())).containsExactly(503, 503);
        assertThat(results.get(0).get("problem").get("code").asString()).isEqualTo("event-log-unavailable");
    }

    private static void assertUnavailable(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("code").asString()).isEqualTo("event-log-unavailable");
        assertThat(problem.get("detail").asString()).contains("retry with the same eventId").doesNotContain("Exception");
        assertThat(problem.has("trace")).isFalse();
    }

    /**
     * A broker of this test alone, to stop. Starting one also points {@code spring.embedded.kafka.brokers}
     * at it, which the other tests of this JVM read to find the shared broker: that is put back.
     */
    private static EmbeddedKafkaKraftBroker startOwnBroker() {
        String sharedBrokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        EmbeddedKafkaKraftBroker own = new EmbeddedKafkaKraftBroker(1, 1, Topics.INTEGRATION_EVENTS.name());
        try {
            own.afterPropertiesSet();
        } finally {
            if (sharedBrokers == null) {
                System.clearProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
            } else {
                System.setProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS, sharedBrokers);
            }
        }
        return own;
    }

    /** The real controller, rules and publisher, producing with the service's serde settings to {@code brokers}. */
    private MockMvc serviceProducingTo(String brokers) {
        Map<String, Object> settings = new HashMap<>(RegistrySerde.producerProperties(ApicurioRegistry.shared().registryApiUrl()));
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) PUBLISH_TIMEOUT.toMillis());
        producers = new DefaultKafkaProducerFactory<>(settings);
        producers.setPhysicalCloseTimeout(1);
        IntegrationEventsPublisher publisher = new IntegrationEventsPublisher(new KafkaTemplate<>(producers), properties,
                new SimpleMeterRegistry());
        EventsController controller = new EventsController(new PostedEventRules(limits, JSON), publisher, properties);
        return MockMvcBuilders.standaloneSetup(controller).setControllerAdvice(new ProblemResponses()).build();
    }

    private static MockHttpServletResponse postEvent(MockMvc service, String path, Object body) throws Exception {
        Jwt appToken = Jwt.withTokenValue("token").header("alg", "ES256")
                .claim(TokenClaims.APP_ID, "app-1").claim(TokenClaims.TOKEN_USE, TokenClaims.USE_APP).subject("app-1")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
        return service.perform(post(path).principal(new JwtAuthenticationToken(appToken))
                        .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body)))
                .andReturn().getResponse();
    }

    private static Map<String, Object> event() {
        return Map.of("eventId", "outage-" + UUID.randomUUID(), "source", "helpdesk", "eventType", "ticket.escalated",
                "occurredAt", "2026-11-27T10:15:30Z", "entity", Map.of("type", "ticket", "id", "T-1"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
