package io.switchboard.platform.directory;

import io.switchboard.events.membership.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ActiveUsersIndexTests {

    private final ActiveUsersIndex index = new ActiveUsersIndex();

    static UserState alice(long version, List<String> departments, List<String> tags) {
        return state("app-1", "alice", version, true, departments, tags);
    }

    static UserState state(String appId, String userId, long version, boolean active, List<String> departments,
                           List<String> tags) {
        return UserState.newBuilder().setAppId(appId).setUserId(userId).setVersion(version).setActive(active)
                .setDepartmentIds(departments).setTags(tags).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void anActiveUserIsFoundInEachOfTheirDepartmentsAndTags() {
        index.changed(null, alice(1, List.of("sales", "sales-emea"), List.of("oncall")));
        index.changed(null, state("app-1", "bob", 1, true, List.of("sales"), List.of()));

        assertThat(index.inDepartment("app-1", "sales")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(index.inDepartment("app-1", "sales-emea")).containsExactly("alice");
        assertThat(index.withTag("app-1", "oncall")).containsExactly("alice");
        assertThat(index.inDepartment("app-1", "oncall")).isEmpty();
        assertThat(index.withTag("app-1", "nothing")).isEmpty();
    }

    @Test
    void aMoveLeavesTheOldDepartmentsAndKeepsTheCommonAncestor() {
        UserState before = alice(1, List.of("sales", "sales-emea"), List.of());
        UserState after = alice(2, List.of("sales", "sales-apac"), List.of());
        index.changed(null, before);
        Set<String> emeaBefore = index.inDepartment("app-1", "sales-emea");

        index.changed(before, after);

        assertThat(index.inDepartment("app-1", "sales")).containsExactly("alice");
        assertThat(index.inDepartment("app-1", "sales-apac")).containsExactly("alice");
        assertThat(index.inDepartment("app-1", "sales-emea")).isEmpty();
        assertThat(emeaBefore).as("an earlier answer is a snapshot").containsExactly("alice");
    }

    @Test
    void aRemovedTagNoLongerFindsTheUser() {
        UserState tagged = alice(1, List.of(), List.of("oncall", "vip"));
        index.changed(null, tagged);

        index.changed(tagged, alice(2, List.of(), List.of("vip")));

        assertThat(index.withTag("app-1", "oncall")).isEmpty();
        assertThat(index.withTag("app-1", "vip")).containsExactly("alice");
    }

    @Test
    void aDeactivatedUserIsInNoGroupUntilReactivated() {
        UserState active = alice(1, List.of("sales"), List.of("oncall"));
        UserState inactive = state("app-1", "alice", 2, false, List.of("sales"), List.of("oncall"));
        index.changed(null, active);

        index.changed(active, inactive);
        assertThat(index.inDepartment("app-1", "sales")).isEmpty();
        assertThat(index.withTag("app-1", "oncall")).isEmpty();

        index.changed(inactive, alice(3, List.of("sales"), List.of("oncall")));
        assertThat(index.inDepartment("app-1", "sales")).containsExactly("alice");
        assertThat(index.withTag("app-1", "oncall")).containsExactly("alice");
    }

    @Test
    void aTombstoneRemovesTheUserEverywhere() {
        UserState alice = alice(1, List.of("sales"), List.of("oncall"));
        index.changed(null, alice);

        index.changed(alice, null);
        index.changed(null, null);

        assertThat(index.inDepartment("app-1", "sales")).isEmpty();
        assertThat(index.withTag("app-1", "oncall")).isEmpty();
    }

    @Test
    void appsDoNotShareDepartmentsOrTags() {
        index.changed(null, alice(1, List.of("sales"), List.of("oncall")));
        index.changed(null, state("app-2", "mallory", 1, true, List.of("sales"), List.of("oncall")));

        assertThat(index.inDepartment("app-1", "sales")).containsExactly("alice");
        assertThat(index.withTag("app-2", "oncall")).containsExactly("mallory");
    }
}
