package io.switchboard.schemas;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document and the topic catalog in code describe the same topics. */
class AsyncApiDocumentTests {

    private final JsonNode document = new YAMLMapper().readTree(Path.of("asyncapi.yaml").toFile());

    @Test
    void everyTopicOfTheCatalogIsAChannelWithItsPartitionsAndCleanupPolicy() {
        Map<String, JsonNode> channels = new HashMap<>();
        document.get("channels").forEach(channel -> channels.put(channel.get("address").asString(), channel));

        List<String> topics = new ArrayList<>(Topics.all().stream().map(TopicSpec::name).toList());
        // each app's own topics, one channel per kind with the app id as a parameter
        Topics.ofApp("0".repeat(32), 1).all().forEach(topic -> topics.add(topic.name().replace("0".repeat(32), "{appId}")));
        assertThat(channels.keySet()).containsExactlyInAnyOrderElementsOf(topics);
        for (TopicSpec topic : Topics.all()) {
            JsonNode kafka = channels.get(topic.name()).get("bindings").get("kafka");
            assertThat(kafka.get("partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions());
            if (topic.compacted()) {
                assertThat(kafka.get("topicConfiguration").get("cleanup.policy").get(0).asString()).isEqualTo("compact");
            }
        }
    }

    @Test
    void everyReferencedSchemaFileExists() {
        document.get("components").get("messages").forEach(message -> {
            JsonNode schema = message.path("payload").path("schema").path("$ref");
            if (!schema.isMissingNode()) {
                assertThat(Files.exists(Path.of(schema.asString()))).as(schema.asString()).isTrue();
            }
        });
    }
}
