package io.switchboard.message.messages;

import io.switchboard.message.MessageProperties;
import io.switchboard.message.WebLinks;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a message's content must follow beyond its field constraints: which parts each type
 * carries, size limits, well-formed card buttons. A card or custom message without a text fallback
 * gets one, so every client can show something.
 */
@Component
public class ContentRules {

    private final MessageProperties limits;
    private final MessageBodies bodies;

    ContentRules(MessageProperties limits, MessageBodies bodies) {
        this.limits = limits;
        this.bodies = bodies;
    }

    public Content validated(Content content) {
        String text = content.text() == null ? "" : content.text();
        switch (content.type()) {
            case TEXT -> {
                require(!text.isBlank(), "A TEXT message needs a non-blank text");
                require(content.card() == null && content.custom() == null, "A TEXT message carries text only");
            }
            case CARD -> {
                require(content.card() != null, "A CARD message needs a card");
                require(content.custom() == null, "A CARD message carries no custom content");
                checkActions(content.card().actions());
                if (text.isBlank()) {
                    text = content.card().title();
                }
            }
            case CUSTOM -> {
                require(content.custom() != null, "A CUSTOM message needs custom content (type and payload)");
                require(content.card() == null, "A CUSTOM message carries no card");
                int size = bodies.payloadSize(content.custom());
                if (size > limits.maxCustomPayload().toBytes()) {
                    throw new ApiException(ErrorCode.MESSAGE_TOO_LARGE, "The custom payload has " + size
                            + " bytes of JSON; the limit is " + limits.maxCustomPayload().toBytes());
                }
                if (text.isBlank()) {
                    text = "[" + content.custom().type() + "]";
                }
            }
        }
        int length = text.codePointCount(0, text.length());
        if (length > limits.maxTextLength()) {
            throw new ApiException(ErrorCode.MESSAGE_TOO_LARGE, "The text has " + length
                    + " characters; the limit is " + limits.maxTextLength());
        }
        require(Set.copyOf(content.mentions()).size() == content.mentions().size(), "A user is mentioned twice");
        return new Content(content.type(), text, content.card(), content.custom(), content.mentions(),
                content.mentionAll());
    }

    private static void checkActions(List<Content.Action> actions) {
        Set<String> ids = new HashSet<>();
        for (Content.Action action : actions) {
            require(ids.add(action.id()), "Two card actions have the id " + action.id());
            require(action.url() == null ^ action.callbackId() == null,
                    "Card action " + action.id() + " needs exactly one of url and callbackId");
            if (action.url() != null) {
                require(WebLinks.isWebLink(action.url()),
                        "Card action " + action.id() + " needs an absolute http or https url");
            }
        }
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, detail);
        }
    }
}
