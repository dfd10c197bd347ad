package io.switchboard.membership.conversations;

import io.switchboard.membership.conversations.Conversation.AddMembersPolicy;
import io.switchboard.membership.conversations.Conversation.Member;
import io.switchboard.membership.conversations.Conversation.PostingPolicy;
import io.switchboard.membership.conversations.Conversation.Role;
import io.switchboard.membership.conversations.Conversation.Type;
import io.switchboard.membership.users.Users;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.schemas.SystemConversations;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates and changes conversations and their members. A change locks the conversation's row, so
 * concurrent changes of one conversation are applied one after the other, and is committed together
 * with its events (see {@link MembershipEvents}).
 *
 * <p>Who may do what: an app token acts as the platform of its app and may do anything within the
 * rules every caller obeys (one owner, who leaves only after a transfer). A user token acts as that
 * user: the owner and admins manage the conversation; admins cannot act on the owner or other
 * admins; members may add members only when the conversation allows it, and may always leave.
 * Only provisioned, active users of the app can join.
 */
@Service
public class Conversations {

    private final ConversationStore store;
    private final MembershipEvents events;
    private final Users users;
    private final long maxMembers;

    Conversations(ConversationStore store, MembershipEvents events, Users users,
                  @Value("${switchboard.membership.max-members:100000}") long maxMembers) {
        this.store = store;
        this.events = events;
        this.users = users;
        this.maxMembers = maxMembers;
    }

    /** A conversation and whether this call created it (direct and system conversations may exist already). */
    record Outcome(Conversation conversation, boolean created) {
    }

    /** What a new conversation should be. */
    record NewConversation(String conversationId, Type type, String name, Map<String, String> metadata,
                           PostingPolicy postingPolicy, AddMembersPolicy addMembersPolicy, String source,
                           List<Member> members) {
    }

    /** Attribute changes; a null field keeps the current value. */
    record Changes(String name, Map<String, String> metadata, PostingPolicy postingPolicy,
                   AddMembersPolicy addMembersPolicy, Boolean mutedAll, Boolean archived) {
    }

    /** Member changes; a null field keeps the current value; {@code mutedUntil} in the past unmutes. */
    record MemberChanges(Role role, Instant mutedUntil, Boolean mutedAllExempt) {
    }

    /**
     * Creates a conversation. A user creating a group becomes its owner. A direct conversation
     * exists at most once per pair of users, a system conversation once per user and source:
     * asking again returns the existing one.
     */
    @Transactional
    Outcome create(Caller caller, NewConversation request) {
        Instant now = now();
        List<Member> members = membersOf(caller, request, now);
        users.requireActive(caller.appId(), members.stream().map(Member::userId).toList());
        String id = switch (request.type()) {
            case DIRECT -> SystemConversations.directId(members.get(0).userId(), members.get(1).userId());
            case SYSTEM -> SystemConversations.id(members.getFirst().userId(), request.source());
            case GROUP -> request.conversationId() != null ? request.conversationId()
                    : "c_" + UUID.randomUUID().toString().replace("-", "");
        };
        Conversation conversation = new Conversation(caller.appId(), id, request.type(),
                request.type() == Type.DIRECT ? null : request.name(), 1, members.size(), false,
                request.metadata() == null ? Map.of() : request.metadata(),
                request.postingPolicy() == null ? PostingPolicy.EVERYONE : request.postingPolicy(),
                request.addMembersPolicy() == null ? AddMembersPolicy.ADMINS : request.addMembersPolicy(),
                false, request.type() == Type.SYSTEM ? request.source() : null, now, now);
        if (!store.insert(conversation)) {
            if (request.type() != Type.GROUP) {
                return new Outcome(get(caller, id), false);
            }
            throw new ApiException(ErrorCode.CONVERSATION_EXISTS, "Conversation " + id + " already exists");
        }
        store.insertMembers(caller.appId(), id, members);
        events.joined(conversation, members);
        return new Outcome(conversation, true);
    }

