package io.switchboard.platform.outbox;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro binary of a generated record, without registry framing: how the outbox keeps a record
 * until the relay serializes it for Kafka (the class name travels beside the bytes).
 */
final class AvroBinary {

    private AvroBinary() {
    }

    private static final Map<Class<?>, SpecificDatumWriter<SpecificRecord>> WRITERS = new ConcurrentHashMap<>();
    // by class name: resolving a name through the class loader on every row showed in profiles
    private static final Map<String, SpecificDatumReader<SpecificRecord>> READERS = new ConcurrentHashMap<>();

    static byte[] encode(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            WRITERS.computeIfAbsent(record.getClass(), type -> new SpecificDatumWriter<>(record.getSchema()))
                    .write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws UndecodableException when the bytes or the class name cannot make a record (any more) */
    static SpecificRecord decode(String className, byte[] bytes) {
        try {
            return READERS.computeIfAbsent(className, AvroBinary::reader)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException | RuntimeException e) {
            throw new UndecodableException("Outbox row of type " + className + " cannot be decoded: " + e, e);
        }
    }

    private static SpecificDatumReader<SpecificRecord> reader(String className) {
        try {
            Schema schema = SpecificData.get().getSchema(Class.forName(className));
            return new SpecificDatumReader<>(schema);
        } catch (ClassNotFoundException e) {
            throw new UndecodableException("Unknown outbox record type " + className, e);
        }
    }

    /** An outbox row that no longer decodes: its class is gone, or its bytes do not fit it. */
    static final class UndecodableException extends RuntimeException {
        UndecodableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
