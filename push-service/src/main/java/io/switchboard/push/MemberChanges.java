package io.switchboard.push;

import io.switchboard.events.membership.ConversationMember;

import java.util.Locale;

/**
 * What a {@code membership.members} record says about the change that wrote it, in the words of
 * webhooks and WebSocket frames: {@code joined}, {@code left}, {@code role-changed}, {@code muted},
 * {@code unmuted} or {@code updated}.
 */
public final class MemberChanges {

    /** The member is gone: their record is a tombstone. */
    public static final String LEFT = "left";

    private MemberChanges() {
    }

    /**
     * {@code left} for a tombstone ({@code member} null), else the record's {@code change} as a
     * wire name ({@code ROLE_CHANGED} is {@code role-changed}); null for a record membership-service
     * published before it reported changes.
     */
    public static String of(ConversationMember member) {
        if (member == null) {
            return LEFT;
        }
        return member.getChange() == null ? null : member.getChange().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
