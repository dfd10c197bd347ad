package io.switchboard.membership;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Members see each other by display name (what the end-user page shows), and never each other's email. */
class MemberDisplayNamesKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void aTeamWithNamedAndUnnamedUsersExists() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestHttp.Response imported = http().postJson("/v1/users/import", bearer(tokens.appToken(appId, "users:write")),
                Map.of("users", List.of(
                        Map.of("userId", "ivy", "displayName", "Ivy Chen", "email", "ivy@example.com"),
                        Map.of("userId", "jack", "displayName", "Jack Brown", "email", "jack@example.com"),
                        Map.of("userId", "kim"),
                        Map.of("userId", "outsider", "displayName", "Not In The Team"))));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        TestHttp.Response created = http().postJson("/v1/conversations",
                bearer(tokens.appToken(appId, "conversations:write")),
                Map.of("conversationId", "team", "type", "GROUP", "name", "Team",
                        "members", List.of(Map.of("userId", "ivy", "role", "OWNER"), Map.of("userId", "jack"),
                                Map.of("userId", "kim"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    String member(String userId) {
        return bearer(tokens.userToken(appId, userId, "conversations:read"));
    }

    @Test
    void aMemberListsTheOthersWithTheirDisplayNamesAndWithoutTheirEmail() {
        TestHttp.Response listed = http().get("/v1/conversations/team/members", member("jack"));

        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<JsonNode> members = listed.json().get("members").valueStream().toList();
        assertThat(members).extracting(m -> m.get("userId").asString() + "=" + nameOf(m))
                .containsExactly("ivy=Ivy Chen", "jack=Jack Brown", "kim=(none)");
        assertThat(members).allSatisfy(m -> assertThat(m.has("email")).isFalse());
    }

    @Test
    void aMemberReadsOneOtherMemberWithTheirDisplayName() {
        TestHttp.Response ivy = http().get("/v1/conversations/team/members/ivy", member("jack"));
        TestHttp.Response kim = http().get("/v1/conversations/team/members/kim", member("jack"));

        assertThat(ivy.status()).as(ivy.body()).isEqualTo(200);
        assertThat(ivy.text("displayName")).isEqualTo("Ivy Chen");
        assertThat(ivy.text("role")).isEqualTo("OWNER");
        assertThat(ivy.json().has("email")).isFalse();
        assertThat(nameOf(kim.json())).isEqualTo("(none)");
    }

    @Test
    void aRenamedUserIsListedByTheirNewName() {
        TestHttp.Response renamed = http().send("PATCH", "/v1/users/jack", bearer(tokens.appToken(appId, "users:write")),
                Map.of("displayName", "Jack B. Brown"));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);

        assertThat(http().get("/v1/conversations/team/members/jack", member("ivy")).text("displayName"))
                .isEqualTo("Jack B. Brown");
    }

    @Test
    void nobodyOutsideTheConversationLearnsNamesFromIt() {
        TestHttp.Response outsider = http().get("/v1/conversations/team/members", member("outsider"));
        TestHttp.Response outsiderOne = http().get("/v1/conversations/team/members/ivy", member("outsider"));
        TestHttp.Response otherApp = http().get("/v1/conversations/team/members/ivy",
                bearer(tokens.appToken(otherAppId, "conversations:read")));
        TestHttp.Response notAMember = http().get("/v1/conversations/team/members/outsider", member("ivy"));

        assertThat(outsider.status()).isEqualTo(404);
        assertThat(outsider.text("code")).isEqualTo("conversation-not-found");
        assertThat(outsiderOne.status()).isEqualTo(404);
        assertThat(outsiderOne.text("code")).isEqualTo("conversation-not-found");
        assertThat(otherApp.status()).isEqualTo(404);
        assertThat(notAMember.status()).isEqualTo(404);
        assertThat(notAMember.text("code")).isEqualTo("member-not-found");
        assertThat(notAMember.body()).doesNotContain("Not In The Team");
    }

    private static String nameOf(JsonNode member) {
        JsonNode name = member.path("displayName");
        return name.isNull() || name.isMissingNode() ? "(none)" : name.asString();
    }
}
