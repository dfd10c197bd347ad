package io.switchboard.membership.directory;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.membership.Ids;
import io.switchboard.membership.users.LanguageTags;
import io.switchboard.membership.users.Users;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Provisions users, and their departments and tags, from an upstream directory's
 * {@code directory.users} records, each in one transaction. A record that cannot be read, names an
 * invalid user or locale, or an unknown department or tag goes to {@code directory.users.dlt} with
 * the reason (replay it once the group exists); a database outage is retried (see DeadLetters), so
 * nothing is lost.
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
            if (user.getLocale() != null && LanguageTags.canonical(user.getLocale()).isEmpty()) {
                throw new UnprocessableRecordException("validation-failed",
                        "Locale '" + user.getLocale() + "' of directory record " + record.key()
                                + " is not a BCP 47 language tag");
            }
            outcome = groups.applyDirectoryRecord(user);
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
