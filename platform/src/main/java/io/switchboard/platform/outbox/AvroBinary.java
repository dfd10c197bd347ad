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

/**
 * Avro binary of a generated record, without registry framing: how the outbox keeps a record
 * until the relay serializes it for Kafka (the class name travels beside the bytes).
 */
final class AvroBinary {

    private AvroBinary() {
    }

    static byte[] encode(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static SpecificRecord decode(String className, byte[] bytes) {
        try {
            Class<?> type = Class.forName(className);
            Schema schema = SpecificData.get().getSchema(type);
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(schema);
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Unknown outbox record type " + className, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
