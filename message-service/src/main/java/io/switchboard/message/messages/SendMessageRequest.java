package io.switchboard.message.messages;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A message to send. {@code type} says which content is set: {@code text} for TEXT; {@code card}
 * for CARD and {@code custom} for CUSTOM, each with an optional {@code text} fallback.
 *
 * @param replyTo seq of the message this one answers; the reply joins that message's thread
 */
public record SendMessageRequest(@NotNull Content.ContentType type,
                                 String text,
                                 @Valid Content.Card card,
                                 @Valid Content.Custom custom,
                                 @Positive Long replyTo,
                                 @Size(max = 100) List<@NotBlank @Size(max = 160) String> mentions,
                                 Boolean mentionAll) {

    Content content() {
        return new Content(type, text, card, custom, mentions, Boolean.TRUE.equals(mentionAll));
    }
}
