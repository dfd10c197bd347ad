package io.switchboard.membership.directory;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.membership.Ids;
import io.switchboard.membership.users.LanguageTags;
import io.switchboard.membership.users.Users;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Provisions users, and their departments and tags, from an upstream directory's records on
 * {@code directory.users} and on every app's own {@code directory.users.<appId>}
 * ({@link Topics#DIRECTORY_USERS_PATTERN}, found within {@code switchboard.directory.topic-discovery-ms}),
 * each in one transaction. A record that cannot be read, names an invalid user or locale, or an
 * unknown department or tag goes to {@code <topic>.dlt} with the reason (replay it once the group
 * exists), as does one on an app's own topic that names another app ({@code tenant-mismatch}: only
 * that app's credentials can write it); a database outage is retried (see DeadLetters), so nothing
 * is lost.
 */
@Component
class DirectorySyncListener {

    private static final Pattern USER_ID = Pattern.compile(Ids.PATTERN);

    private final Users users;
    private final DirectoryGroups groups;
    private final MeterRegistry meters;

    DirectorySyncListener(Users users, DirectoryGroups groups, MeterRegistry meters) {
        this.users = users;
        this.groups = groups;
        this.meters = meters;
    }

    @KafkaListener(id = "directory-users", topicPattern = "#{T(io.switchboard.schemas.Topics).DIRECTORY_USERS_PATTERN}",
            properties = "metadata.max.age.ms=${switchboard.directory.topic-discovery-ms}",
            groupId = "membership-directory-users")
    void onDirectoryUser(ConsumerRecord<String, DirectoryUser> record) {
        DirectoryUser user = record.value();
        Users.Outcome outcome;
        if (user == null) {
            outcome = tombstone(record.topic(), record.key());
        } else {
            requireTopicsApp(record.topic(), user.getAppId(), record.key());
            if (!USER_ID.matcher(user.getUserId()).matches() || user.getAppId().isBlank()) {
                throw new UnprocessableRecordException("validation-failed",
                        "Invalid app or user id in directory record " + record.key());
            }
            if (user.getLocale() != null && LanguageTags.canonical(user.getLocale()).isEmpty()) {
                throw new UnprocessableRecordException("validation-failed",
                        "Locale '" + user.getLocale() + "' of directory record " + record.key()
                                + " is not a BCP 47 language tag");
            }
            outcome = groups.applyDirectoryRecord(user);
        }
        meters.counter("switchboard.directory.users", "outcome", outcome.name().toLowerCase()).increment();
    }

    private Users.Outcome tombstone(String topic, String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0 || !USER_ID.matcher(key.substring(slash + 1)).matches()) {
            throw new UnprocessableRecordException("validation-failed", "A tombstone needs the key <appId>/<userId>");
        }
        requireTopicsApp(topic, key.substring(0, slash), key);
        return users.deactivateFromDirectory(key.substring(0, slash), key.substring(slash + 1));
    }

    /** On an app's own topic, the record must be that app's: the topic, not the record, says whose it is. */
    private static void requireTopicsApp(String topic, String appId, String key) {
        String topicApp = Topics.appOfTopic(topic);
        if (topicApp != null && !topicApp.equals(appId)) {
            throw new UnprocessableRecordException("tenant-mismatch", "Directory record " + key + " names app " + appId
                    + " but was written on the topic of app " + topicApp);
        }
    }
}
