package io.switchboard.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses a NUL character in the text of a JSON request body (a string field, or a map key), as the
 * firewall does in parameters: no text column stores one and nothing a client means contains one,
 * so it is a malformed request (400), not a failure of the database later.
 */
final class TextWithoutNul {

    private static final String REASON = "text must not contain a NUL character (\\u0000)";

    private TextWithoutNul() {
    }

    static SimpleModule module() {
        return new SimpleModule("text-without-nul")
                .addDeserializer(String.class, new Strings())
                .addKeyDeserializer(String.class, new Keys());
    }

    private static final class Strings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            return value != null && value.indexOf('\u0000') >= 0
                    ? (String) context.handleWeirdStringValue(String.class, value, REASON) : value;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            return key.indexOf('\u0000') >= 0 ? context.handleWeirdKey(String.class, key, REASON) : key;
        }
    }
}
