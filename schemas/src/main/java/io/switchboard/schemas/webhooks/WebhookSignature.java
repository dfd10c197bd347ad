package io.switchboard.schemas.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * How Switchboard signs a webhook delivery, and how the receiving app verifies it: the
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> scheme, so any of its
 * libraries verifies a delivery unchanged. Signing uses its Java library.
 *
 * <p>Every delivery is a {@code POST} of a JSON body (which names the event's {@code type}) with
 * these headers:
 * <ul>
 *   <li>{@value #ID_HEADER}: the delivery's id, the same on every attempt: deduplicate on it</li>
 *   <li>{@value #TIMESTAMP_HEADER}: when this attempt was signed, in Unix seconds</li>
 *   <li>{@value #SIGNATURE_HEADER}: {@code v1,<base64>}, or several of them separated by spaces while a
 *       rotated secret still overlaps with the new one: one per secret in effect</li>
 *   <li>{@value #ATTEMPT_HEADER} (1, 2, 3, ...) and {@value #EVENT_TYPE_HEADER}: for routing and logs,
 *       not signed; the event type is also in the signed body</li>
 * </ul>
 * Each signature is the base64 HMAC-SHA256, keyed with the secret's bytes (the base64 after
 * {@code whsec_}), of {@code id + "." + timestamp + "." + body}: the delivery id and the time are
 * signed with the body, so neither can be swapped. A receiver recomputes it over the body
 * <em>as received</em>, accepts the delivery if any signature matches, and refuses a timestamp
 * further than its tolerance from its own clock (default five minutes): a captured request cannot
 * be replayed later. A secret issued before Switchboard signed this way is url-safe base64; its
 * bytes are the same written in standard base64.
 */
public final class WebhookSignature {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String ATTEMPT_HEADER = "Switchboard-Delivery-Attempt";
    public static final String EVENT_TYPE_HEADER = "Switchboard-Event-Type";
    /** The prefix of a signing secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** How far a timestamp may be from the receiver's clock, either way, unless it chooses otherwise. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v1,";

    /** Why a delivery was accepted or refused. */
    public enum Verification {
        /** A signature matches one of the secrets and the timestamp is within the tolerance. */
        VALID,
        /** The id, timestamp or signature header is absent. */
        MISSING_HEADER,
        /** The timestamp is not a whole number of seconds. */
        MALFORMED_TIMESTAMP,
        /** The timestamp is further from the receiver's clock than the tolerance: possibly a replay. */
        STALE_TIMESTAMP,
        /** No signature matches: a different secret, or a changed id, timestamp or body. */
        SIGNATURE_MISMATCH
    }

    private WebhookSignature() {
    }

    /** The signature of one secret: {@code v1,<base64>}. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            return new Webhook(key(secret)).sign(id, timestamp, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The {@value #SIGNATURE_HEADER} value: one signature per secret, in the order given, separated by spaces. */
    public static String header(List<String> secrets, String id, long timestamp, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        return String.join(" ", secrets.stream().map(secret -> sign(secret, id, timestamp, body)).toList());
    }

    /**
     * Verifies a received delivery.
     *
     * @param secrets         the secrets the receiver holds for the endpoint (during a rotation,
     *                        the old and the new one)
     * @param id              the {@value #ID_HEADER} header as received, or null
     * @param timestampHeader the {@value #TIMESTAMP_HEADER} header as received, or null
     * @param signatureHeader the {@value #SIGNATURE_HEADER} header as received, or null
     * @param body            the raw request body
     * @param now             the receiver's clock
     * @param tolerance       how far the timestamp may be from {@code now}, either way
     */
    public static Verification verify(List<String> secrets, String id, String timestampHeader, String signatureHeader,
                                      byte[] body, Instant now, Duration tolerance) {
        if (id == null || timestampHeader == null || signatureHeader == null) {
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
            byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
            for (String given : signatureHeader.trim().split(" +")) {
                // constant time: no timing oracle on the signature
                if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
                    return Verification.VALID;
                }
            }
        }
        return Verification.SIGNATURE_MISMATCH;
    }

    /** {@link #verify} with one secret, the receiver's clock and the default tolerance. */
    public static Verification verify(String secret, String id, String timestampHeader, String signatureHeader,
                                      byte[] body) {
        return verify(List.of(secret), id, timestampHeader, signatureHeader, body, Instant.now(), DEFAULT_TOLERANCE);
    }

    /** A secret's key bytes: the base64 after {@code whsec_}, standard or url-safe (secrets issued before). */
    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A signing secret is whsec_ followed by base64", e);
        }
    }
}
