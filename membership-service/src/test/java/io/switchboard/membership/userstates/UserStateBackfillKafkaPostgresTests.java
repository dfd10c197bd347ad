package io.switchboard.membership.userstates;

import io.switchboard.events.membership.UserState;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Users that existed before membership.users did are published once, when they are queued. */
class UserStateBackfillKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserStateBackfill backfill;

    /** A user as an earlier version of membership-service left them: stored, never published. */
    void storedBeforeUpgrade(String userId, String departmentId) {
        OffsetDateTime then = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        jdbc.sql("INSERT INTO users (app_id, user_id, display_name, locale, version, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 'en', 4, ?, ?)")
                .params(appId, userId, "Old " + userId, then, then).update();
        jdbc.sql("INSERT INTO directory_groups (app_id, group_id, kind, name, created_at, updated_at) "
                        + "VALUES (?, ?, 'DEPARTMENT', ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(appId, departmentId, departmentId, then, then).update();
        jdbc.sql("INSERT INTO directory_group_members (app_id, group_id, user_id) VALUES (?, ?, ?)")
                .params(appId, departmentId, userId).update();
        jdbc.sql("INSERT INTO user_state_backfill (app_id, user_id) VALUES (?, ?)").params(appId, userId).update();
    }

    @Test
    void queuedUsersArePublishedWithTheirStoredVersionAndDequeued() {
        storedBeforeUpgrade("veteran", "ops");
        storedBeforeUpgrade("old-timer", "ops");

        assertThat(backfill.publishQueued()).isEqualTo(2);
        assertThat(backfill.publishQueued()).isZero();

        String key = Topics.userKey(appId, "veteran");
        UserState veteran = TopicProbe.<UserState>awaitRecord(Topics.MEMBERSHIP_USERS.name(), r -> r.key().equals(key))
                .stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow().value();
        assertThat(veteran.getVersion()).isEqualTo(4);
        assertThat(veteran.getLocale()).isEqualTo("en");
        assertThat(veteran.getDepartmentIds()).containsExactly("ops");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM user_state_backfill WHERE app_id = ?").param(appId)
                .query(Long.class).single()).isZero();
        assertThat(TopicProbe.<UserState>readToEnd(Topics.MEMBERSHIP_USERS.name()))
                .filteredOn(r -> r.key().startsWith(appId + "/")).extracting(r -> r.value().getUserId())
                .containsExactlyInAnyOrderElementsOf(List.of("veteran", "old-timer"));
    }
}
