package io.switchboard.membership.users;

import io.switchboard.membership.Ids;
import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Provisions users from an upstream directory's {@code directory.users} records. A record that
 * cannot be read or names an invalid user goes to {@code directory.users.dlt} with the reason; a
 * database outage is retried (see DeadLetters), so nothing is lost.
 */
@Component
class DirectoryUsersListener {

    private static final Pattern USER_ID = Pattern.compile(Ids.PATTERN);

    private final Users users;
    private final MeterRegistry meters;

    DirectoryUsersListener(Users users, MeterRegistry meters) {
        this.users = users;
        this.meters = meters;
    }

    @KafkaListener(id = "directory-users", topics = "#{T(io.switchboard.schemas.Topics).DIRECTORY_USERS.name()}",
            groupId = "membership-directory-users")
    void onDirectoryUser(ConsumerRecord<String, DirectoryUser> record) {
        DirectoryUser user = record.value();
        Users.Outcome outcome;
        if (user == null) {
            outcome = tombstone(record.key());
        } else {
            if (!USER_ID.matcher(user.getUserId()).matches() || user.getAppId().isBlank()) {
                throw new UnprocessableRecordException("validation-failed",
                        "Invalid app or user id in directory record " + record.key());
            }
            outcome = users.applyDirectory(user);
        }
        meters.counter("switchboard.directory.users", "outcome", outcome.name().toLowerCase()).increment();
    }

    private Users.Outcome tombstone(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0 || !USER_ID.matcher(key.substring(slash + 1)).matches()) {
            throw new UnprocessableRecordException("validation-failed", "A tombstone needs the key <appId>/<userId>");
        }
        return users.deactivateFromDirectory(key.substring(0, slash), key.substring(slash + 1));
    }
}
