package io.switchboard.schemas.registry;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import io.switchboard.stack.ApicurioRegistry;
import io.switchboard.stack.Net;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry setup every deployment runs at start, against a real Apicurio Registry. */
class RegisterSchemasTests {

    private final ApicurioRegistry apicurio = ApicurioRegistry.shared();
    private final ConfluentRegistry registry = new ConfluentRegistry(apicurio.confluentApiUrl());

    @Test
    void everyTopicsSchemaIsRegisteredOnceUnderItsValueSubject() {
        List<TopicSpec> withSchemas = Topics.all().stream().filter(topic -> topic.valueType() != null).toList();

        assertThat(RegisterSchemas.registerAll(registry)).isEqualTo(withSchemas.size());
        Map<String, Integer> ids = latestIds(withSchemas);
        assertThat(ids.values()).allMatch(id -> id > 0);

        RegisterSchemas.registerAll(registry);
        assertThat(latestIds(withSchemas)).as("a second run changes nothing").isEqualTo(ids);
    }

    @Test
    void aProducerThatRegistersNothingFindsTheSchemaAndItsRecordReadsBack() {
        RegisterSchemas.registerAll(registry);
        BusinessEvent event = BusinessEvent.newBuilder().setEventId("registered-only").setAppId("a".repeat(32))
                .setSource("crm").setEventType("deal.won").setOccurredAt(Instant.parse("2026-12-07T10:15:30Z"))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-1").build())
                .setConcerns(List.of()).setPayload(Map.of()).build();
        Map<String, Object> settings = new java.util.HashMap<>(RegistrySerde.producerProperties(apicurio.registryApiUrl()));
        settings.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        settings.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);

        byte[] bytes;
        try (AvroKafkaSerializer<BusinessEvent> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(settings, false);
            bytes = serializer.serialize(Topics.INTEGRATION_EVENTS.name(), event);
        }
        try (AvroKafkaDeserializer<BusinessEvent> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(RegistrySerde.consumerProperties(apicurio.registryApiUrl()), false);
            assertThat(deserializer.deserialize(Topics.INTEGRATION_EVENTS.name(), bytes)).isEqualTo(event);
        }
    }

    @Test
    void anUnreachableRegistryFailsWithWhereItWasLookedFor() {
        String nowhere = "http://127.0.0.1:" + Net.freePort() + "/apis/ccompat/v7";

        assertThatThrownBy(() -> RegisterSchemas.registerAll(new ConfluentRegistry(nowhere)))
                .isInstanceOf(ConfluentRegistry.RegistryException.class)
                .hasMessageContaining("PUT " + nowhere + "/config failed");
    }

    private Map<String, Integer> latestIds(List<TopicSpec> topics) {
        return topics.stream().collect(Collectors.toMap(TopicSpec::name,
                topic -> registry.latestId(ConfluentRegistry.valueSubject(topic.name()))));
    }
}
