package io.switchboard.membership.conversations;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of a user's conversations ended: the last one's change time and id. Opaque to
 * clients (base64url), so the ordering can change without breaking them.
 */
record PageCursor(Instant updatedAt, String conversationId) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((updatedAt.toEpochMilli() + "|" + conversationId).getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor parse(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = decoded.indexOf('|');
            return new PageCursor(Instant.ofEpochMilli(Long.parseLong(decoded.substring(0, bar))),
                    decoded.substring(bar + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The cursor is not one this API returned");
        }
    }
}
