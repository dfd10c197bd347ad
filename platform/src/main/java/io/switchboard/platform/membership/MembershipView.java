package io.switchboard.platform.membership;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.membership.PostingPolicy;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.schemas.Topics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeoutException;

/**
 * A service's view of membership, joined from its two compacted topics: conversations from
 * {@code membership.changes}, their members from {@code membership.members}. It lags
 * membership-service by the time a record takes to cross Kafka; {@link #findFresh} closes that gap
 * for a conversation that was just created.
 */
public class MembershipView {

    private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(5);

    private final ConversationsView conversations;
    private final MembersView members;

    public MembershipView(ConversationsView conversations, MembersView members) {
        this.conversations = conversations;
        this.members = members;
    }

    /** Why a member may not post now, or {@link PostingRefusal#NONE} when they may. */
    public enum PostingRefusal { NONE, NOT_A_MEMBER, ARCHIVED, ADMINS_ONLY, MUTED, MUTED_ALL }

    public Optional<ConversationState> find(String appId, String conversationId) {
        return conversations.get(Topics.conversationKey(appId, conversationId));
    }

    /**
     * Like {@link #find}, but waits (up to five seconds) for a conversation that is not known yet,
     * e.g. one created a moment ago whose state is still on its way.
     */
    public Optional<ConversationState> findFresh(String appId, String conversationId) {
        return findFresh(appId, conversationId, FreshnessBudget.of(FRESHNESS_WAIT));
    }

    /** Like {@link #findFresh(String, String)}, waiting only as long as the caller's {@code budget} has left. */
    public Optional<ConversationState> findFresh(String appId, String conversationId, FreshnessBudget budget) {
        return conversations.awaitKey(Topics.conversationKey(appId, conversationId), budget);
    }

    /**
     * Waits for the app's conversations that are not known yet, all together, within {@code budget}:
     * a request naming many conversations waits about once, however many are unknown.
     *
     * @return the ids of those that are known by then
     */
    public Set<String> awaitConversations(String appId, Collection<String> conversationIds, FreshnessBudget budget) {
        List<String> keys = conversationIds.stream().distinct().map(id -> Topics.conversationKey(appId, id)).toList();
        return conversations.awaitKeys(keys, budget).values().stream()
                .map(ConversationState::getConversationId).collect(Collectors.toSet());
    }

    /** A budget of the usual wait for conversations created a moment ago, for one request or poll. */
    public static FreshnessBudget freshnessBudget() {
        return FreshnessBudget.of(FRESHNESS_WAIT);
    }

    public Optional<ConversationMember> member(String appId, String conversationId, String userId) {
        return members.get(Topics.memberKey(appId, conversationId, userId));
    }

    public boolean isMember(String appId, String conversationId, String userId) {
        return find(appId, conversationId).isPresent() && member(appId, conversationId, userId).isPresent();
    }

    /** The user ids of the conversation's members (a live set; copy it to keep a snapshot). */
    public Set<String> memberIds(String appId, String conversationId) {
        return members.userIds(Topics.conversationKey(appId, conversationId));
    }

    /** The ids of the conversations a user is a member of (a live set; copy it to keep a snapshot). */
    public Set<String> conversationIdsOf(String appId, String userId) {
        return members.conversationIds(appId, userId);
    }

    /**
     * The members of a conversation as of {@code state} or later. membership-service publishes a
     * change's member records before the conversation's new state, but on another topic, so the
     * members view may briefly lag the conversations view; when the count disagrees with the state,
     * this waits (up to five seconds) until the members view has applied everything published so far.
     */
    public Set<String> memberIds(ConversationState state) {
        Set<String> ids = memberIds(state.getAppId(), state.getConversationId());
        if (ids.size() != state.getMemberCount()) {
            try {
                members.awaitCurrentEnd(FRESHNESS_WAIT);
            } catch (TimeoutException e) {
                // Kafka is slow or away: go on with what the view holds, the client resumes from history
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ids = memberIds(state.getAppId(), state.getConversationId());
        }
        return ids;
    }

    /** Applies the conversation's posting rules: archive, admins-only, a member's mute, mute-all and its allow-list. */
    public PostingRefusal postingRefusal(String appId, String conversationId, String userId, Instant now) {
        Optional<ConversationState> conversation = find(appId, conversationId);
        Optional<ConversationMember> member = member(appId, conversationId, userId);
        if (conversation.isEmpty() || member.isEmpty()) {
            return PostingRefusal.NOT_A_MEMBER;
        }
        ConversationState state = conversation.get();
        ConversationMember poster = member.get();
        boolean privileged = poster.getRole() != MemberRole.MEMBER;
        if (state.getArchived()) {
            return PostingRefusal.ARCHIVED;
        }
        if (state.getPostingPolicy() == PostingPolicy.ADMINS && !privileged) {
            return PostingRefusal.ADMINS_ONLY;
        }
        if (poster.getMutedUntil() != null && poster.getMutedUntil().isAfter(now)) {
            return PostingRefusal.MUTED;
        }
        if (state.getMutedAll() && !privileged && !poster.getMutedAllExempt()) {
            return PostingRefusal.MUTED_ALL;
        }
        return PostingRefusal.NONE;
    }
}
