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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.membership.TestDirectory.created;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Departments (a tree) and tags with members, and group conversations that follow them. */
class DirectoryGroupsKafkaPostgresTests extends ServiceIntegrationTest {

    TestDirectory directory;

    @BeforeEach
    void salesTree() {
        TestApps.active(appId);
        directory = TestDirectory.salesTree(http(), appId);
    }

    String app() {
        return bearer(tokens.appToken(appId, "users:write", "users:read", "conversations:write", "conversations:read"));
    }

    List<String> values(TestHttp.Response response, String field) {
        List<String> values = new ArrayList<>();
        response.json().get(field).valueStream().forEach(v -> values.add(v.isString() ? v.asString()
                : v.get("userId").asString()));
        return values;
    }

    @Test
    void departmentsFormATreeWithoutCyclesAndTagsStayFlat() {
        assertThat(values(http().get("/v1/directory-groups/sales", app()), "children")).containsExactly("sales-emea");

        TestHttp.Response cycle = http().send("PATCH", "/v1/directory-groups/sales", app(), Map.of("parentId", "sales-de"));
        TestHttp.Response taggedParent = directory.group("emea-oncall", "TAG", "sales");
        TestHttp.Response unknownParent = directory.group("apac", "DEPARTMENT", "nowhere");
        TestHttp.Response notEmpty = http().delete("/v1/directory-groups/sales-emea", app());
        TestHttp.Response duplicate = directory.group("sales", "DEPARTMENT", null);

        assertThat(cycle.status()).isEqualTo(409);
        assertThat(cycle.text("code")).isEqualTo("directory-cycle");
        assertThat(taggedParent.status()).isEqualTo(400);
        assertThat(unknownParent.status()).isEqualTo(404);
        assertThat(unknownParent.text("code")).isEqualTo("directory-group-not-found");
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(notEmpty.text("code")).isEqualTo("directory-group-not-empty");
        assertThat(duplicate.status()).isEqualTo(409);

        TestHttp.Response moved = http().send("PATCH", "/v1/directory-groups/sales-de", app(), Map.of("moveToRoot", true));
        assertThat(moved.json().get("parentId").isNull()).isTrue();
        assertThat(values(http().get("/v1/directory-groups/sales-emea", app()), "children")).isEmpty();
    }

    @Test
    void membersAreListedForAGroupOrItsWholeSubtree() {
        assertThat(values(http().get("/v1/directory-groups/sales/members", app()), "userIds")).containsExactly("u1");
        assertThat(values(http().get("/v1/directory-groups/sales/members?subtree=true", app()), "userIds"))
                .containsExactly("u1", "u2", "u3");
        TestHttp.Response unknownUser = http().postJson("/v1/directory-groups/sales/members", app(),
                Map.of("userIds", List.of("ghost")));
        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat(unknownUser.text("code")).isEqualTo("user-not-found");
        TestHttp.Response userToken = http().get("/v1/directory-groups/sales",
                bearer(tokens.userToken(appId, "u1", "users:read")));
        assertThat(userToken.status()).isEqualTo(403);
    }

    @Test
    void aConversationFollowsItsDepartmentSubtreeAndItsTag() {
        TestHttp.Response following = http().postJson("/v1/directory-groups/sales/conversations", app(),
                Map.of("conversationId", "sales-all"));
        assertThat(following.status()).as(following.body()).isEqualTo(201);
        assertThat(following.json().get("memberCount").asLong()).isEqualTo(3);

        directory.add("sales-de", "u4");
        directory.add("sales-emea", "u1");
        http().delete("/v1/directory-groups/sales-emea/members/u2", app());
        http().delete("/v1/directory-groups/sales/members/u1", app());

        TestHttp.Response members = http().get("/v1/conversations/sales-all/members", app());
        assertThat(values(members, "members")).containsExactly("u1", "u3", "u4");
        assertThat(http().get("/v1/conversations/sales-all", app()).json().get("memberCount").asLong()).isEqualTo(3);

        created(http().postJson("/v1/directory-groups/oncall/conversations", app(), Map.of("conversationId", "oncall")));
        directory.add("oncall", "u2");
        assertThat(values(http().get("/v1/conversations/oncall/members", app()), "members")).containsExactly("u2", "u5");
    }

    @Test
    void theDirectorySyncSetsDepartmentsAndTagsAndFollowingConversationsFollow() {
        created(http().postJson("/v1/directory-groups/sales-emea/conversations", app(), Map.of("conversationId", "emea")));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/hr-9",
                hr("hr-9", List.of("sales-de"), List.of("oncall"), t));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                values(http().get("/v1/conversations/emea/members", app()), "members").contains("hr-9"));
        assertThat(values(http().get("/v1/directory-groups/oncall/members", app()), "userIds")).contains("hr-9");

        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/hr-9",
                hr("hr-9", List.of("sales"), List.of(), t.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !values(http().get("/v1/conversations/emea/members", app()), "members").contains("hr-9"));
        assertThat(values(http().get("/v1/directory-groups/sales/members", app()), "userIds")).contains("hr-9");
        assertThat(values(http().get("/v1/directory-groups/oncall/members", app()), "userIds")).doesNotContain("hr-9");

        TestProducers.sendAvro(Topics.DIRECTORY_USERS.name(), appId + "/hr-10",
                hr("hr-10", List.of("no-such-department"), null, t));
        assertThat(TopicProbe.awaitDeadLetterReason(Topics.DIRECTORY_USERS_DLT.name(), appId + "/hr-10"))
                .isEqualTo("unknown-directory-group");
        assertThat(http().get("/v1/users/hr-10", app()).status()).isEqualTo(404);
    }

    private DirectoryUser hr(String userId, List<String> departments, List<String> tags, Instant updatedAt) {
        return DirectoryUser.newBuilder().setAppId(appId).setUserId(userId).setDepartmentIds(departments).setTags(tags)
                .setUpdatedAt(updatedAt).build();
    }
}
