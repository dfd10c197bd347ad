package io.switchboard.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's schemas outlive a restart of the registry, so the records its topics keep stay
 * readable; a data folder made when they were kept in Kafka goes on reading them from there.
 */
class RegistryStorageTests {

    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Deal\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    @TempDir
    Path data;

    @Test
    void schemasKeptInTheDataFolderKeepTheirIdsAcrossARestart() throws Exception {
        ApicurioRegistry.Storage storage = Stack.registryStorage(data, true, 9092);
        assertThat(storage).isEqualTo(ApicurioRegistry.Storage.file(data.resolve("registry")));

        String id;
        try (ApicurioRegistry registry = start(storage)) {
            HttpResponse<String> registered = send(HttpRequest.newBuilder(
                            URI.create(registry.confluentApiUrl() + "/subjects/deals-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(SCHEMA)));
            assertThat(registered.statusCode()).isEqualTo(200);
            id = registered.body().replaceAll("\\D", "");
        }
        try (ApicurioRegistry restarted = start(storage)) {
            HttpResponse<String> schema = send(HttpRequest.newBuilder(
                    URI.create(restarted.confluentApiUrl() + "/schemas/ids/" + id)).GET());

            assertThat(schema.statusCode()).isEqualTo(200);
            assertThat(schema.body()).contains("Deal");
        }
    }

    @Test
    void aDataFolderWhoseSchemasAreInKafkaKeepsThemThereAndTestsKeepThemInMemory() throws Exception {
        Files.createDirectories(data.resolve("kafka-logs/kafkasql-journal-0"));

        assertThat(Stack.registryStorage(data, true, 19092)).isEqualTo(ApicurioRegistry.Storage.kafka("127.0.0.1:19092"));
        assertThat(Stack.registryStorage(data, false, 19092)).isEqualTo(ApicurioRegistry.Storage.inMemory());
    }

    private ApicurioRegistry start(ApicurioRegistry.Storage storage) {
        return ApicurioRegistry.start(ApicurioRegistry.locateHome(), Net.freePort(), storage, data,
                data.resolve("logs/registry.log"), List.of("-Xmx256m"));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
