package io.switchboard.e2e;

import io.switchboard.client.Endpoints;
import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.UpstreamProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./switchboard demo}: runs the walking skeleton's path against a running local stack and
 * prints what the users received. The CRM publishes as upstream systems do: with the app's own
 * Kafka credential, on the app's own topic. Exits non-zero if the notification does not arrive.
 */
public final class DealWonDemo {

    private DealWonDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(System.getenv().getOrDefault("SWITCHBOARD_DATA_DIR", ".switchboard"));
        String adminPassword = Files.readString(dataDirectory.resolve("admin-password")).strip();
        try (SwitchboardClient client = new SwitchboardClient(Endpoints.localDefaults());
             DealWonScenario scenario = DealWonScenario.setUp(client, adminPassword, List.of("alice", "bob"))) {
            System.out.println("App " + scenario.app().appId() + ": alice and bob are connected to '"
                    + DealWonScenario.CONVERSATION + "'");
            JsonNode credential = client.issueKafkaCredential(
                    client.appToken(scenario.app(), "kafka-credentials:admin"));
            System.out.println("CRM publishes a deal.won on " + credential.get("bootstrapServers").asString()
                    + " as " + credential.get("username").asString());
            long sent;
            try (UpstreamProducer crm = UpstreamProducer.connect(credential)) {
                sent = System.nanoTime();
                RecordMetadata written = crm.publish(scenario.dealWon("ACME renewal", 12000));
                System.out.println("Written to " + written.topic() + " (an app's new topic is found by routing within 5 s)");
            }
            for (String user : List.of("alice", "bob")) {
                PushConnection.Frame frame = scenario.connection(user).next("message.created",
                        DealWonScenario.TIMEOUT.multipliedBy(2));
                System.out.printf(Locale.ROOT, "%s received seq %d in %s after %.1f ms: %s%n", user,
                        frame.json().get("seq").asLong(), frame.json().get("conversationId").asString(),
                        (frame.receivedNanos() - sent) / 1e6, frame.json().get("text").asString());
            }
        }
    }
}
