package io.switchboard.membership.conversations;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates and changes conversations. Every change is committed together with the conversation's
 * full new state on {@code membership.changes} (through the outbox), so other services can rebuild
 * membership from that topic alone.
 */
@Service
class Conversations {

    private final ConversationStore store;
    private final Outbox outbox;

    Conversations(ConversationStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /** A conversation and whether this call created it (a direct conversation may exist already). */
    record Outcome(Conversation conversation, boolean created) {
    }

    /**
     * Creates a conversation. A user creating a group becomes its owner. A direct conversation
     * exists at most once per pair of users: asking again returns the existing one.
     *
     * @param conversationId chosen by the caller, or {@code null} for a generated id
     */
    @Transactional
    Outcome create(Caller caller, String conversationId, Conversation.Type type, String name,
                   List<Conversation.Member> requestedMembers) {
        List<Conversation.Member> members = membersOf(caller, type, requestedMembers);
        String id = switch (type) {
            case DIRECT -> directId(members);
            default -> conversationId != null ? conversationId : "c_" + UUID.randomUUID().toString().replace("-", "");
        };
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Conversation conversation = new Conversation(caller.appId(), id, type, type == Conversation.Type.DIRECT ? null : name,
                1, members, now, now);
        if (!store.insert(conversation)) {
            if (type == Conversation.Type.DIRECT) {
                return new Outcome(get(caller, id), false);
            }
            throw new ApiException(ErrorCode.CONVERSATION_EXISTS, "Conversation " + id + " already exists");
        }
        publish(conversation);
        return new Outcome(conversation, true);
    }

    Conversation get(Caller caller, String conversationId) {
        Conversation conversation = store.find(caller.appId(), conversationId).orElseThrow(() -> notFound(conversationId));
        if (caller.user() && !conversation.hasMember(caller.subject())) {
            throw notFound(conversationId);
        }
        return conversation;
    }

    @Transactional
    Conversation addMembers(Caller caller, String conversationId, List<Conversation.Member> members) {
        Conversation current = lockForChange(caller, conversationId);
        if (members.stream().anyMatch(m -> m.role() == Conversation.Role.OWNER)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A conversation has one owner; add members as ADMIN or MEMBER");
        }
        if (store.addMembers(caller.appId(), conversationId, members, Instant.now()) == 0) {
            return current;
        }
        return changed(current);
    }

    @Transactional
    Conversation removeMember(Caller caller, String conversationId, String userId) {
        Conversation current = lockForChange(caller, conversationId);
        if (current.members().stream().anyMatch(m -> m.userId().equals(userId) && m.role() == Conversation.Role.OWNER)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The owner cannot be removed");
        }
        if (store.removeMember(caller.appId(), conversationId, userId) == 0) {
            return current;
        }
        return changed(current);
    }

    private Conversation lockForChange(Caller caller, String conversationId) {
        Conversation current = store.findForUpdate(caller.appId(), conversationId)
                .orElseThrow(() -> notFound(conversationId));
        if (current.type() == Conversation.Type.DIRECT) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The members of a direct conversation are fixed");
        }
        if (caller.user() && current.members().stream().noneMatch(m -> m.userId().equals(caller.subject())
                && m.role() != Conversation.Role.MEMBER)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only the owner or an admin may change the members");
        }
        return current;
    }

    private Conversation changed(Conversation before) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.bumpVersion(before.appId(), before.conversationId(), before.version() + 1, now);
        Conversation after = store.find(before.appId(), before.conversationId()).orElseThrow();
        publish(after);
        return after;
    }

    private void publish(Conversation conversation) {
        outbox.append(Topics.MEMBERSHIP_CHANGES, Topics.conversationKey(conversation.appId(), conversation.conversationId()),
                toEvent(conversation));
    }

    private static List<Conversation.Member> membersOf(Caller caller, Conversation.Type type,
                                                       List<Conversation.Member> requested) {
        Map<String, Conversation.Member> members = new LinkedHashMap<>();
        if (caller.user()) {
            members.put(caller.subject(), new Conversation.Member(caller.subject(),
                    type == Conversation.Type.GROUP ? Conversation.Role.OWNER : Conversation.Role.MEMBER));
        }
        for (Conversation.Member member : requested) {
            if (members.putIfAbsent(member.userId(), member) != null && !member.userId().equals(caller.subject())) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "User " + member.userId() + " is listed twice");
            }
        }
        List<Conversation.Member> result = new ArrayList<>(members.values());
        long owners = result.stream().filter(m -> m.role() == Conversation.Role.OWNER).count();
        if (owners > 1) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A conversation has at most one owner");
        }
        if (type == Conversation.Type.DIRECT && result.size() != 2) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A direct conversation has exactly two members");
        }
        if (result.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A conversation needs at least one member");
        }
        return result;
    }

    /** The one id a pair of users' direct conversation can have. */
    private static String directId(List<Conversation.Member> members) {
        List<String> pair = members.stream().map(Conversation.Member::userId).sorted().toList();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", pair).getBytes(StandardCharsets.UTF_8));
            return "d_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException notFound(String conversationId) {
        return new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
    }

    private static ConversationState toEvent(Conversation conversation) {
        return ConversationState.newBuilder()
                .setAppId(conversation.appId())
                .setConversationId(conversation.conversationId())
                .setType(ConversationType.valueOf(conversation.type().name()))
                .setName(conversation.name())
                .setVersion(conversation.version())
                .setMembers(conversation.members().stream()
                        .map(m -> io.switchboard.events.membership.Member.newBuilder()
                                .setUserId(m.userId()).setRole(MemberRole.valueOf(m.role().name())).build())
                        .toList())
                .setUpdatedAt(conversation.updatedAt())
                .build();
    }
}
