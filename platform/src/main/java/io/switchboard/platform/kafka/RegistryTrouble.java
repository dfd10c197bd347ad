package io.switchboard.platform.kafka;

import com.microsoft.kiota.ApiException;
import io.vertx.core.VertxException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure of the schema registry's client is the registry (or the way to it) failing
 * rather than the record: none of these can come from a record's bytes, so retrying cannot block
 * on bad input. The network failing (refused, reset, closed, timed out, no such host; Vert.x's own
 * exceptions, as the registry client uses Vert.x), and answers that say "not now" or "not you"
 * rather than "no such schema": 5xx, 408, 429, and 401/403 (a credential or policy to fix, after
 * which the record reads).
 */
public final class RegistryTrouble {

    private RegistryTrouble() {
    }

    /** Whether {@code failure} itself is such a failure. */
    public static boolean is(Throwable failure) {
        return failure instanceof SocketException || failure instanceof SocketTimeoutException
                || failure instanceof HttpTimeoutException || failure instanceof UnknownHostException
                || failure instanceof ClosedChannelException || failure instanceof TimeoutException
                || failure instanceof VertxException
                || failure instanceof ApiException answer && isTransientStatus(answer.getResponseStatusCode());
    }

    /** Whether {@code failure} or one of its causes is such a failure. */
    public static boolean within(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (is(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientStatus(int status) {
        return status >= 500 || status == 401 || status == 403 || status == 408 || status == 429;
    }
}
