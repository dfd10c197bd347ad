package io.switchboard.push.gateway;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.membership.ConversationsView;
import io.switchboard.platform.membership.MembersView;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.push.MemberChanges;
import org.springframework.stereotype.Component;

import java.util.Objects;
import java.util.Set;

/**
 * Tells users' sessions on this gateway about membership-service's changes as soon as this
 * gateway's views apply them, without a fanout: every gateway reads the whole membership topics.
 * <ul>
 *   <li>{@code membership.changed}: the user joined, left, or had their role ({@code role-changed})
 *       or mute ({@code muted}, {@code unmuted}) changed, or something else ({@code updated}), as
 *       membership-service says in the record. A user added to a conversation learns it at once
 *       and pulls the history, which covers anything fanned out before the view caught up; a
 *       member this view did not have is announced as joined whatever the record says.</li>
 *   <li>{@code conversation.changed}: a conversation the user is in was renamed, archived or had
 *       its posting rules or metadata changed (not every new member: those are counted, not told).</li>
 * </ul>
 * Records replayed while the views catch up at start-up are not announced (no session is open then).
 */
@Component
class MembershipNotifier {

    MembershipNotifier(MembersView members, ConversationsView conversations, MembershipView membership,
                       SessionRegistry sessions, Frames frames) {
        members.addListener((key, previous, current, partition, offset) -> {
            if (!members.isCaughtUp()) {
                return;
            }
            ConversationMember member = current != null ? current : previous;
            if (member == null) {
                return;
            }
            String change = current == null ? MemberChanges.LEFT : previous == null ? "joined"
                    : Objects.requireNonNullElse(MemberChanges.of(current), "updated");
            String frame = frames.membershipChanged(member.getConversationId(), change, current);
            sessions.sessionsOf(member.getAppId(), member.getUserId()).forEach(session -> session.send(frame));
        });
        conversations.addListener((key, previous, current, partition, offset) -> {
            if (!conversations.isCaughtUp() || current == null || previous == null || !attributesChanged(previous, current)) {
                return;
            }
            String frame = frames.conversationChanged(current);
            for (String userId : Set.copyOf(membership.memberIds(current.getAppId(), current.getConversationId()))) {
                sessions.sessionsOf(current.getAppId(), userId).forEach(session -> session.send(frame));
            }
        });
    }

    /** What members see of a conversation changed, not only its version or member count. */
    private static boolean attributesChanged(ConversationState previous, ConversationState current) {
        return !Objects.equals(previous.getName(), current.getName()) || previous.getArchived() != current.getArchived()
                || previous.getPostingPolicy() != current.getPostingPolicy() || previous.getMutedAll() != current.getMutedAll()
                || previous.getAddMembersPolicy() != current.getAddMembersPolicy()
                || !Objects.equals(previous.getMetadata(), current.getMetadata());
    }
}
