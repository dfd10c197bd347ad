package io.switchboard.membership;

import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.events.membership.UserState;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.switchboard.membership.TestDirectory.created;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users, their departments (with every department above) and tags reach membership.users as one
 * state per change with a rising version, and a {@link UsersView} built from that topic answers
 * departments, tags and users as message-service routing will ask.
 */
class UserStatesKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    KafkaProperties kafkaProperties;

    TestDirectory directory;

    @BeforeEach
    void salesTree() {
        TestApps.active(appId);
        directory = TestDirectory.salesTree(http(), appId);
    }

    String app() {
        return bearer(tokens.appToken(appId, "users:write", "users:read"));
    }

    static void ok(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 204);
    }

    /** Every state of the user published so far, once one matching {@code match} is there. */
    List<UserState> statesUntil(String userId, Predicate<UserState> match) {
        String key = Topics.userKey(appId, userId);
        TopicProbe.<UserState>awaitRecord(Topics.MEMBERSHIP_USERS.name(),
                r -> r.key().equals(key) && match.test(r.value()));
        return TopicProbe.<UserState>readToEnd(Topics.MEMBERSHIP_USERS.name()).stream()
                .filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
    }

    @Test
    void aUsersStateFollowsTheirProfileLocaleAndDeactivation() {
        created(http().postJson("/v1/users", app(), Map.of("userId", "alice", "displayName", "Alice", "locale", "pt-br")));
        ok(http().send("PATCH", "/v1/users/alice", app(), Map.of("locale", "de")));
        ok(http().send("PATCH", "/v1/users/alice", app(), Map.of("locale", "de")));
        ok(http().send("PATCH", "/v1/users/alice", app(), Map.of("active", false)));

        List<UserState> states = statesUntil("alice", s -> !s.getActive());

        assertThat(states).extracting(UserState::getLocale).containsExactly("pt-BR", "de", "de");
        assertThat(states).extracting(UserState::getVersion).containsExactly(1L, 2L, 3L);
        assertThat(states).extracting(UserState::getActive).containsExactly(true, true, false);
        assertThat(states.getFirst().getDisplayName()).isEqualTo("Alice");
        assertThat(states.getFirst().getAppId()).isEqualTo(appId);
    }

    @Test
    void departmentsComeWithTheirAncestorsAndEveryMembershipChangeRaisesTheVersion() {
        directory.add("oncall", "u3");
        ok(http().send("PATCH", "/v1/directory-groups/sales-de", app(), Map.of("moveToRoot", true)));
        ok(http().delete("/v1/directory-groups/oncall", app()));
        ok(http().delete("/v1/directory-groups/sales-de/members/u3", app()));

        List<UserState> states = statesUntil("u3",
                s -> s.getVersion() > 1 && s.getDepartmentIds().isEmpty() && s.getTags().isEmpty());

        assertThat(states).extracting(s -> s.getDepartmentIds() + " " + s.getTags()).containsExactly(
                "[] []",
                "[sales, sales-de, sales-emea] []",
                "[sales, sales-de, sales-emea] [oncall]",
                "[sales-de] [oncall]",
                "[sales-de] []",
                "[] []");
        assertThat(states).extracting(UserState::getVersion).isSorted().doesNotHaveDuplicates();
        assertThat(http().get("/v1/users/u3", app()).json().get("version").asLong())
                .isEqualTo(states.getLast().getVersion());
        assertThat(statesUntil("u5", s -> s.getTags().isEmpty() && s.getVersion() > 1)).isNotEmpty();
    }

    @Test
    void aDirectoryRecordPublishesOneStateWithItsLocaleDepartmentsAndTags() {
        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), Topics.userKey(appId, "hr-1"),
                DirectoryUser.newBuilder().setAppId(appId).setUserId("hr-1").setLocale("fr-CA")
                        .setDepartmentIds(List.of("sales-de")).setTags(List.of("oncall"))
                        .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build());

        List<UserState> states = statesUntil("hr-1", s -> !s.getTags().isEmpty());

        assertThat(states).hasSize(1);
        assertThat(states.getFirst().getLocale()).isEqualTo("fr-CA");
        assertThat(states.getFirst().getDepartmentIds()).containsExactly("sales", "sales-de", "sales-emea");
        assertThat(states.getFirst().getTags()).containsExactly("oncall");
    }

    @Test
    void aUsersViewAnswersDepartmentSubtreesTagsAndUsersAndIgnoresAnOlderState() throws Exception {
        UsersView view = new UsersView(kafkaProperties);
        view.start();
        try {
            // users are keyed apart, so their records arrive from different partitions in any order
            await().atMost(Duration.ofSeconds(30)).until(() -> view.activeInDepartment(appId, "sales").size() == 3
                    && !view.activeWithTag(appId, "oncall").isEmpty());
            assertThat(view.activeInDepartment(appId, "sales")).containsExactlyInAnyOrder("u1", "u2", "u3");
            assertThat(view.activeInDepartment(appId, "sales-emea")).containsExactlyInAnyOrder("u2", "u3");
            assertThat(view.activeWithTag(appId, "oncall")).containsExactly("u5");
            assertThat(view.find(appId, "nobody")).isEmpty();

            ok(http().send("PATCH", "/v1/users/u2", app(), Map.of("active", false)));
            await().atMost(Duration.ofSeconds(30)).until(() -> view.activeInDepartment(appId, "sales").size() == 2);
            assertThat(view.activeInDepartment(appId, "sales-emea")).containsExactly("u3");
            assertThat(view.find(appId, "u2")).hasValueSatisfying(u2 -> assertThat(u2.getActive()).isFalse());

            UserState u1 = view.find(appId, "u1").orElseThrow();
            TestProducers.sendAvro(Topics.MEMBERSHIP_USERS.name(), Topics.userKey(appId, "u1"),
                    UserState.newBuilder(u1).setVersion(u1.getVersion() - 1).setDepartmentIds(List.of()).build());
            view.awaitCurrentEnd(Duration.ofSeconds(30));
            assertThat(view.find(appId, "u1")).contains(u1);
            assertThat(view.activeInDepartment(appId, "sales")).isEqualTo(Set.of("u1", "u3"));
        } finally {
            view.stop();
        }
    }
}
