package io.switchboard.platform.testing;

import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Apps' own upstream topics on the tests' embedded broker, made as auth-service makes them with an app's credentials. */
public final class TestAppTopics {

    private TestAppTopics() {
    }

    /** A new app id as auth-service makes them (32 hex digits), which app topic names carry. */
    public static String newAppId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Creates the app's topics and their dead-letter topics, one partition each. */
    public static Topics.AppTopics create(String appId) {
        Topics.AppTopics topics = Topics.ofApp(appId, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS)))) {
            admin.createTopics(topics.all().stream().map(TopicSpec::name).map(name -> new NewTopic(name, 1, (short) 1))
                    .toList()).all().get(30, TimeUnit.SECONDS);
            return topics;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the topics of app " + appId, e);
        }
    }
}
