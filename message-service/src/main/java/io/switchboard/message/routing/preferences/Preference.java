package io.switchboard.message.routing.preferences;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Duration;

/**
 * A user's choice for the notifications of a source, or of one event type of it.
 *
 * @param eventType    null: every event type of the source; a type-specific choice wins over it
 * @param digestWindow for {@link Mode#DIGEST}: how long notifications are collected (default one hour)
 */
public record Preference(@NotBlank @Size(max = 128) String source, @Size(max = 128) String eventType,
                         @NotNull Mode mode, Duration digestWindow) {

    public static final Duration DEFAULT_DIGEST_WINDOW = Duration.ofHours(1);

    /**
     * ALL: every notification as it comes; MUTE: none (critical ones neither); DIGEST: collected
     * into one summary per window (critical ones still come at once).
     */
    public enum Mode { ALL, MUTE, DIGEST }

    public Duration effectiveDigestWindow() {
        return digestWindow != null ? digestWindow : DEFAULT_DIGEST_WINDOW;
    }
}
