package io.switchboard.bench;

import io.switchboard.schemas.RegistrySerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/** Producers as the benchmarks' upstream systems use them: the registry's Avro serde, {@code acks=all}, else defaults. */
final class AvroProducers {

    private AvroProducers() {
    }

    static KafkaProducer<String, Object> create(String bootstrapServers, String registryApi) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(registryApi));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties);
    }
}
