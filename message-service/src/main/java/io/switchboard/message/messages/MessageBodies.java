package io.switchboard.message.messages;

import io.switchboard.message.crypto.MessageKeys;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message's content as stored in the {@code body} column: its JSON document, encrypted with the
 * app's data key (AES-256-GCM). The message id is the associated data, so a body cannot be moved
 * to another message.
 */
@Component
class MessageBodies {

    private final JsonMapper json;
    private final MessageKeys keys;

    MessageBodies(JsonMapper json, MessageKeys keys) {
        this.json = json;
        this.keys = keys;
    }

    byte[] seal(String appId, String messageId, Content content) {
        return keys.encrypt(appId, json.writeValueAsBytes(content), messageId);
    }

    Content open(String appId, String messageId, byte[] body) {
        return json.readValue(keys.decrypt(appId, body, messageId), Content.class);
    }

    /** The JSON size of a custom payload, as it is stored and published. */
    int payloadSize(Content.Custom custom) {
        return json.writeValueAsBytes(custom.payload()).length;
    }
}
