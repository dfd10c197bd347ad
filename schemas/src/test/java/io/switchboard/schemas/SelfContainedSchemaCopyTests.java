package io.switchboard.schemas;

import io.switchboard.schemas.compat.SchemaSourcesAccess;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producers outside Java register a schema of their own through the registry's Confluent API;
 * the example Node.js producer ships {@code BusinessEvent} as one self-contained file (its
 * {@code BusinessEntity} inlined). That copy must be the contract, so changing a schema here fails
 * until the copy is regenerated.
 */
class SelfContainedSchemaCopyTests {

    private static final Path NODE_PRODUCER_COPY = Path.of("../examples/node-producer/BusinessEvent.avsc");

    @Test
    void nodeProducerShipsTheCurrentBusinessEventSchema() throws IOException {
        Schema contract = SchemaSourcesAccess.parse("src/main/avro").get("BusinessEvent");
        String expected = SchemaFormatter.format("json/pretty", contract) + "\n";
        Path regenerated = Path.of("target", NODE_PRODUCER_COPY.getFileName().toString());
        Files.writeString(regenerated, expected);

        assertThat(Files.readString(NODE_PRODUCER_COPY))
                .as("%s is out of date; copy %s over it", NODE_PRODUCER_COPY.normalize(), regenerated.toAbsolutePath())
                .isEqualTo(expected);
    }
}
