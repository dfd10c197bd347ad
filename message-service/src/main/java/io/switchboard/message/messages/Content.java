package io.switchboard.message.messages;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a message says: plain text, a card or an app-defined payload, and whom it mentions. This is
 * what message-service stores as a message's body.
 *
 * @param text for a card or custom message, the text fallback shown by clients that cannot render it
 */
public record Content(ContentType type, String text, Card card, Custom custom, List<String> mentions,
                      boolean mentionAll) {

    public Content {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    public static Content text(String text) {
        return new Content(ContentType.TEXT, text, null, null, List.of(), false);
    }

    /** What a recalled or deleted message shows: nothing. */
    public Content erased() {
        return new Content(type, "", null, null, List.of(), false);
    }

    public enum ContentType { TEXT, CARD, CUSTOM }

    /** A title, labelled fields and action buttons. */
    public record Card(@NotBlank @Size(max = 200) String title,
                       @Size(max = 20) List<@Valid @NotNull Field> fields,
                       @Size(max = 10) List<@Valid @NotNull Action> actions) {
        public Card {
            fields = fields == null ? List.of() : List.copyOf(fields);
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    public record Field(@NotBlank @Size(max = 100) String label, @NotNull @Size(max = 1000) String value) {
    }

    /** A button: opens {@code url}, or sends {@code callbackId} to the app; exactly one of them. */
    public record Action(@NotBlank @Size(max = 64) String id, @NotBlank @Size(max = 60) String label,
                         @Size(max = 2048) String url, @Size(max = 256) String callbackId) {
    }

    /** App-defined content: a type name and any JSON payload. */
    public record Custom(@NotBlank @Size(max = 64) String type, @NotNull JsonNode payload) {
    }
}
