package io.switchboard.schemas;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry serde's datum provider with its datum writers and readers cached by schema. The
 * default provider computes the schema's parsing fingerprint for every record to find its cached
 * writer; profiling message-service showed that as the largest single cost of publishing. A
 * {@link Schema} caches its hash code and compares by identity first, so this lookup is cheap.
 */
public class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private record WriterKey(Schema schema, boolean specific) {
    }

    private final Map<WriterKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return writers.computeIfAbsent(new WriterKey(schema, data instanceof SpecificRecord),
                key -> super.createDatumWriter(data, schema));
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        return readers.computeIfAbsent(schema, super::createDatumReader);
    }
}
