package io.switchboard.auth.kafka;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import io.switchboard.schemas.registry.ConfluentRegistry;
import org.apache.avro.specific.SpecificData;

/**
 * Registers the schemas of an app's own topics under {@code integration.events.<appId>-value} and
 * {@code directory.users.<appId>-value} (Confluent's default TopicNameStrategy) with each credential,
 * so the app's producers need no right to register anything: they run with
 * {@code auto.register.schemas=false} and {@code use.latest.version=true} and find them.
 */
class AppSchemas {

    private final ConfluentRegistry registry;

    AppSchemas(ConfluentRegistry registry) {
        this.registry = registry;
    }

    /** Registers what is missing; a subject that has the schema already keeps its id. */
    void registerMissing(Topics.AppTopics topics) {
        for (TopicSpec topic : topics.written()) {
            try {
                registry.register(ConfluentRegistry.valueSubject(topic.name()), SpecificData.get().getSchema(topic.valueType()));
            } catch (ConfluentRegistry.RegistryException e) {
                throw new ApiException(ErrorCode.SCHEMA_REGISTRY_UNAVAILABLE, "The schema registry did not register "
                        + "the schema of " + topic.name() + "; nothing was issued, retry later");
            }
        }
    }
}
