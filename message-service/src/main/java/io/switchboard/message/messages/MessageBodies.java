package io.switchboard.message.messages;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A message's content as stored in the {@code body} column: its JSON document. */
@Component
class MessageBodies {

    private final JsonMapper json;

    MessageBodies(JsonMapper json) {
        this.json = json;
    }

    byte[] write(Content content) {
        return json.writeValueAsBytes(content);
    }

    Content read(byte[] body) {
        return json.readValue(body, Content.class);
    }

    /** The JSON size of a custom payload, as it is stored and published. */
    int payloadSize(Content.Custom custom) {
        return json.writeValueAsBytes(custom.payload()).length;
    }
}
