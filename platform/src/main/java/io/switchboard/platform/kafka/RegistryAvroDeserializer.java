package io.switchboard.platform.kafka;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Apicurio's Avro deserializer, with the two ways the schema registry can fail a record told
 * apart by type: {@link UnknownSchemaException} (the registry has no schema with the record's id:
 * bad input, dead-lettered as {@value DeadLetters#UNKNOWN_SCHEMA}) and
 * {@link SchemaRegistryUnavailableException} (the registry could not be asked, or would not
 * answer: retried until it does). Apicurio's own exceptions cannot say this once Spring Kafka's
 * {@code ErrorHandlingDeserializer} has carried them to the error handler: it Java-serializes the
 * failure into a header, and the registry client's exception (Kiota's, with the HTTP status) is
 * not serializable, so only a message survives. These two are.
 *
 * @param <T> the Avro value type
 */
public final class RegistryAvroDeserializer<T> implements Deserializer<T> {

    private final AvroKafkaDeserializer<T> avro = new AvroKafkaDeserializer<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        try {
            return avro.deserialize(topic, data);
        } catch (RuntimeException e) {
            throw classified(e, data);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        try {
            return avro.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            throw classified(e, data);
        }
    }

    @Override
    public void close() {
        avro.close();
    }

    private static RuntimeException classified(RuntimeException failure, byte[] data) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException answer && answer.getResponseStatusCode() == 404) {
                return new UnknownSchemaException("The registry has no schema with id " + schemaId(data));
            }
            if (RegistryTrouble.is(cause)) {
                return new SchemaRegistryUnavailableException("The schema registry did not answer: " + cause);
            }
        }
        return failure;
    }

    /** The schema id of a Confluent-framed record (magic byte 0, then a 4-byte id). */
    private static String schemaId(byte[] data) {
        return data != null && data.length >= 5 && data[0] == 0
                ? String.valueOf(ByteBuffer.wrap(data, 1, 4).getInt()) : "(not framed)";
    }

    /** The registry has no schema with the id the record names: the record can never be read. */
    public static final class UnknownSchemaException extends SerializationException {
        UnknownSchemaException(String message) {
            super(message);
        }
    }

    /** The registry could not be reached, timed out, failed (5xx) or refused this client (401, 403, 429): the record is readable later. */
    public static final class SchemaRegistryUnavailableException extends SerializationException {
        SchemaRegistryUnavailableException(String message) {
            super(message);
        }
    }
}
