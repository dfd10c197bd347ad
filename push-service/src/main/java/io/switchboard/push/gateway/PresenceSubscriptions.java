package io.switchboard.push.gateway;

import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.push.PushProperties;
import io.switchboard.push.views.PresenceView;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Sessions watching the presence of their contacts ({@code presence.subscribe}): each gets the
 * watched users' presence at once, then a {@code presence.changed} frame whenever this gateway's
 * presence view applies a change of one of them. Every gateway reads all of
 * {@code presence.changes}, so it tells its own sessions without asking the others. A user may
 * watch only people they share a conversation with, and at most {@code presence-subscription-limit}
 * of them per session.
 */
@Component
class PresenceSubscriptions {

    /** Why a subscription was refused: a stable code for the client and a readable detail. */
    record Refusal(String code, String detail) {
    }

    private final PresenceView presence;
    private final MembershipView membership;
    private final Frames frames;
    private final int limit;
    /** Watched user (presence key) → the sessions watching them. */
    private final Map<String, Set<PushSession>> watchers = new ConcurrentHashMap<>();

    PresenceSubscriptions(PresenceView presence, MembershipView membership, Frames frames, PushProperties properties) {
        this.presence = presence;
        this.membership = membership;
        this.frames = frames;
        this.limit = properties.presenceSubscriptionLimit();
        presence.addListener((key, previous, current, partition, offset) -> {
            if (current != null && !sameOnlineState(previous, current)) {
                tellWatchers(key, current);
            }
        });
    }

    /** Watches {@code userIds}, or the members of {@code conversationId} when given; null if accepted. */
    Refusal subscribe(PushSession session, Collection<String> userIds, String conversationId) {
        Set<String> watched;
        if (conversationId != null) {
            if (!membership.isMember(session.appId(), conversationId, session.userId())) {
                return new Refusal("presence-not-allowed", "Not a member of conversation " + conversationId);
            }
            watched = Set.copyOf(membership.memberIds(session.appId(), conversationId));
        } else {
            watched = Set.copyOf(userIds);
            Set<String> ownConversations = membership.conversationIdsOf(session.appId(), session.userId());
            for (String userId : watched) {
                if (!isContact(session, ownConversations, userId)) {
                    return new Refusal("presence-not-allowed", "Presence is visible only among people who share a conversation");
                }
            }
        }
        if (session.watchedUsers().size() + watched.size() > limit) {
            return new Refusal("presence-limit", "A session watches at most " + limit + " users");
        }
        for (String userId : watched) {
            if (session.watchedUsers().add(userId)) {
                watchers.computeIfAbsent(Topics.presenceKey(session.appId(), userId), k -> ConcurrentHashMap.newKeySet())
                        .add(session);
            }
            session.send(frames.presenceChanged(userId, presence.get(Topics.presenceKey(session.appId(), userId)).orElse(null)));
        }
        return null;
    }

    /** Stops watching {@code userIds}. */
    void unsubscribe(PushSession session, Collection<String> userIds) {
        for (String userId : userIds) {
            if (session.watchedUsers().remove(userId)) {
                forget(Topics.presenceKey(session.appId(), userId), session);
            }
        }
    }

    /** The session closed: it watches no one any more. */
    void sessionClosed(PushSession session) {
        for (String userId : session.watchedUsers()) {
            forget(Topics.presenceKey(session.appId(), userId), session);
        }
        session.watchedUsers().clear();
    }

    private void forget(String key, PushSession session) {
        watchers.computeIfPresent(key, (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    private boolean isContact(PushSession session, Set<String> ownConversations, String userId) {
        if (userId.equals(session.userId())) {
            return true;
        }
        Set<String> theirs = membership.conversationIdsOf(session.appId(), userId);
        return ownConversations.stream().anyMatch(theirs::contains);
    }

    private void tellWatchers(String key, PresenceState current) {
        Set<PushSession> sessions = watchers.get(key);
        if (sessions == null) {
            return;
        }
        String frame = frames.presenceChanged(current.getUserId(), current);
        sessions.forEach(session -> session.send(frame));
    }

    /** Watchers hear of a user going on- or offline and of their devices changing, not of every reconnect. */
    private static boolean sameOnlineState(PresenceState previous, PresenceState current) {
        return previous != null && devices(previous).equals(devices(current));
    }

    static Set<String> devices(PresenceState state) {
        return state.getSessions().stream().map(PresenceSession::getDeviceId)
                .map(device -> device == null ? "" : device).collect(Collectors.toSet());
    }
}
