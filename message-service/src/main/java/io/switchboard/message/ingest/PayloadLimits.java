package io.switchboard.message.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How large a business event's payload may be, whichever way it arrives: posted over HTTP (400
 * {@code validation-failed}) or produced on Kafka (dead-lettered as {@code payload-too-large}).
 * Routing renders templates over the payload on consumers every app shares, and its lists are what
 * template sections loop over, so their length is capped too.
 *
 * @param maxSize      JSON size of the payload after flattening
 * @param maxKeys      keys of the payload after flattening
 * @param maxListItems items of any one list value
 */
@ConfigurationProperties("switchboard.events.payload")
public record PayloadLimits(@DefaultValue("64KB") DataSize maxSize,
                            @DefaultValue("200") int maxKeys,
                            @DefaultValue("100") int maxListItems) {

    /** One limit a payload exceeds; {@code key} is the payload key it concerns, or null for the whole payload. */
    public record Violation(String key, String message) {
        @Override
        public String toString() {
            return (key == null ? "payload" : "payload." + key) + " " + message;
        }
    }

    /** Every limit the (flattened) payload exceeds; empty when it fits. */
    public List<Violation> violations(Map<String, ?> payload, JsonMapper json) {
        List<Violation> violations = new ArrayList<>();
        if (payload.size() > maxKeys) {
            violations.add(new Violation(null, "has " + payload.size() + " keys after flattening; the limit is " + maxKeys));
        }
        payload.forEach((key, value) -> {
            if (value instanceof List<?> list && list.size() > maxListItems) {
                violations.add(new Violation(key, "has " + list.size() + " items; the limit is " + maxListItems));
            }
        });
        if (violations.isEmpty()) {
            long size = json.writeValueAsBytes(payload).length;
            if (size > maxSize.toBytes()) {
                violations.add(new Violation(null, "has " + size + " bytes of JSON after flattening; the limit is "
                        + maxSize.toBytes()));
            }
        }
        return violations;
    }
}
