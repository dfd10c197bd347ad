package io.switchboard.membership;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Owner, admin and member rights, conversation policies, paging, and concurrent changes. */
class RolesAndPoliciesKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void teamExists() {
        TestApps.active(appId);
        List<String> users = new ArrayList<>(List.of("olivia", "adam", "amy", "mia", "max", "nina", "zoe", "pat"));
        IntStream.range(0, 40).forEach(i -> users.add("p" + i));
        TestUsers.provision(http(), appId, users);
        TestHttp.Response created = http().postJson("/v1/conversations", user("olivia"), Map.of(
                "conversationId", "team", "type", "GROUP", "name", "Team",
                "members", List.of(Map.of("userId", "adam", "role", "ADMIN"), Map.of("userId", "amy", "role", "ADMIN"),
                        Map.of("userId", "mia"), Map.of("userId", "max"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    String app() {
        return bearer(tokens.appToken(appId, "conversations:write", "conversations:read"));
    }

    String user(String userId) {
        return bearer(tokens.userToken(appId, userId, "conversations:write", "conversations:read"));
    }

    String roleOf(String userId) {
        return http().get("/v1/conversations/team/members?limit=1000", app()).json().get("members").valueStream()
                .filter(m -> m.get("userId").asString().equals(userId)).map(m -> m.get("role").asString())
                .findFirst().orElse("none");
    }

    @Test
    void theCreatingUserOwnsTheGroupAndCannotLeaveBeforeATransfer() {
        assertThat(roleOf("olivia")).isEqualTo("OWNER");

        TestHttp.Response leave = http().delete("/v1/conversations/team/members/olivia", user("olivia"));
        assertThat(leave.status()).isEqualTo(409);
        assertThat(leave.text("code")).isEqualTo("owner-must-transfer");

        TestHttp.Response transfer = http().postJson("/v1/conversations/team/owner", user("olivia"), Map.of("userId", "mia"));
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(200);
        assertThat(roleOf("mia")).isEqualTo("OWNER");
        assertThat(roleOf("olivia")).isEqualTo("ADMIN");
        assertThat(http().delete("/v1/conversations/team/members/olivia", user("olivia")).status()).isEqualTo(200);
        assertThat(roleOf("olivia")).isEqualTo("none");
    }

    @Test
    void adminsManageMembersButNotTheOwnerOrOtherAdmins() {
        TestHttp.Response removeOwner = http().delete("/v1/conversations/team/members/olivia", user("adam"));
        TestHttp.Response removeAdmin = http().delete("/v1/conversations/team/members/amy", user("adam"));
        TestHttp.Response promote = http().send("PATCH", "/v1/conversations/team/members/mia", user("adam"),
                Map.of("role", "ADMIN"));
        TestHttp.Response removeMember = http().delete("/v1/conversations/team/members/max", user("adam"));

        assertThat(removeOwner.status()).isEqualTo(409);
        assertThat(removeOwner.text("code")).isEqualTo("owner-must-transfer");
        assertThat(removeAdmin.status()).isEqualTo(403);
        assertThat(removeAdmin.text("code")).isEqualTo("role-not-allowed");
        assertThat(promote.status()).isEqualTo(403);
        assertThat(removeMember.status()).isEqualTo(200);
        assertThat(http().send("PATCH", "/v1/conversations/team/members/mia", user("olivia"), Map.of("role", "ADMIN"))
                .json().get("role").asString()).isEqualTo("ADMIN");
    }

    @Test
    void membersAddOthersOnlyWhenThePolicyAllowsAndAlwaysMayLeave() {
        TestHttp.Response refused = http().postJson("/v1/conversations/team/members", user("mia"),
                Map.of("members", List.of(Map.of("userId", "nina"))));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("code")).isEqualTo("role-not-allowed");

        assertThat(http().send("PATCH", "/v1/conversations/team", user("amy"), Map.of("addMembersPolicy", "EVERYONE"))
                .status()).isEqualTo(200);
        assertThat(http().postJson("/v1/conversations/team/members", user("mia"),
                Map.of("members", List.of(Map.of("userId", "nina")))).status()).isEqualTo(200);
        assertThat(http().delete("/v1/conversations/team/members/mia", user("mia")).status()).isEqualTo(200);
        assertThat(roleOf("nina")).isEqualTo("MEMBER");
        assertThat(roleOf("mia")).isEqualTo("none");
    }

    @Test
    void conversationSettingsMutesAndArchiveAreKeptAndEnforced() {
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        TestHttp.Response byMember = http().send("PATCH", "/v1/conversations/team", user("mia"), Map.of("name", "Mine"));
        TestHttp.Response settings = http().send("PATCH", "/v1/conversations/team", user("adam"), Map.of(
                "name", "Team A", "metadata", Map.of("department", "sales"), "postingPolicy", "ADMINS", "mutedAll", true));
        TestHttp.Response mute = http().send("PATCH", "/v1/conversations/team/members/max", user("adam"),
                Map.of("mutedUntil", until.toString(), "mutedAllExempt", true));

        assertThat(byMember.status()).isEqualTo(403);
        assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        assertThat(settings.json().get("name").asString()).isEqualTo("Team A");
        assertThat(settings.json().get("metadata").get("department").asString()).isEqualTo("sales");
        assertThat(settings.json().get("postingPolicy").asString()).isEqualTo("ADMINS");
        assertThat(settings.json().get("mutedAll").asBoolean()).isTrue();
        assertThat(Instant.parse(mute.json().get("mutedUntil").asString())).isEqualTo(until);
        assertThat(mute.json().get("mutedAllExempt").asBoolean()).isTrue();

        assertThat(http().send("PATCH", "/v1/conversations/team", app(), Map.of("archived", true)).status()).isEqualTo(200);
        TestHttp.Response addToArchived = http().postJson("/v1/conversations/team/members", app(),
                Map.of("members", List.of(Map.of("userId", "nina"))));
        assertThat(addToArchived.status()).isEqualTo(409);
        assertThat(addToArchived.text("code")).isEqualTo("conversation-archived");
    }

    @Test
    void aUsersConversationsArePagedMostRecentFirst() {
        for (int i = 0; i < 5; i++) {
            http().postJson("/v1/conversations", app(), Map.of("conversationId", "paged-" + i, "type", "GROUP",
                    "members", List.of(Map.of("userId", "pat"))));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            TestHttp.Response page = http().get("/v1/users/pat/conversations?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), user("pat"));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("conversations").valueStream().forEach(c -> seen.add(c.get("conversationId").asString()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
        } while (cursor != null);

        assertThat(seen).containsExactly("paged-4", "paged-3", "paged-2", "paged-1", "paged-0");
        assertThat(http().get("/v1/users/pat/conversations", user("mia")).status()).isEqualTo(403);
        TestHttp.Response badCursor = http().get("/v1/users/pat/conversations?cursor=nonsense", user("pat"));
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.text("code")).isEqualTo("validation-failed");
    }

    @Test
    void badMemberRequestsAreProblems() {
        TestHttp.Response unknownMember = http().send("PATCH", "/v1/conversations/team/members/ghost", app(),
                Map.of("mutedAllExempt", true));
        TestHttp.Response secondOwner = http().postJson("/v1/conversations/team/members", app(),
                Map.of("members", List.of(Map.of("userId", "zoe", "role", "OWNER"))));
        TestHttp.Response badLimit = http().get("/v1/conversations/team/members?limit=0", app());
        TestHttp.Response unknownConversation = http().get("/v1/conversations/nope/members", app());

        assertThat(unknownMember.status()).isEqualTo(404);
        assertThat(unknownMember.text("code")).isEqualTo("member-not-found");
        assertThat(secondOwner.status()).isEqualTo(400);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.text("code")).isEqualTo("validation-failed");
        assertThat(unknownConversation.status()).isEqualTo(404);
    }

    @Test
    void concurrentAddsAndRemovesEndInAConsistentState() throws Exception {
        List<Callable<Integer>> changes = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> changes.add(() -> http().postJson("/v1/conversations/team/members", app(),
                Map.of("members", List.of(Map.of("userId", "p" + i)))).status()));
        IntStream.range(0, 20).forEach(i -> changes.add(() -> http().delete("/v1/conversations/team/members/p" + (i * 2),
                app()).status()));
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> result : pool.invokeAll(changes)) {
                statuses.add(result.get());
            }
        }

        assertThat(statuses).allMatch(s -> s == 200 || s == 404);
        TestHttp.Response conversation = http().get("/v1/conversations/team", app());
        TestHttp.Response members = http().get("/v1/conversations/team/members?limit=1000", app());
        long listed = members.json().get("members").size();
        assertThat(conversation.json().get("memberCount").asLong()).isEqualTo(listed);
        long removed = statuses.subList(40, 60).stream().filter(s -> s == 200).count();
        assertThat(listed).isEqualTo(5 + 40 - removed);
        assertThat(conversation.json().get("version").asLong()).isEqualTo(1 + 40 + removed);
    }
}
