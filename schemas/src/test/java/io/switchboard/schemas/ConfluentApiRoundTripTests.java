package io.switchboard.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What our serde writes is what a Confluent-speaking client expects: the Confluent wire format,
 * with an id that the registry's Confluent-compatible API resolves to the same schema.
 */
class ConfluentApiRoundTripTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ApicurioRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.shared();
    }

    @Test
    void recordWrittenByOurSerdeIsReadBackThroughTheConfluentApi() throws Exception {
        BusinessEvent event = dealWon();
        byte[] bytes;
        try (AvroKafkaSerializer<BusinessEvent> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(RegistrySerde.producerProperties(registry.registryApiUrl()), false);
            bytes = serializer.serialize(Topics.INTEGRATION_EVENTS.name(), event);
        }

        assertThat(bytes[0]).as("Confluent magic byte").isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        JsonNode byId = get("/schemas/ids/" + id);
        Schema registered = new Schema.Parser().parse(byId.get("schema").asString());
        assertThat(registered).isEqualTo(BusinessEvent.getClassSchema());

        JsonNode latest = get("/subjects/" + Topics.INTEGRATION_EVENTS.name() + "-value/versions/latest");
        assertThat(latest.get("id").asInt()).isEqualTo(id);

        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(registered);
        GenericRecord decoded = reader.read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
        assertThat(decoded.get("eventId").toString()).isEqualTo(event.getEventId());
        assertThat(decoded.get("eventType").toString()).isEqualTo("deal.won");

        try (AvroKafkaDeserializer<BusinessEvent> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(RegistrySerde.consumerProperties(registry.registryApiUrl()), false);
            assertThat(deserializer.deserialize(Topics.INTEGRATION_EVENTS.name(), bytes)).isEqualTo(event);
        }
    }

    @Test
    void registryRefusesABackwardIncompatibleSchemaThroughTheConfluentApi() throws Exception {
        String subject = "compat-probe-value";
        String v1 = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        String breaking = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                + "{\"name\":\"b\",\"type\":\"long\"}]}";

        assertThat(register(subject, v1).statusCode()).isEqualTo(200);
        assertThat(register(subject, breaking).statusCode()).isEqualTo(409);
    }

    private static BusinessEvent dealWon() {
        return BusinessEvent.newBuilder()
                .setEventId("evt-" + System.nanoTime())
                .setAppId("app-1")
                .setSource("crm")
                .setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-42").setDisplayName("ACME renewal").build())
                .setConcerns(List.of("alice"))
                .setPayload(Map.of("amount", 12000L, "currency", "EUR", "tags", List.of("renewal", "emea")))
                .build();
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> register(String subject, String schema) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