    /**
     * Makes sure a user has their system conversation for {@code source}, acting as the app: creates
     * it (named after the source) unless it exists, in which case nothing changes and nothing is
     * published. Refused with {@code user-not-found} or {@code user-deactivated} unless the user is
     * an active user of the app.
     */
    @Transactional
    Outcome openSystemConversation(String appId, String userId, String source) {
        return create(new Caller(appId, appId, null, false), new NewConversation(null, Type.SYSTEM, source, null, null,
                null, source, List.of(Member.joining(userId, Role.MEMBER, now()))));
    }

    /** What {@link #createFollowing} made: the conversation's id and member count. */
    public record Following(String conversationId, long memberCount) {
    }

    /**
     * Creates a group conversation owned by the app whose members are {@code userIds} (a directory
     * group's members); the directory then keeps it in step.
     */
    @Transactional
    public Following createFollowing(Caller caller, String conversationId, String name, String directoryGroupId,
                                     List<String> userIds) {
        if (userIds.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Directory group " + directoryGroupId + " has no members");
        }
        Instant now = now();
        List<Member> members = userIds.stream().distinct().map(id -> Member.joining(id, Role.MEMBER, now)).toList();
        Outcome outcome = create(caller, new NewConversation(conversationId, Type.GROUP, name,
                Map.of("directoryGroupId", directoryGroupId), PostingPolicy.EVERYONE, AddMembersPolicy.ADMINS, null,
                members));
        return new Following(outcome.conversation().conversationId(), outcome.conversation().memberCount());
    }

    /** The directory added users to a group this conversation follows; an archived conversation stays as it is. */
    @Transactional
    public void followDirectory(Caller app, String conversationId, List<String> userIds) {
        Conversation current = lock(app, conversationId);
        if (current.archived()) {
            return;
        }
        Instant now = now();
        List<Member> added = store.insertMembers(app.appId(), conversationId,
                userIds.stream().distinct().map(id -> Member.joining(id, Role.MEMBER, now)).toList());
        if (!added.isEmpty()) {
            Conversation changed = current.changed(current.memberCount() + added.size(), now);
            store.update(changed);
            events.joined(changed, added);
        }
    }

    /** The directory removed a user from the group this conversation follows (the owner, if any, stays). */
    @Transactional
    public void unfollowDirectory(Caller app, String conversationId, String userId) {
        Conversation current = lock(app, conversationId);
        boolean removable = store.findMember(app.appId(), conversationId, userId)
                .filter(m -> m.role() != Role.OWNER).isPresent();
        if (current.archived() || !removable) {
            return;
        }
        store.removeMember(app.appId(), conversationId, userId);
        Conversation changed = current.changed(current.memberCount() - 1, now());
        store.update(changed);
        events.left(changed, userId);
    }

    Conversation get(Caller caller, String conversationId) {
        Conversation conversation = store.find(caller.appId(), conversationId).orElseThrow(() -> notFound(conversationId));
        if (caller.user() && store.findMember(caller.appId(), conversationId, caller.subject()).isEmpty()) {
            throw notFound(conversationId);
        }
        return conversation;
    }

    /** A member as the other members see them: with the user's display name, null when they have none. */
    record NamedMember(Member member, String displayName) {
    }

    /** A page of members by user id; a user sees the members of conversations they are in. */
    List<NamedMember> members(Caller caller, String conversationId, String afterUserId, int limit) {
        get(caller, conversationId);
        List<Member> page = store.members(caller.appId(), conversationId, afterUserId, limit);
        Map<String, String> names = users.displayNamesOf(caller.appId(), page.stream().map(Member::userId).toList());
        return page.stream().map(m -> new NamedMember(m, names.get(m.userId()))).toList();
    }

