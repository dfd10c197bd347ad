package io.switchboard.schemas;

import io.switchboard.schemas.compat.SchemaSourcesAccess;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every record, enum and field of the contract explains itself. */
class SchemaDocumentationTests {

    @Test
    void everyRecordEnumAndFieldHasADoc() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        SchemaSourcesAccess.parse("src/main/avro").values().forEach(s -> collect(s, undocumented, seen));
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyTopicValueTypeIsASchemaOfThisModule() {
        assertThat(Topics.all()).filteredOn(t -> t.valueType() != null)
                .allSatisfy(t -> assertThat(SchemaSourcesAccess.parse("src/main/avro"))
                        .containsKey(t.valueType().getSimpleName()));
    }

    private static void collect(Schema schema, List<String> undocumented, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                check(schema.getFullName(), schema.getDoc(), undocumented);
                for (Schema.Field field : schema.getFields()) {
                    check(schema.getFullName() + "." + field.name(), field.doc(), undocumented);
                    collect(field.schema(), undocumented, seen);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    check(schema.getFullName(), schema.getDoc(), undocumented);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collect(t, undocumented, seen));
            case ARRAY -> collect(schema.getElementType(), undocumented, seen);
            case MAP -> collect(schema.getValueType(), undocumented, seen);
            default -> {
            }
        }
    }

    private static void check(String name, String doc, List<String> undocumented) {
        if (doc == null || doc.isBlank()) {
            undocumented.add(name);
        }
    }
}
