package io.switchboard.push.gateway;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.platform.membership.MembersView;
import org.springframework.stereotype.Component;

/**
 * Tells a user's sessions on this gateway when their membership changes, as soon as this
 * gateway's members view applies it: a user added to a conversation learns it at once and pulls
 * the history, which covers anything fanned out before the view caught up. Records replayed while
 * the view catches up at start-up are not announced (no session is open then).
 */
@Component
class MembershipNotifier {

    MembershipNotifier(MembersView members, SessionRegistry sessions, Frames frames) {
        members.addListener((key, previous, current, partition, offset) -> {
            if (!members.isCaughtUp()) {
                return;
            }
            ConversationMember member = current != null ? current : previous;
            if (member == null) {
                return;
            }
            String change = previous == null ? "joined" : current == null ? "left" : "updated";
            String frame = frames.membershipChanged(member.getConversationId(), change, current);
            sessions.sessionsOf(member.getAppId(), member.getUserId()).forEach(session -> session.send(frame));
        });
    }
}
