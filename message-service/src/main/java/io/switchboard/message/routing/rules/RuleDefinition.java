package io.switchboard.message.routing.rules;

import io.swagger.v3.oas.annotations.media.Schema;
import io.switchboard.events.membership.MemberRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A routing rule as an app writes it: which business events it matches, whom they notify, what the
 * notification says, and how much noise it may make. Everything a rule renders is a logic-less
 * Mustache template over the event (see the README's "Routing rules").
 *
 * @param enabled  a disabled rule is kept (and versioned) but matches nothing; default true
 * @param critical critical notifications bypass throttling and digests (the rule's and the
 *                 recipients' digest preferences); a recipient's mute still applies
 */
public record RuleDefinition(@NotBlank @Size(max = 200) String name,
                             Boolean enabled,
                             @NotNull @Valid Match match,
                             @NotEmpty @Size(max = 20) List<@Valid @NotNull Target> targets,
                             @NotNull @Valid ContentTemplate content,
                             Boolean critical,
                             @Valid Throttle throttle,
                             @Valid Digest digest) {

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public boolean isCritical() {
        return critical != null && critical;
    }

    /**
     * @param source     the event's source, exactly
     * @param eventTypes the event types it matches; empty matches every type of the source
     * @param condition  a CEL expression over the event that must be true, e.g.
     *                   {@code payload.amount >= 10000 && entity.type == 'deal'}; optional
     */
    public record Match(@NotBlank @Size(max = 100) String source,
                        @Size(max = 50) List<@NotBlank @Size(max = 200) String> eventTypes,
                        @Size(max = 2000) String condition) {
        public Match {
            eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        }
    }

    /**
     * Who is notified. A target naming people (every type but {@code CONVERSATION}) notifies each of
     * them in their own system conversation for the event's source; {@code CONVERSATION} posts once
     * in a group conversation.
     */
    @Schema(description = "USERS: userIds. EVENT_FIELD: field = actor | concerns | payload.<key> (a user id or a list). "
            + "CONVERSATION: conversationId. CONVERSATION_ROLE: conversationId + roles. DEPARTMENT: departmentId "
            + "(sub-departments included). TAG: tag.")
    public record Target(@NotNull Type type,
                         @Size(max = 1000) List<@NotBlank @Size(max = 200) String> userIds,
                         @Size(max = 200) String field,
                         @Size(max = 200) String conversationId,
                         @Size(max = 3) List<@NotNull MemberRole> roles,
                         @Size(max = 200) String departmentId,
                         @Size(max = 200) String tag) {

        public enum Type { USERS, EVENT_FIELD, CONVERSATION, CONVERSATION_ROLE, DEPARTMENT, TAG }
    }

    /**
     * @param text    the notification text (for a card, the fallback for clients that cannot show cards)
     * @param card    optional card
     * @param locales variants by BCP 47 language tag ({@code de}, {@code pt-BR}); a recipient gets
     *                the variant of their locale, else of its language, else the default
     */
    public record ContentTemplate(@NotBlank @Size(max = 4000) String text,
                                  @Valid CardTemplate card,
                                  @Size(max = 50) Map<@NotBlank @Size(max = 35) String, @Valid @NotNull Localized> locales) {
        public ContentTemplate {
            locales = locales == null ? Map.of() : Map.copyOf(locales);
        }
    }

    /** A locale's variant: its own text and card (no card: the default card is not used). */
    public record Localized(@NotBlank @Size(max = 4000) String text, @Valid CardTemplate card) {
    }

    public record CardTemplate(@NotBlank @Size(max = 400) String title,
                               @Size(max = 20) List<@Valid @NotNull FieldTemplate> fields,
                               @Size(max = 10) List<@Valid @NotNull ActionTemplate> actions) {
        public CardTemplate {
            fields = fields == null ? List.of() : List.copyOf(fields);
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    public record FieldTemplate(@NotBlank @Size(max = 200) String label, @NotNull @Size(max = 2000) String value) {
    }

    /** A button: opens {@code url} or sends {@code callbackId} to the app; exactly one of them. */
    public record ActionTemplate(@NotBlank @Size(max = 64) String id, @NotBlank @Size(max = 200) String label,
                                 @Size(max = 4000) String url, @Size(max = 512) String callbackId) {
    }

    /**
     * At most {@code max} notifications per recipient and key within each window of {@code per};
     * the rest are suppressed (and counted).
     *
     * @param key template of the throttle key, e.g. {@code {{entity.id}}}; default: one key per rule
     */
    public record Throttle(@Min(1) @Max(100_000) int max, @NotNull Duration per, @Size(max = 500) String key) {
    }

    /**
     * Collects the notifications for a recipient and key during {@code window} (from the first
     * one), then sends one summary.
     *
     * @param key  template of the digest key; default: one digest per rule and recipient
     * @param text template of the summary over {@code count}, {@code events} (each with the event's
     *             names and its rendered {@code text}), {@code first}, {@code last}; default lists the texts
     */
    public record Digest(@NotNull Duration window, @Size(max = 500) String key, @Size(max = 4000) String text) {
    }
}
