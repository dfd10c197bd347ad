package io.switchboard.schemas.registry;

import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import org.apache.avro.specific.SpecificData;

/**
 * Prepares a schema registry for Switchboard, once at every start of a deployment: the
 * registry-wide compatibility rule {@code BACKWARD}, and the current schema of every topic's values
 * under {@code <topic>-value}. Producers can then run as production ones should, with
 * {@code auto.register.schemas=false} and {@code use.latest.version=true}, from the first record.
 * Idempotent: a schema the subject has already keeps its id.
 *
 * <p>Run by the local stack, compose's {@code registry-setup} and the Kubernetes Job of the same
 * name, from any service's jar or image:
 * {@code java -Dloader.main=io.switchboard.schemas.registry.RegisterSchemas
 * org.springframework.boot.loader.launch.PropertiesLauncher <registry's Confluent API URL>}.
 * Exits with 1, saying why, when the registry refuses a schema or cannot be reached.
 */
public final class RegisterSchemas {

    private RegisterSchemas() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : System.getenv("SCHEMA_REGISTRY_URL");
        if (url == null || url.isBlank()) {
            System.err.println("Usage: RegisterSchemas <registry's Confluent API URL, e.g. "
                    + "http://registry:8080/apis/ccompat/v7> (or SCHEMA_REGISTRY_URL)");
            System.exit(2);
        }
        try {
            int registered = registerAll(new ConfluentRegistry(url));
            System.out.println("Registry " + url + ": compatibility BACKWARD, " + registered + " subjects registered");
        } catch (ConfluentRegistry.RegistryException e) {
            System.err.println("Registering Switchboard's schemas failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Sets the compatibility rule and registers every topic's value schema; returns how many subjects. */
    public static int registerAll(ConfluentRegistry registry) {
        registry.setCompatibility("BACKWARD");
        int registered = 0;
        for (TopicSpec topic : Topics.all()) {
            if (topic.valueType() != null) {
                registry.register(ConfluentRegistry.valueSubject(topic.name()),
                        SpecificData.get().getSchema(topic.valueType()));
                registered++;
            }
        }
        return registered;
    }
}
