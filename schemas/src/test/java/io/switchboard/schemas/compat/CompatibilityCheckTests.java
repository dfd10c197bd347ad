package io.switchboard.schemas.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityCheckTests {

    private static final String RELEASED_DEAL = """
            {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
              {"name":"id","type":"string","doc":"d"}]}""";

    @TempDir
    Path sources;
    @TempDir
    Path released;

    @Test
    void repositorySchemasAreCompatibleWithTheirReleasedVersions() {
        assertThat(CompatibilityCheck.check(Path.of("src/main/avro"), Path.of("released"))).isEmpty();
    }

    @Test
    void everyRepositorySchemaHasAReleasedVersion() {
        assertThat(SchemaSources.parse(Path.of("src/main/avro")).keySet())
                .allSatisfy(name -> assertThat(Path.of("released", name, "v1.avsc")).exists());
    }

    @Test
    void addingAFieldWithoutDefaultIsRefused() throws IOException {
        releaseDeal();
        writeSource("Deal", """
                {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
                  {"name":"id","type":"string","doc":"d"},
                  {"name":"amount","type":"long","doc":"d"}]}""");

        assertThat(CompatibilityCheck.check(sources, released))
                .singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("amount"));
    }

    @Test
    void changingAFieldTypeIsRefused() throws IOException {
        releaseDeal();
        writeSource("Deal", """
                {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
                  {"name":"id","type":"int","doc":"d"}]}""");

        assertThat(CompatibilityCheck.check(sources, released)).hasSize(1);
    }

    @Test
    void removingAReleasedSchemaIsRefused() throws IOException {
        releaseDeal();

        assertThat(CompatibilityCheck.check(sources, released))
                .singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo("the schema was removed"));
    }

    @Test
    void addingAFieldWithDefaultIsAccepted() throws IOException {
        releaseDeal();
        writeSource("Deal", """
                {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
                  {"name":"id","type":"string","doc":"d"},
                  {"name":"owner","type":["null","string"],"default":null,"doc":"d"}]}""");

        assertThat(CompatibilityCheck.check(sources, released)).isEmpty();
    }

    @Test
    void theBuildGateFailsOnABreakingChange() throws IOException {
        releaseDeal();
        writeSource("Deal", """
                {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
                  {"name":"amount","type":"long","doc":"d"}]}""");

        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        CompatibilityCheck.main(new String[]{sources.toString(), released.toString()}))
                .hasMessageContaining("break BACKWARD compatibility");
    }

    @Test
    void releaseRecordsANewVersionOnlyWhenTheSchemaChanged() throws IOException {
        releaseDeal();
        writeSource("Deal", RELEASED_DEAL);
        assertThat(CompatibilityCheck.release(sources, released)).isEmpty();

        writeSource("Deal", """
                {"type":"record","name":"Deal","namespace":"t","doc":"d","fields":[
                  {"name":"id","type":"string","doc":"d"},
                  {"name":"owner","type":["null","string"],"default":null,"doc":"d"}]}""");
        assertThat(CompatibilityCheck.release(sources, released))
                .containsExactly(released.resolve("Deal/v2.avsc"));
    }

    private void releaseDeal() throws IOException {
        Files.createDirectories(released.resolve("Deal"));
        Files.writeString(released.resolve("Deal/v1.avsc"), RELEASED_DEAL);
    }

    private void writeSource(String name, String schema) throws IOException {
        Files.writeString(sources.resolve(name + ".avsc"), schema);
    }
}
