package io.switchboard.membership.directory;

import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.membership.conversations.Conversations;
import io.switchboard.membership.userstates.UserStates;
import io.switchboard.membership.users.Users;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An app's directory: departments (a tree) and tags (flat), and their members. A group
 * conversation may follow a directory group: it is seeded with the group's members (a
 * department's whole subtree) and then gains and loses members as the group does, in the same
 * transaction as the directory change.
 *
 * <p>Every change of whom a group holds, and every move of a department, republishes the state of
 * the users it concerns (their departments with all ancestors, and tags; see {@link UserStates}).
 * A change of a group's members locks the group's row and a move locks the moved subtree and the
 * new parent's chain, so a member change below a moving department is applied wholly before or
 * after the move and no state is published with the ancestors of the moment before.
 */
@Service
public class DirectoryGroups {

    private static final int MAX_SEED = 100_000;
    /** Every member of a group, for republishing their states. */
    private static final int ALL = Integer.MAX_VALUE;

    private final DirectoryGroupStore store;
    private final Users users;
    private final Conversations conversations;
    private final UserStates userStates;

    DirectoryGroups(DirectoryGroupStore store, Users users, Conversations conversations, UserStates userStates) {
        this.store = store;
        this.users = users;
        this.conversations = conversations;
        this.userStates = userStates;
    }

    /** A group with its direct sub-departments. */
    record GroupView(DirectoryGroup group, List<String> children) {
    }

