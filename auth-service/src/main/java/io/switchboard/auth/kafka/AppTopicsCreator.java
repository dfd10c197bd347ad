package io.switchboard.auth.kafka;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;

/**
 * Creates an app's upstream topics with its first credential, with Kafka's Admin API whoever runs
 * Kafka (auth-service's principal needs {@code CREATE} on the {@code integration.events.} and
 * {@code directory.users.} prefixes). Topics that exist are left as they are: a later credential
 * shares them, and a partition count asked for then does not change them.
 */
class AppTopicsCreator {

    private final Admin admin;
    private final KafkaTopicsProperties topicSettings;

    AppTopicsCreator(Admin admin, KafkaTopicsProperties topicSettings) {
        this.admin = admin;
        this.topicSettings = topicSettings;
    }

    void createMissing(Topics.AppTopics topics) {
        List<NewTopic> wanted = topics.all().stream().map(t -> TopicDeclarations.toNewTopic(t, topicSettings)).toList();
        admin.createTopics(wanted).values().forEach((topic, created) ->
                AdminCalls.await("create topic " + topic, created, TopicExistsException.class));
    }
}
