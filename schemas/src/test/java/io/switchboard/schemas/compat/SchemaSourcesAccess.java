package io.switchboard.schemas.compat;

import org.apache.avro.Schema;

import java.nio.file.Path;
import java.util.Map;

/** Lets tests in other packages parse the schema sources the way the compatibility gate does. */
public final class SchemaSourcesAccess {

    private SchemaSourcesAccess() {
    }

    public static Map<String, Schema> parse(String folder) {
        return SchemaSources.parse(Path.of(folder));
    }
}