    /** One member; a user sees the members of conversations they are in. */
    NamedMember member(Caller caller, String conversationId, String userId) {
        get(caller, conversationId);
        Member member = store.findMember(caller.appId(), conversationId, userId)
                .orElseThrow(() -> memberNotFound(conversationId, userId));
        return named(caller.appId(), member);
    }

    private NamedMember named(String appId, Member member) {
        return new NamedMember(member, users.displayNamesOf(appId, List.of(member.userId())).get(member.userId()));
    }

    /** The conversations of a user, most recently changed first; a user may list only their own. */
    List<Conversation> conversationsOf(Caller caller, String userId, Instant afterUpdatedAt, String afterId, int limit) {
        if (caller.user() && !caller.subject().equals(userId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A user token lists only its own user's conversations");
        }
        return store.conversationsOf(caller.appId(), userId, afterUpdatedAt, afterId, limit);
    }

    @Transactional
    Conversation change(Caller caller, String conversationId, Changes changes) {
        Conversation current = lock(caller, conversationId);
        Member actor = actor(caller, current);
        if (actor != null && !actor.privileged()) {
            throw roleViolation("Only the owner or an admin may change the conversation");
        }
        if (current.archived() && !Boolean.FALSE.equals(changes.archived())) {
            throw archived(conversationId);
        }
        if (current.type() == Type.DIRECT && (changes.name() != null || changes.postingPolicy() != null
                || changes.addMembersPolicy() != null || changes.mutedAll() != null)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A direct conversation has only metadata and an archive flag");
        }
        Conversation changed = current.withAttributes(
                changes.name() != null ? changes.name() : current.name(),
                changes.metadata() != null ? changes.metadata() : current.metadata(),
                changes.postingPolicy() != null ? changes.postingPolicy() : current.postingPolicy(),
                changes.addMembersPolicy() != null ? changes.addMembersPolicy() : current.addMembersPolicy(),
                changes.mutedAll() != null ? changes.mutedAll() : current.mutedAll(),
                changes.archived() != null ? changes.archived() : current.archived())
                .changed(current.memberCount(), now());
        store.update(changed);
        events.changed(changed);
        return changed;
    }

    /** Deletes a conversation with its members: the app, or the owner of a group. */
    @Transactional
    void delete(Caller caller, String conversationId) {
        Conversation current = lock(caller, conversationId);
        Member actor = actor(caller, current);
        if (actor != null && actor.role() != Role.OWNER) {
            throw roleViolation("Only the owner may delete the conversation");
        }
        List<String> memberIds = store.memberIds(caller.appId(), conversationId);
        store.delete(caller.appId(), conversationId);
        events.deleted(caller.appId(), conversationId, memberIds);
    }

    @Transactional
    Conversation addMembers(Caller caller, String conversationId, List<Member> requested) {
        Conversation current = lockGroup(caller, conversationId);
        Member actor = actor(caller, current);
        if (actor != null && !actor.privileged() && current.addMembersPolicy() == AddMembersPolicy.ADMINS) {
            throw roleViolation("Only the owner or an admin may add members to this conversation");
        }
        for (Member member : requested) {
            if (member.role() == Role.OWNER) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED,
                        "A conversation has one owner; add members as ADMIN or MEMBER and transfer ownership");
            }
            if (member.role() == Role.ADMIN && actor != null && actor.role() != Role.OWNER) {
                throw roleViolation("Only the owner may add admins");
            }
        }
        if (current.memberCount() + requested.size() > maxMembers) {
            throw new ApiException(ErrorCode.MEMBER_LIMIT_REACHED,
                    "Conversation " + conversationId + " may have at most " + maxMembers + " members");
        }
        List<Member> distinct = distinct(requested);
        users.requireActive(caller.appId(), distinct.stream().map(Member::userId).toList());
        List<Member> added = store.insertMembers(caller.appId(), conversationId, distinct);
        if (added.isEmpty()) {
            return current;
        }
        Conversation changed = current.changed(current.memberCount() + added.size(), now());
        store.update(changed);
        events.joined(changed, added);
        return changed;
    }

    /**
     * Removes a member, or lets the caller leave ({@code userId} is the caller's own). The owner
     * leaves only after transferring ownership; admins remove members, not the owner or other admins.
     */
    @Transactional
    Conversation removeMember(Caller caller, String conversationId, String userId) {
        Conversation current = lockGroup(caller, conversationId);
        Member actor = actor(caller, current);
        Member target = store.findMember(caller.appId(), conversationId, userId)
                .orElseThrow(() -> memberNotFound(conversationId, userId));
        if (target.role() == Role.OWNER) {
            throw new ApiException(ErrorCode.OWNER_MUST_TRANSFER,
                    "The owner cannot leave or be removed; transfer ownership first");
        }
        boolean leaving = actor != null && actor.userId().equals(userId);
        if (actor != null && !leaving) {
            requireAbove(actor, target, "remove");
        }
        store.removeMember(caller.appId(), conversationId, userId);
        Conversation changed = current.changed(current.memberCount() - 1, now());
        store.update(changed);
        events.left(changed, userId);
        return changed;
    }

    /** Changes a member's role (ADMIN or MEMBER; the owner by transfer only) or mute. */
    @Transactional
    NamedMember changeMember(Caller caller, String conversationId, String userId, MemberChanges changes) {
        Conversation current = lockGroup(caller, conversationId);
        Member actor = actor(caller, current);
        Member target = store.findMember(caller.appId(), conversationId, userId)
                .orElseThrow(() -> memberNotFound(conversationId, userId));
        if (changes.role() == Role.OWNER) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Make a member the owner by transferring ownership");
        }
        if (target.role() == Role.OWNER && changes.role() != null) {
            throw new ApiException(ErrorCode.OWNER_MUST_TRANSFER, "The owner's role changes only by a transfer");
        }
        if (actor != null) {
            requireAbove(actor, target, "change");
            if (changes.role() != null && actor.role() != Role.OWNER) {
                throw roleViolation("Only the owner may change roles");
            }
        }
        Instant now = now();
        Instant mutedUntil = changes.mutedUntil() == null ? target.mutedUntil()
                : changes.mutedUntil().isAfter(now) ? changes.mutedUntil().truncatedTo(ChronoUnit.MILLIS) : null;
        Member changedMember = new Member(userId, changes.role() != null ? changes.role() : target.role(), mutedUntil,
                changes.mutedAllExempt() != null ? changes.mutedAllExempt() : target.mutedAllExempt(), target.joinedAt());
        store.updateMember(caller.appId(), conversationId, changedMember);
        Conversation changed = current.changed(current.memberCount(), now);
        store.update(changed);
        events.memberChanged(changed, target, changedMember);
        return named(caller.appId(), changedMember);
    }

    /** Makes a member the owner; the previous owner becomes an admin. Only the owner (or the app) may. */
    @Transactional
    Conversation transferOwnership(Caller caller, String conversationId, String newOwnerId) {
        Conversation current = lockGroup(caller, conversationId);
        Member actor = actor(caller, current);
        if (actor != null && actor.role() != Role.OWNER) {
            throw roleViolation("Only the owner may transfer ownership");
        }
        Member newOwner = store.findMember(caller.appId(), conversationId, newOwnerId)
                .orElseThrow(() -> memberNotFound(conversationId, newOwnerId));
        if (newOwner.role() == Role.OWNER) {
            return current;
        }
        List<Member> changedMembers = new ArrayList<>();
        store.owner(caller.appId(), conversationId)
                .ifPresent(previous -> changedMembers.add(previous.withRole(Role.ADMIN)));
        changedMembers.add(newOwner.withRole(Role.OWNER));
        changedMembers.forEach(m -> store.updateMember(caller.appId(), conversationId, m));
        Conversation changed = current.changed(current.memberCount(), now());
        store.update(changed);
        events.rolesChanged(changed, changedMembers);
        return changed;
    }

    private Conversation lock(Caller caller, String conversationId) {
        return store.findForUpdate(caller.appId(), conversationId).orElseThrow(() -> notFound(conversationId));
    }

    /** Locks a conversation whose members may change: not direct, not system, not archived. */
    private Conversation lockGroup(Caller caller, String conversationId) {
        Conversation current = lock(caller, conversationId);
        if (current.type() != Type.GROUP) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "The members of a " + current.type().name().toLowerCase() + " conversation are fixed");
        }
        if (current.archived()) {
            throw archived(conversationId);
        }
        return current;
    }

    /** The calling user as a member, or {@code null} for an app token; a user who is not a member sees nothing. */
    private Member actor(Caller caller, Conversation conversation) {
        if (!caller.user()) {
            return null;
        }
        return store.findMember(caller.appId(), conversation.conversationId(), caller.subject())
                .orElseThrow(() -> notFound(conversation.conversationId()));
    }

    /** The owner acts on anyone; an admin on members only; a member on nobody else. */
    private static void requireAbove(Member actor, Member target, String verb) {
        boolean allowed = actor.role() == Role.OWNER
                || (actor.role() == Role.ADMIN && target.role() == Role.MEMBER);
        if (!allowed) {
            throw roleViolation("A " + actor.role().name().toLowerCase() + " may not " + verb + " a "
                    + target.role().name().toLowerCase());
        }
    }

    private static List<Member> membersOf(Caller caller, NewConversation request, Instant now) {
        Map<String, Member> members = new LinkedHashMap<>();
        if (caller.user() && request.type() != Type.SYSTEM) {
            members.put(caller.subject(), Member.joining(caller.subject(),
                    request.type() == Type.GROUP ? Role.OWNER : Role.MEMBER, now));
        }
        for (Member member : request.members()) {
            Role role = request.type() == Type.GROUP ? member.role() : Role.MEMBER;
            if (members.putIfAbsent(member.userId(), Member.joining(member.userId(), role, now)) != null
                    && !member.userId().equals(caller.subject())) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "User " + member.userId() + " is listed twice");
            }
        }
        List<Member> result = new ArrayList<>(members.values());
        if (result.stream().filter(m -> m.role() == Role.OWNER).count() > 1) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A conversation has at most one owner");
        }
        switch (request.type()) {
            case DIRECT -> {
                if (result.size() != 2) {
                    throw new ApiException(ErrorCode.VALIDATION_FAILED, "A direct conversation has exactly two members");
                }
            }
            case SYSTEM -> {
                if (caller.user()) {
                    throw new ApiException(ErrorCode.FORBIDDEN, "System conversations are created by the app");
                }
                if (result.size() != 1 || request.source() == null) {
                    throw new ApiException(ErrorCode.VALIDATION_FAILED,
                            "A system conversation has a source and exactly one member");
                }
            }
            case GROUP -> {
                if (result.isEmpty()) {
                    throw new ApiException(ErrorCode.VALIDATION_FAILED, "A conversation needs at least one member");
                }
            }
        }
        return result;
    }

    private static List<Member> distinct(List<Member> members) {
        Map<String, Member> byUser = new LinkedHashMap<>();
        members.forEach(m -> byUser.putIfAbsent(m.userId(), m));
        return List.copyOf(byUser.values());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ApiException notFound(String conversationId) {
        return new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
    }

    private static ApiException memberNotFound(String conversationId, String userId) {
        return new ApiException(ErrorCode.MEMBER_NOT_FOUND, "User " + userId + " is not a member of " + conversationId);
    }

    private static ApiException archived(String conversationId) {
        return new ApiException(ErrorCode.CONVERSATION_ARCHIVED, "Conversation " + conversationId + " is archived");
    }

    private static ApiException roleViolation(String detail) {
        return new ApiException(ErrorCode.ROLE_NOT_ALLOWED, detail);
    }
}
