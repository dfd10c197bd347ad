package io.switchboard.membership.users;

import java.util.Locale;
import java.util.Optional;

/**
 * Users' preferred locales are BCP 47 language tags ({@code de}, {@code pt-BR}, {@code zh-Hant-TW}).
 * A tag is accepted when {@link Locale#forLanguageTag} reads all of it, i.e. when the tag Java
 * writes back is the same one ignoring case; anything else ({@code en_US}, {@code german}) would
 * be read as a different or empty locale and pick the wrong templates, so it is refused.
 */
public final class LanguageTags {

    /** The longest tag accepted (and stored). */
    public static final int MAX_LENGTH = 64;

    private LanguageTags() {
    }

    /** The tag in canonical case ({@code pt-br} -> {@code pt-BR}), or empty when it is not a well-formed language tag. */
    public static Optional<String> canonical(String tag) {
        if (tag == null || tag.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String written = Locale.forLanguageTag(tag).toLanguageTag();
        return written.equalsIgnoreCase(tag) && !written.equals("und") ? Optional.of(written) : Optional.empty();
    }
}
