package io.switchboard.schemas.webhooks;

import io.switchboard.schemas.webhooks.WebhookSignature.Verification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

    static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"message.created\"}".getBytes(StandardCharsets.UTF_8);
    static final String ID = "msg_1";
    static final long TIMESTAMP = 1_700_000_000L;
    static final Instant AT_SIGNING = Instant.ofEpochSecond(TIMESTAMP);
    /** 32 key bytes (fb ff, then 30 times 01), in standard base64 as issued now. */
    static final String SECRET = "whsec_+/8BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    /** The same bytes in url-safe base64 without padding, as secrets were issued before. */
    static final String EARLIER_SECRET = "whsec_-_8BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";
    static final String OTHER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** The Standard Webhooks specification's own example signature. */
    @Test
    void signaturesMatchTheStandardWebhooksExample() {
        assertThat(WebhookSignature.sign(OTHER_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    /**
     * Computed independently: {@code printf 'msg_1.1700000000.<body>' | openssl dgst -sha256 -mac HMAC
     * -macopt hexkey:fbff0101... -binary | base64}; a secret issued before signs the same in either base64.
     */
    @Test
    void theIdTimestampAndBodyAreSignedAsOpensslComputesItWithEitherFormOfTheSecret() {
        String expected = "v1,aBIElOqOQwwAdOKtTktFkOEacb5qP1fLiadunaHZfRc=";

        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(expected);
        assertThat(WebhookSignature.sign(EARLIER_SECRET, ID, TIMESTAMP, BODY)).isEqualTo(expected);
        assertThat(WebhookSignature.header(List.of(OTHER_SECRET, SECRET), ID, TIMESTAMP, BODY)).endsWith(" " + expected);
    }

    @Test
    void aGenuineDeliveryVerifiesWithEitherSecretDuringARotation() {
        String header = WebhookSignature.header(List.of(OTHER_SECRET, SECRET), ID, TIMESTAMP, BODY);

        assertThat(verify(List.of(SECRET), ID, "1700000000", header, BODY, AT_SIGNING)).isEqualTo(Verification.VALID);
        assertThat(verify(List.of(OTHER_SECRET), ID, "1700000000", header, BODY, AT_SIGNING)).isEqualTo(Verification.VALID);
    }

    @Test
    void aTamperedBodyIdOrTimestampOrAnotherSecretFails() {
        String header = WebhookSignature.header(List.of(SECRET), ID, TIMESTAMP, BODY);
        byte[] tampered = "{\"id\":\"evt_1\",\"type\":\"message.deleted\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(verify(List.of(SECRET), ID, "1700000000", header, tampered, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of(SECRET), "msg_2", "1700000000", header, BODY, AT_SIGNING))
                .as("another delivery's id").isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of(SECRET), ID, "1700000001", header, BODY, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of(OTHER_SECRET), ID, "1700000000", header, BODY, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of(SECRET), ID, "1700000000", "v2," + header.substring(3), BODY, AT_SIGNING))
                .as("another scheme version").isEqualTo(Verification.SIGNATURE_MISMATCH);
    }

    @Test
    void aTimestampOutsideTheToleranceEitherWayIsStale() {
        String header = WebhookSignature.header(List.of(SECRET), ID, TIMESTAMP, BODY);

        assertThat(verify(List.of(SECRET), ID, "1700000000", header, BODY, AT_SIGNING.plusSeconds(300)))
                .isEqualTo(Verification.VALID);
        assertThat(verify(List.of(SECRET), ID, "1700000000", header, BODY, AT_SIGNING.plusSeconds(301)))
                .isEqualTo(Verification.STALE_TIMESTAMP);
        assertThat(verify(List.of(SECRET), ID, "1700000000", header, BODY, AT_SIGNING.minusSeconds(301)))
                .isEqualTo(Verification.STALE_TIMESTAMP);
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        assertThat(verify(List.of(SECRET), null, "1700000000", "v1,AA==", BODY, AT_SIGNING))
                .isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(List.of(SECRET), ID, null, "v1,AA==", BODY, AT_SIGNING)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(List.of(SECRET), ID, "1700000000", null, BODY, AT_SIGNING)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(List.of(SECRET), ID, "yesterday", "v1,AA==", BODY, AT_SIGNING))
                .isEqualTo(Verification.MALFORMED_TIMESTAMP);
    }

    private static Verification verify(List<String> secrets, String id, String timestamp, String signature, byte[] body,
                                       Instant now) {
        return WebhookSignature.verify(secrets, id, timestamp, signature, body, now, Duration.ofMinutes(5));
    }
}
