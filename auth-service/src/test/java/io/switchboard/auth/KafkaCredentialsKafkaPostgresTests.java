package io.switchboard.auth;

import io.apicurio.registry.serde.config.SerdeConfig;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.registry.ConfluentRegistry;
import io.switchboard.stack.ApicurioRegistry;
import io.switchboard.stack.KafkaBroker;
import io.switchboard.stack.Net;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Apps' Kafka credentials on a real broker with a SASL/SCRAM listener and ACLs enforced (the local
 * stack's broker): each credential writes its own app's topics and nothing else, as the broker
 * itself decides.
 */
class KafkaCredentialsKafkaPostgresTests extends AuthServiceTestSupport {

    private static KafkaBroker broker;

    @DynamicPropertySource
    static void saslBroker(DynamicPropertyRegistry registry) throws Exception {
        broker = KafkaBroker.start(Files.createTempDirectory("kafka-credentials"), Net.freePort(), Net.freePort(),
                Net.freePort(), List.of("-Xmx256m"));
        infrastructure(registry, broker::bootstrapServers);
        registry.add("switchboard.kafka-credentials.bootstrap-servers", broker::upstreamBootstrapServers);
        registry.add("switchboard.kafka-credentials.security-protocol", () -> "SASL_PLAINTEXT");
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void anAppsCredentialWritesItsOwnTopicsAndIsRefusedOnAnotherAppsTopic() throws Exception {
        App a = app("Kafka A");
        App b = app("Kafka B");
        JsonNode credentialOfA = issueAsAdmin(a.id(), Map.of("partitions", 2));
        JsonNode credentialOfB = issueAsApp(b);

        assertThat(credentialOfA.get("username").asString()).startsWith("app-" + a.id() + "-");
        assertThat(credentialOfA.get("mechanism").asString()).isEqualTo("SCRAM-SHA-512");
        assertThat(credentialOfA.get("securityProtocol").asString()).isEqualTo("SASL_PLAINTEXT");
        assertThat(credentialOfA.get("bootstrapServers").asString()).isEqualTo(broker.upstreamBootstrapServers());
        assertThat(credentialOfA.get("topics").get("integrationEvents").asString()).isEqualTo("integration.events." + a.id());
        assertThat(credentialOfA.get("topics").get("directoryUsers").asString()).isEqualTo("directory.users." + a.id());
        assertThat(partitions("integration.events." + a.id())).isEqualTo(2);
        assertThat(partitions("directory.users." + b.id())).isEqualTo(3);

        try (KafkaProducer<byte[], byte[]> producerOfA = producer(credentialOfA)) {
            RecordMetadata written = send(producerOfA, "integration.events." + a.id());
            assertThat(written.topic()).isEqualTo("integration.events." + a.id());
            send(producerOfA, "directory.users." + a.id());

            // the broker's own answer
            assertThatThrownBy(() -> send(producerOfA, "integration.events." + b.id()))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessage("Not authorized to access topics: [integration.events." + b.id() + "]");
            assertThatThrownBy(() -> send(producerOfA, "directory.users." + b.id()))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> send(producerOfA, "integration.events"))
                    .as("nor the shared topic").isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<byte[], byte[]> producerOfB = producer(credentialOfB)) {
            send(producerOfB, "integration.events." + b.id());
            assertThatThrownBy(() -> send(producerOfB, "integration.events." + a.id()))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aProducerWithAutoRegistrationOffFindsItsAppsSchemaInTheRegistry() throws Exception {
        App app = app("Kafka schemas");
        JsonNode credential = issueAsAdmin(app.id(), Map.of());
        String topic = "integration.events." + app.id();
        BusinessEvent event = BusinessEvent.newBuilder().setEventId("schema-" + app.id()).setAppId(app.id())
                .setSource("crm").setEventType("deal.won").setOccurredAt(Instant.parse("2026-12-07T10:15:30Z"))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-1").build())
                .setConcerns(List.of("alice")).setPayload(Map.of("amount", 12000L)).build();

        // as production producers run: nothing registered by the producer, the latest version looked up
        Map<String, Object> settings = new HashMap<>(sasl(credential));
        settings.putAll(RegistrySerde.producerProperties(ApicurioRegistry.shared().registryApiUrl()));
        settings.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        settings.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
        try (KafkaProducer<String, BusinessEvent> producer = new KafkaProducer<>(settings)) {
            producer.send(new ProducerRecord<>(topic, event.getEventId(), event)).get(30, TimeUnit.SECONDS);
        }

        Map<String, Object> readSettings = new HashMap<>(RegistrySerde.consumerProperties(
                ApicurioRegistry.shared().registryApiUrl()));
        readSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        readSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, BusinessEvent> consumer = new KafkaConsumer<>(readSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2)));
            List<BusinessEvent> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.value()));
                return !read.isEmpty();
            });
            assertThat(read).containsExactly(event);
        }
        assertThat(new ConfluentRegistry(ApicurioRegistry.shared().confluentApiUrl())
                .latestId("directory.users." + app.id() + "-value")).as("the directory's schema too").isPositive();
    }

    @Test
    void aCredentialCannotReadAnyTopicNorCreateOne() throws Exception {
        App app = app("Kafka reader");
        JsonNode credential = issueAsAdmin(app.id(), Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(credential)) {
            send(producer, "integration.events." + app.id());
        }

        Map<String, Object> consumerSettings = new HashMap<>(sasl(credential));
        consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings)) {
            consumer.assign(List.of(new TopicPartition("integration.events." + app.id(), 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .as("not even its own topic").isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Admin.create(sasl(credential))) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("integration.events." + app.id() + "x", 1,
                    (short) 1))).all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aRevokedCredentialIsRefusedAndItsOpenProducerMayWriteNoMore() throws Exception {
        App app = app("Kafka rotation");
        JsonNode first = issueAsApp(app);
        JsonNode second = issueAsApp(app);
        TestHttp.Response third = http().postJson("/v1/kafka-credentials", bearer(app.token()), Map.of());
        assertThat(third.status()).as(third.body()).isEqualTo(409);
        assertThat(third.text("code")).isEqualTo("kafka-credentials-limit-reached");

        String topic = "integration.events." + app.id();
        try (KafkaProducer<byte[], byte[]> open = producer(first)) {
            send(open, topic);
            TestHttp.Response revoked = http().send("DELETE", "/v1/kafka-credentials/" + first.get("credentialId").asString(),
                    bearer(app.token()), null);
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThatThrownBy(() -> send(open, topic))
                    .isInstanceOf(TopicAuthorizationException.class));
        }
        try (KafkaProducer<byte[], byte[]> fresh = new KafkaProducer<>(producerSettings(first))) {
            assertThatThrownBy(() -> fresh.send(new ProducerRecord<>(topic, bytes("x"))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<byte[], byte[]> rotated = producer(second)) {
            send(rotated, topic);
        }

        JsonNode listed = http().get("/v1/kafka-credentials", bearer(app.token())).json();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("status").asString()).isEqualTo("REVOKED");
        assertThat(listed.get(1).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(listed.toString()).doesNotContain(first.get("password").asString())
                .doesNotContain(second.get("password").asString()).doesNotContain("password");
    }

    @Test
    void aSuspendedAppsCredentialsAreRefusedEveryTopicUntilItIsResumed() throws Exception {
        App app = app("Kafka suspended");
        JsonNode credential = issueAsAdmin(app.id(), Map.of());
        String topic = "integration.events." + app.id();
        try (KafkaProducer<byte[], byte[]> open = producer(credential)) {
            send(open, topic);

            TestHttp.Response suspended = http().postJson("/v1/apps/" + app.id() + "/suspend", admin(), Map.of());
            assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);

            // the broker's own answer, also to a connection opened before
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThatThrownBy(() -> send(open, topic))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessage("Not authorized to access topics: [" + topic + "]"));
            try (KafkaProducer<byte[], byte[]> fresh = producer(credential)) {
                assertThatThrownBy(() -> send(fresh, topic)).isInstanceOf(TopicAuthorizationException.class);
            }
            TestHttp.Response issued = http().postJson("/v1/apps/" + app.id() + "/kafka-credentials", admin(), Map.of());
            assertThat(issued.status()).isEqualTo(403);
            assertThat(issued.text("code")).isEqualTo("app-suspended");

            TestHttp.Response resumed = http().postJson("/v1/apps/" + app.id() + "/resume", admin(), Map.of());
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> send(open, topic));
        }
    }

    @Test
    void eachCredentialIsThrottledByBrokerQuotas() throws Exception {
        App app = app("Kafka quota");
        JsonNode credential = issueAsAdmin(app.id(), Map.of());
        assertThat(credential.get("quota").get("producerByteRate").asLong()).isEqualTo(1_048_576);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<ClientQuotaEntity, Map<String, Double>> quotas = admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER,
                            credential.get("username").asString())))).entities().get(20, TimeUnit.SECONDS);
            assertThat(quotas.values()).singleElement().isEqualTo(Map.of("producer_byte_rate", 1_048_576.0,
                    "request_percentage", 25.0));
        }
    }

    @Test
    void credentialsAreAnAppsOwnAndNeedTheirScope() {
        App app = app("Kafka scopes");
        App other = app("Kafka other");
        JsonNode ofOther = issueAsAdmin(other.id(), Map.of());

        // a token meant for auth-service, without the scope
        String withoutScope = appToken(app.id(), app.certificate(), "user-tokens:mint");
        assertThat(http().postJson("/v1/kafka-credentials", bearer(withoutScope), Map.of()).status()).isEqualTo(403);
        TestHttp.Response notItsOwn = http().send("DELETE", "/v1/kafka-credentials/"
                + ofOther.get("credentialId").asString(), bearer(app.token()), null);
        assertThat(notItsOwn.status()).isEqualTo(404);
        assertThat(notItsOwn.text("code")).isEqualTo("kafka-credential-not-found");
        assertThat(http().get("/v1/kafka-credentials", bearer(app.token())).json()).isEmpty();
        assertThat(http().postJson("/v1/kafka-credentials", bearer(app.token()), Map.of("partitions", 0)).status())
                .isEqualTo(400);
        assertThat(http().postJson("/v1/apps/" + "0".repeat(32) + "/kafka-credentials", admin(), Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void deletingAnAppRemovesItsUsersFromKafka() throws Exception {
        App app = app("Kafka deleted");
        JsonNode credential = issueAsAdmin(app.id(), Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(credential)) {
            send(producer, "integration.events." + app.id());
        }

        assertThat(http().send("DELETE", "/v1/apps/" + app.id(), admin(), null).status()).isEqualTo(204);

        try (KafkaProducer<byte[], byte[]> after = new KafkaProducer<>(producerSettings(credential))) {
            assertThatThrownBy(() -> after.send(new ProducerRecord<>("integration.events." + app.id(), bytes("x")))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    private record App(String id, String certificate, String token) {
    }

    private App app(String name) {
        TestHttp.Response created = createApp(name);
        String id = created.text("appId");
        String certificate = created.text("appCertificate");
        return new App(id, certificate, appToken(id, certificate, "kafka-credentials:admin"));
    }

    private JsonNode issueAsAdmin(String appId, Map<String, Object> body) {
        TestHttp.Response issued = http().postJson("/v1/apps/" + appId + "/kafka-credentials", admin(), body);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json();
    }

    private JsonNode issueAsApp(App app) {
        TestHttp.Response issued = http().postJson("/v1/kafka-credentials", bearer(app.token()), Map.of());
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json();
    }

    private static int partitions(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS)
                    .get(topic);
            return description.partitions().size();
        }
    }

    /** The client settings of a producer or admin that logs in with the credential, as its holder would. */
    private static Map<String, Object> sasl(JsonNode credential) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, credential.get("bootstrapServers").asString(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, credential.get("securityProtocol").asString(),
                SaslConfigs.SASL_MECHANISM, credential.get("mechanism").asString(),
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + credential.get("username").asString() + "\" password=\""
                        + credential.get("password").asString() + "\";");
    }

    private static Map<String, Object> producerSettings(JsonNode credential) {
        Map<String, Object> settings = new HashMap<>(sasl(credential));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    private static KafkaProducer<byte[], byte[]> producer(JsonNode credential) {
        return new KafkaProducer<>(producerSettings(credential));
    }

    /** Sends one record and returns where it was written, or throws what the broker answered. */
    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic) throws Exception {
        try {
            return producer.send(new ProducerRecord<>(topic, bytes("key"), bytes("value"))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
