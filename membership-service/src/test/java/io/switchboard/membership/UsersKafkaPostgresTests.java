package io.switchboard.membership;

import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Users provisioned over HTTP and from the directory topic; only active users join conversations. */
class UsersKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void appExists() {
        TestApps.active(appId);
    }

    String app() {
        return bearer(tokens.appToken(appId, "users:write", "users:read", "conversations:write", "conversations:read"));
    }

    @Test
    void usersAreCreatedChangedDeactivatedAndFound() {
        TestHttp.Response created = http().postJson("/v1/users", app(), Map.of("userId", "alice",
                "displayName", "Alice Smith", "email", "alice@example.com", "metadata", Map.of("title", "AE")));
        TestHttp.Response again = http().postJson("/v1/users", app(), Map.of("userId", "alice"));
        TestHttp.Response changed = http().send("PATCH", "/v1/users/alice", app(), Map.of("displayName", "Alice Jones"));
        TestHttp.Response deactivated = http().send("PATCH", "/v1/users/alice", app(), Map.of("active", false));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("user-exists");
        assertThat(changed.text("displayName")).isEqualTo("Alice Jones");
        assertThat(changed.json().get("metadata").get("title").asString()).isEqualTo("AE");
        assertThat(deactivated.json().get("active").asBoolean()).isFalse();
        assertThat(http().get("/v1/users?search=alice", app()).json().get("users").size()).isZero();
        assertThat(http().get("/v1/users?search=alice&includeInactive=true", app()).json().get("users").size()).isOne();
        TestHttp.Response badEmail = http().postJson("/v1/users", app(), Map.of("userId", "bob", "email", "not-an-email"));
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(http().get("/v1/users/nobody", app()).text("code")).isEqualTo("user-not-found");
        TestHttp.Response userToken = http().get("/v1/users", bearer(tokens.userToken(appId, "carol", "users:read")));
        assertThat(userToken.status()).isEqualTo(403);
    }

    @Test
    void aLocaleIsABcp47LanguageTagKeptInCanonicalCase() {
        TestHttp.Response created = http().postJson("/v1/users", app(), Map.of("userId", "ana", "locale", "pt-br"));
        TestHttp.Response changed = http().send("PATCH", "/v1/users/ana", app(), Map.of("locale", "ZH-hant-tw"));
        TestHttp.Response kept = http().send("PATCH", "/v1/users/ana", app(), Map.of("displayName", "Ana"));
        TestHttp.Response imported = http().postJson("/v1/users/import", app(),
                Map.of("users", List.of(Map.of("userId", "ben", "locale", "de"))));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.text("locale")).isEqualTo("pt-BR");
        assertThat(changed.text("locale")).isEqualTo("zh-Hant-TW");
        assertThat(kept.text("locale")).isEqualTo("zh-Hant-TW");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(http().get("/v1/users/ben", app()).text("locale")).isEqualTo("de");
        assertThat(http().get("/v1/users/ana", app()).text("locale")).isEqualTo("zh-Hant-TW");

        for (TestHttp.Response refused : List.of(
                http().postJson("/v1/users", app(), Map.of("userId", "cem", "locale", "english please")),
                http().send("PATCH", "/v1/users/ana", app(), Map.of("locale", "en_US")),
                http().send("PATCH", "/v1/users/ana", app(), Map.of("locale", "und")),
                http().postJson("/v1/users/import", app(),
                        Map.of("users", List.of(Map.of("userId", "dan", "locale", "de-")))))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.text("code")).isEqualTo("validation-failed");
            assertThat(refused.body()).contains("locale");
        }
        assertThat(http().get("/v1/users/ana", app()).text("locale")).isEqualTo("zh-Hant-TW");
        assertThat(http().get("/v3/api-docs", null).body()).contains("a BCP 47 language tag");
    }

    @Test
    void importIsIdempotentAndListingPagesAndSearchesByNamePrefix() {
        List<Map<String, String>> people = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            people.add(Map.of("userId", "emp-%02d".formatted(i), "displayName", (i % 2 == 0 ? "Sales " : "Support ") + i));
        }
        TestHttp.Response first = http().postJson("/v1/users/import", app(), Map.of("users", people));
        TestHttp.Response replay = http().postJson("/v1/users/import", app(), Map.of("users", people));

        assertThat(first.json().get("created").asInt()).isEqualTo(25);
        assertThat(replay.json().get("created").asInt()).isZero();
        assertThat(replay.json().get("unchanged").asInt()).isEqualTo(25);
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            TestHttp.Response page = http().get("/v1/users?limit=10" + (after == null ? "" : "&after=" + after), app());
            page.json().get("users").valueStream().forEach(u -> all.add(u.get("userId").asString()));
            after = page.json().get("nextAfter").isNull() ? null : page.json().get("nextAfter").asString();
        } while (after != null);
        assertThat(all).hasSize(25).isSorted();
        assertThat(http().get("/v1/users?search=sales&limit=100", app()).json().get("users").size()).isEqualTo(13);
    }

    @Test
    void onlyProvisionedActiveUsersJoinConversations() {
        TestUsers.provision(http(), appId, List.of("owner", "member", "leaver"));
        http().send("PATCH", "/v1/users/leaver", app(), Map.of("active", false));

        TestHttp.Response unknown = http().postJson("/v1/conversations", app(), Map.of("conversationId", "g", "type", "GROUP",
                "members", List.of(Map.of("userId", "owner"), Map.of("userId", "ghost"))));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo("user-not-found");
        assertThat(unknown.text("detail")).contains("ghost");

        assertThat(http().postJson("/v1/conversations", app(), Map.of("conversationId", "g", "type", "GROUP",
                "members", List.of(Map.of("userId", "owner", "role", "OWNER")))).status()).isEqualTo(201);
        TestHttp.Response deactivated = http().postJson("/v1/conversations/g/members", app(),
                Map.of("members", List.of(Map.of("userId", "member"), Map.of("userId", "leaver"))));
        assertThat(deactivated.status()).isEqualTo(409);
        assertThat(deactivated.text("code")).isEqualTo("user-deactivated");
        assertThat(http().get("/v1/conversations/g", app()).json().get("memberCount").asLong()).isOne();
    }

    @Test
    void directoryRecordsProvisionIdempotentlyInOrderAndTombstonesDeactivate() {
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String key = Topics.DIRECTORY_USERS.name();
        TestProducers.sendAvro(key, appId + "/hr-1", directoryUser("hr-1", "Dana", t1));
        TestProducers.sendAvro(key, appId + "/hr-1", directoryUser("hr-1", "Dana Older", t1.minusSeconds(60)));
        TestProducers.sendAvro(key, appId + "/hr-1", directoryUser("hr-1", "Dana", t1));
        TestProducers.sendAvro(key, appId + "/hr-2", directoryUser("hr-2", "Eli", t1));

        await().atMost(Duration.ofSeconds(20)).until(() -> http().get("/v1/users/hr-2", app()).status() == 200);
        TestHttp.Response dana = http().get("/v1/users/hr-1", app());
        assertThat(dana.text("displayName")).isEqualTo("Dana");
        assertThat(dana.json().get("version").asLong()).isOne();

        TestProducers.sendAvro(key, appId + "/hr-2", null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !http().get("/v1/users/hr-2", app()).json().get("active").asBoolean());
    }

    @Test
    void unreadableOrInvalidDirectoryRecordsGoToTheDeadLetterTopicWithTheReason() {
        TestProducers.sendRaw(Topics.DIRECTORY_USERS.name(), appId + "/x", "not avro".getBytes(StandardCharsets.UTF_8));
        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/bad id",
                directoryUser("bad id", "Bad", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        DirectoryUser badLocale = directoryUser("bad-locale", "Bad", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        badLocale.setLocale("klingon!");
        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/bad-locale", badLocale);
        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/after-bad",
                directoryUser("after-bad", "Fine", Instant.now().truncatedTo(ChronoUnit.MILLIS)));

        var dead = TopicProbe.awaitRawRecord(Topics.DIRECTORY_USERS_DLT.name(),
                r -> r.key().equals(appId + "/bad id"));
        assertThat(dead).filteredOn(r -> r.key().equals(appId + "/x")).isNotEmpty();
        assertThat(TopicProbe.awaitDeadLetterReason(Topics.DIRECTORY_USERS_DLT.name(), appId + "/bad id"))
                .isEqualTo("validation-failed");
        assertThat(TopicProbe.awaitDeadLetterReason(Topics.DIRECTORY_USERS_DLT.name(), appId + "/bad-locale"))
                .isEqualTo("validation-failed");
        await().atMost(Duration.ofSeconds(20)).until(() -> http().get("/v1/users/after-bad", app()).status() == 200);
    }

    private DirectoryUser directoryUser(String userId, String name, Instant updatedAt) {
        return DirectoryUser.newBuilder().setAppId(appId).setUserId(userId).setDisplayName(name)
                .setUpdatedAt(updatedAt).build();
    }
}
