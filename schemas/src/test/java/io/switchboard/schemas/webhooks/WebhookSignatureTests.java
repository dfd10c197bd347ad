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
    static final long TIMESTAMP = 1_700_000_000L;
    static final Instant AT_SIGNING = Instant.ofEpochSecond(TIMESTAMP);

    /**
     * The scheme as documented, computed independently of this class:
     * {@code printf 'v1:1700000000:<body>' | openssl dgst -sha256 -hmac whsec_example}.
     */
    @Test
    void signatureIsHmacSha256OfVersionTimestampAndBodyAsOpensslComputesIt() {
        assertThat(WebhookSignature.sign("whsec_example", TIMESTAMP, BODY))
                .isEqualTo("v1=c9bd90f3ed7e534afe92b66cc821af83f876d66eb798116cf8b5bfd331944b06");
        assertThat(WebhookSignature.header(List.of("whsec_rotated", "whsec_example"), TIMESTAMP, BODY))
                .isEqualTo("v1=2eb8297e9536f4e30318360d5fd34793ba02c3d19860cdd01870460060ff5b18,"
                        + "v1=c9bd90f3ed7e534afe92b66cc821af83f876d66eb798116cf8b5bfd331944b06");
    }

    @Test
    void aGenuineDeliveryVerifiesWithEitherSecretDuringARotation() {
        String header = WebhookSignature.header(List.of("whsec_rotated", "whsec_example"), TIMESTAMP, BODY);

        assertThat(verify(List.of("whsec_example"), "1700000000", header, BODY, AT_SIGNING)).isEqualTo(Verification.VALID);
        assertThat(verify(List.of("whsec_rotated"), "1700000000", header, BODY, AT_SIGNING)).isEqualTo(Verification.VALID);
    }

    @Test
    void aTamperedBodyOrTimestampOrAnotherSecretFails() {
        String header = WebhookSignature.header(List.of("whsec_example"), TIMESTAMP, BODY);
        byte[] tampered = "{\"id\":\"evt_1\",\"type\":\"message.created \"}".getBytes(StandardCharsets.UTF_8);

        assertThat(verify(List.of("whsec_example"), "1700000000", header, tampered, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of("whsec_example"), "1700000001", header, BODY, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of("whsec_other"), "1700000000", header, BODY, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of("whsec_example"), "1700000000", "v0=" + header.substring(3), BODY, AT_SIGNING))
                .as("another scheme version").isEqualTo(Verification.SIGNATURE_MISMATCH);
        assertThat(verify(List.of("whsec_example"), "1700000000", "v1=zz", BODY, AT_SIGNING))
                .isEqualTo(Verification.SIGNATURE_MISMATCH);
    }

    @Test
    void aTimestampOutsideTheToleranceEitherWayIsStale() {
        String header = WebhookSignature.header(List.of("whsec_example"), TIMESTAMP, BODY);

        assertThat(verify(List.of("whsec_example"), "1700000000", header, BODY, AT_SIGNING.plusSeconds(300)))
                .isEqualTo(Verification.VALID);
        assertThat(verify(List.of("whsec_example"), "1700000000", header, BODY, AT_SIGNING.plusSeconds(301)))
                .isEqualTo(Verification.STALE_TIMESTAMP);
        assertThat(verify(List.of("whsec_example"), "1700000000", header, BODY, AT_SIGNING.minusSeconds(301)))
                .isEqualTo(Verification.STALE_TIMESTAMP);
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        assertThat(verify(List.of("whsec_example"), null, "v1=00", BODY, AT_SIGNING)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(List.of("whsec_example"), "1700000000", null, BODY, AT_SIGNING)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(verify(List.of("whsec_example"), "yesterday", "v1=00", BODY, AT_SIGNING))
                .isEqualTo(Verification.MALFORMED_TIMESTAMP);
    }

    private static Verification verify(List<String> secrets, String timestamp, String signature, byte[] body, Instant now) {
        return WebhookSignature.verify(secrets, timestamp, signature, body, now, Duration.ofMinutes(5));
    }
}
