package io.switchboard.schemas.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * How Switchboard signs a webhook delivery, and how the receiving app verifies it (Slack's scheme,
 * with Stripe's several signatures per header during a secret rotation).
 *
 * <p>Every delivery is a {@code POST} of a JSON body with these headers:
 * <ul>
 *   <li>{@value #DELIVERY_ID_HEADER}: the delivery's id, the same on every attempt: deduplicate on it</li>
 *   <li>{@value #ATTEMPT_HEADER}: 1 for the first attempt, then 2, 3, ...</li>
 *   <li>{@value #EVENT_TYPE_HEADER}: the event type, e.g. {@code message.created}</li>
 *   <li>{@value #TIMESTAMP_HEADER}: when this attempt was signed, in Unix seconds</li>
 *   <li>{@value #SIGNATURE_HEADER}: {@code v1=<hex>}, or {@code v1=<hex>,v1=<hex>} while a rotated
 *       secret still overlaps with the new one: one entry per secret in effect</li>
 * </ul>
 * Each signature is the lower-case hex HMAC-SHA256, keyed with the endpoint's signing secret (its
 * UTF-8 bytes, exactly as shown once by the API), of {@code "v1:" + timestamp + ":"} followed by the
 * raw body bytes. A receiver recomputes it over the body <em>as received</em> (before any JSON
 * parsing), accepts the delivery if any entry matches, and refuses a timestamp further than its
 * tolerance from its own clock (default five minutes): a captured request cannot be replayed later.
 */
public final class WebhookSignature {

    /** The scheme version: the prefix of the signed text and of each signature entry. */
    public static final String VERSION = "v1";
    public static final String DELIVERY_ID_HEADER = "Switchboard-Delivery-Id";
    public static final String ATTEMPT_HEADER = "Switchboard-Delivery-Attempt";
    public static final String EVENT_TYPE_HEADER = "Switchboard-Event-Type";
    public static final String TIMESTAMP_HEADER = "Switchboard-Request-Timestamp";
    public static final String SIGNATURE_HEADER = "Switchboard-Signature";
    /** How far a timestamp may be from the receiver's clock, either way, unless it chooses otherwise. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = VERSION + "=";

    /** Why a delivery was accepted or refused. */
    public enum Verification {
        /** A signature entry matches one of the secrets and the timestamp is within the tolerance. */
        VALID,
        /** The timestamp or signature header is absent. */
        MISSING_HEADER,
        /** The timestamp is not a whole number of seconds. */
        MALFORMED_TIMESTAMP,
        /** The timestamp is further from the receiver's clock than the tolerance: possibly a replay. */
        STALE_TIMESTAMP,
        /** No signature entry matches: a different secret, or a changed body or timestamp. */
        SIGNATURE_MISMATCH
    }

    private WebhookSignature() {
    }

    /** The signature entry of one secret: {@code v1=<hex>}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /** The {@value #SIGNATURE_HEADER} value: one entry per secret, in the order given. */
    public static String header(List<String> secrets, long timestamp, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        return String.join(",", secrets.stream().map(secret -> sign(secret, timestamp, body)).toList());
    }

    /**
     * Verifies a received delivery.
     *
     * @param secrets         the secrets the receiver holds for the endpoint (during a rotation,
     *                        the old and the new one)
     * @param timestampHeader the {@value #TIMESTAMP_HEADER} header as received, or null
     * @param signatureHeader the {@value #SIGNATURE_HEADER} header as received, or null
     * @param body            the raw request body
     * @param now             the receiver's clock
     * @param tolerance       how far the timestamp may be from {@code now}, either way
     */
    public static Verification verify(List<String> secrets, String timestampHeader, String signatureHeader,
                                      byte[] body, Instant now, Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null) {
            return Verification.MISSING_HEADER;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return Verification.MALFORMED_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return Verification.STALE_TIMESTAMP;
        }
        for (String secret : secrets) {
            byte[] expected = hmac(Objects.requireNonNull(secret), timestamp, body);
            for (String entry : signatureHeader.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.startsWith(PREFIX) && matches(expected, trimmed.substring(PREFIX.length()))) {
                    return Verification.VALID;
                }
            }
        }
        return Verification.SIGNATURE_MISMATCH;
    }

    /** {@link #verify} with one secret, the receiver's clock and the default tolerance. */
    public static Verification verify(String secret, String timestampHeader, String signatureHeader, byte[] body) {
        return verify(List.of(secret), timestampHeader, signatureHeader, body, Instant.now(), DEFAULT_TOLERANCE);
    }

    private static boolean matches(byte[] expected, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);   // constant time: no timing oracle on the signature
    }

    private static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