    @Transactional
    DirectoryGroup create(String appId, String groupId, DirectoryGroup.Kind kind, String name, String parentId) {
        if (parentId != null) {
            requireDepartmentParent(appId, kind, parentId);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DirectoryGroup group = new DirectoryGroup(appId, groupId, kind, name, parentId, now, now);
        if (!store.insert(group)) {
            throw new ApiException(ErrorCode.DIRECTORY_GROUP_EXISTS, "Directory group " + groupId + " exists");
        }
        return group;
    }

    GroupView get(String appId, String groupId) {
        return new GroupView(find(appId, groupId), store.children(appId, groupId));
    }

    /** Renames a group or moves a department under another one (never under itself or its subtree). */
    @Transactional
    DirectoryGroup change(String appId, String groupId, String name, String parentId, boolean moveToRoot) {
        DirectoryGroup current = lock(appId, groupId);
        String newParent = moveToRoot ? null : parentId != null ? parentId : current.parentId();
        boolean moves = !Objects.equals(newParent, current.parentId());
        List<String> newAncestors = moves && newParent != null ? store.selfAndAncestors(appId, newParent) : List.of();
        if (moves && newParent != null) {
            requireDepartmentParent(appId, current.kind(), newParent);
            if (newAncestors.contains(groupId)) {
                throw new ApiException(ErrorCode.DIRECTORY_CYCLE,
                        "Department " + groupId + " cannot move under its own subtree (" + newParent + ")");
            }
        }
        DirectoryGroup changed = new DirectoryGroup(appId, groupId, current.kind(), name != null ? name : current.name(),
                newParent, current.createdAt(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (moves) {
            Set<String> locked = new HashSet<>(store.subtree(appId, groupId));
            locked.addAll(newAncestors);
            store.lock(appId, locked);
        }
        store.update(changed);
        if (moves) {
            userStates.groupsChanged(appId, store.members(appId, groupId, true, null, ALL));
        }
        return changed;
    }

    /** Deletes a tag or a department without sub-departments; its members leave it. */
    @Transactional
    void delete(String appId, String groupId) {
        lock(appId, groupId);
        if (!store.children(appId, groupId).isEmpty()) {
            throw new ApiException(ErrorCode.DIRECTORY_GROUP_NOT_EMPTY,
                    "Department " + groupId + " has sub-departments; move or delete them first");
        }
        List<String> members = store.members(appId, groupId, false, null, ALL);
        store.delete(appId, groupId);
        userStates.groupsChanged(appId, members);
    }

    List<String> members(String appId, String groupId, boolean subtree, String afterUserId, int limit) {
        find(appId, groupId);
        return store.members(appId, groupId, subtree, afterUserId, limit);
    }

    /** Adds users to a group, and to every conversation that follows it or a department above it. */
    @Transactional
    int addMembers(String appId, String groupId, List<String> userIds) {
        lock(appId, groupId);
        users.requireActive(appId, userIds);
        List<String> added = store.addMembers(appId, groupId, userIds);
        userStates.groupsChanged(appId, added);
        Caller app = appCaller(appId);
        for (String conversationId : store.followingConversations(appId, store.selfAndAncestors(appId, groupId))) {
            conversations.followDirectory(app, conversationId, userIds);
        }
        return added.size();
    }

    /**
     * Removes a user from a group, and from every following conversation whose group (subtree) no
     * longer contains them.
     */
    @Transactional
    void removeMember(String appId, String groupId, String userId) {
        lock(appId, groupId);
        if (!store.removeMember(appId, groupId, userId)) {
            throw new ApiException(ErrorCode.MEMBER_NOT_FOUND, "User " + userId + " is not in " + groupId);
        }
        userStates.groupsChanged(appId, List.of(userId));
        Caller app = appCaller(appId);
        for (String ancestor : store.selfAndAncestors(appId, groupId)) {
            if (store.inSubtree(appId, ancestor, userId)) {
                continue;
            }
            for (String conversationId : store.followingConversations(appId, List.of(ancestor))) {
                conversations.unfollowDirectory(app, conversationId, userId);
            }
        }
    }

    /**
     * Applies one directory record: the user (see {@link Users#applyDirectory}), then their
     * departments and tags, which become exactly the ones listed (a null list leaves that kind as
     * it is). A stale record changes nothing; an unknown group refuses the whole record.
     */
    @Transactional
    public Users.Outcome applyDirectoryRecord(DirectoryUser record) {
        Users.Outcome outcome = users.applyDirectory(record);
        if (outcome == Users.Outcome.STALE || !record.getActive()) {
            return outcome;
        }
        syncMemberships(record.getAppId(), record.getUserId(), DirectoryGroup.Kind.DEPARTMENT, record.getDepartmentIds());
        syncMemberships(record.getAppId(), record.getUserId(), DirectoryGroup.Kind.TAG, record.getTags());
        return outcome;
    }

    private void syncMemberships(String appId, String userId, DirectoryGroup.Kind kind, List<String> wanted) {
        if (wanted == null) {
            return;
        }
        for (String groupId : wanted) {
            if (store.find(appId, groupId).filter(g -> g.kind() == kind).isEmpty()) {
                throw new UnprocessableRecordException("unknown-directory-group",
                        "User " + userId + " names " + kind.name().toLowerCase() + " " + groupId + ", which app "
                                + appId + " does not have");
            }
        }
        Set<String> current = new HashSet<>(store.groupsOf(appId, userId, kind));
        for (String groupId : wanted) {
            if (!current.contains(groupId)) {
                addMembers(appId, groupId, List.of(userId));
            }
        }
        for (String groupId : current) {
            if (!wanted.contains(groupId)) {
                removeMember(appId, groupId, userId);
            }
        }
    }

    /** Creates a group conversation that follows a directory group, seeded with its members. */
    @Transactional
    Conversations.Following createFollowing(String appId, String groupId, String conversationId, String name) {
        DirectoryGroup group = find(appId, groupId);
        List<String> seed = users.activeOf(appId,
                store.members(appId, groupId, group.kind() == DirectoryGroup.Kind.DEPARTMENT, null, MAX_SEED));
        Conversations.Following created = conversations.createFollowing(appCaller(appId), conversationId,
                name != null ? name : group.name(), groupId, seed);
        store.follow(appId, created.conversationId(), groupId);
        return created;
    }

    private DirectoryGroup find(String appId, String groupId) {
        return store.find(appId, groupId).orElseThrow(() -> notFound(groupId));
    }

    /** The group, locked for a change of its members or place (see the class comment). */
    private DirectoryGroup lock(String appId, String groupId) {
        return store.findForUpdate(appId, groupId).orElseThrow(() -> notFound(groupId));
    }

    private static ApiException notFound(String groupId) {
        return new ApiException(ErrorCode.DIRECTORY_GROUP_NOT_FOUND, "No directory group " + groupId);
    }

    private void requireDepartmentParent(String appId, DirectoryGroup.Kind kind, String parentId) {
        if (kind == DirectoryGroup.Kind.TAG) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Tags are flat: a tag has no parent");
        }
        DirectoryGroup parent = store.find(appId, parentId).orElseThrow(() ->
                new ApiException(ErrorCode.DIRECTORY_GROUP_NOT_FOUND, "No parent department " + parentId));
        if (parent.kind() != DirectoryGroup.Kind.DEPARTMENT) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The parent of a department is a department");
        }
    }

    private static Caller appCaller(String appId) {
        return new Caller(appId, appId, null, false);
    }
}
