package io.switchboard.push.webhooks;

import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Webhook settings ({@code switchboard.webhooks.*}).
 *
 * @param keyEncryption            the Tink AEAD keyset that encrypts endpoint signing secrets and
 *                                 stored payloads ({@code .keyset} or {@code .keyset-file})
 * @param allowedNetworks          CIDR blocks a destination may be in although they are not public
 *                                 (private, loopback, ...), e.g. an on-premises app's subnet. Plain
 *                                 {@code http} is accepted only for loopback addresses listed here
 *                                 (development and tests); the prod profile refuses loopback entries
 * @param maxEndpointsPerApp       endpoints one app may register
 * @param connectTimeout           longest wait for a TCP (and TLS) connection to an endpoint
 * @param requestTimeout           longest an attempt may take in all, response included; an
 *                                 endpoint that has not answered by then has failed this attempt
 * @param maxAttempts              attempts before a delivery is dead-lettered (status {@code failed})
 * @param initialBackoff           wait before the second attempt; each further wait is
 *                                 {@code backoffMultiplier} times longer, up to {@code maxBackoff},
 *                                 randomized by {@code backoffJitter} (0.5: between half and one and a
 *                                 half times) so endpoints that failed together are not retried together
 * @param backoffMultiplier        growth of the wait from one attempt to the next
 * @param backoffJitter            randomization factor of every wait, 0 to 1
 * @param maxBackoff               the longest wait between two attempts
 * @param breaker                  the circuit breaker each endpoint has
 * @param maxConcurrentPerEndpoint attempts in flight at once to one endpoint (its bulkhead): a slow
 *                                 endpoint holds at most this many, and never the others' turns
 * @param disableAfter             an endpoint whose attempts have all failed for this long is
 *                                 disabled, and the app is told ({@code webhook.endpoint.disabled})
 * @param secretOverlap            after a secret rotation, how long the old secret still signs
 *                                 (beside the new one) unless the rotation names its own overlap
 * @param pollInterval             how often due retries are looked for when nothing wakes the
 *                                 dispatcher earlier (a new delivery or a finished attempt does)
 * @param claimBatch               deliveries claimed from the queue at once
 * @param retention                how long delivered and failed deliveries (and their attempt log)
 *                                 are kept
 * @param maxResponseBytes         bytes of an endpoint's response body that are read; the rest is discarded
 * @param sourceConcurrency        consumers in this instance of the topics webhooks come from
 * @param cardActions              how often users may click cards' callback buttons
 */
@ConfigurationProperties("switchboard.webhooks")
public record WebhookProperties(KeyEncryptionKeyset keyEncryption,
                                List<String> allowedNetworks,
                                @DefaultValue("20") int maxEndpointsPerApp,
                                @DefaultValue("3s") Duration connectTimeout,
                                @DefaultValue("10s") Duration requestTimeout,
                                @DefaultValue("8") int maxAttempts,
                                @DefaultValue("10s") Duration initialBackoff,
                                @DefaultValue("3") double backoffMultiplier,
                                @DefaultValue("0.5") double backoffJitter,
                                @DefaultValue("1h") Duration maxBackoff,
                                @DefaultValue Breaker breaker,
                                @DefaultValue("4") int maxConcurrentPerEndpoint,
                                @DefaultValue("72h") Duration disableAfter,
                                @DefaultValue("24h") Duration secretOverlap,
                                @DefaultValue("500ms") Duration pollInterval,
                                @DefaultValue("200") int claimBatch,
                                @DefaultValue("7d") Duration retention,
                                @DefaultValue("65536") int maxResponseBytes,
                                @DefaultValue("2") int sourceConcurrency,
                                @DefaultValue CardActions cardActions) {

    public WebhookProperties {
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
    }

    /**
     * An endpoint's circuit breaker (resilience4j), one per endpoint in each instance, judging the
     * attempts that instance made: it opens when at least {@code minimumCalls} of the last
     * {@code window} attempts were made and {@code failureRatePercent} of them failed; while open no
     * attempt is made (deliveries wait, they do not count attempts) - by any instance: the opening
     * is written to the endpoint's shared health; after {@code openFor} one trial attempt decides
     * whether it closes again.
     */
    public record Breaker(@DefaultValue("50") float failureRatePercent,
                          @DefaultValue("10") int window,
                          @DefaultValue("5") int minimumCalls,
                          @DefaultValue("30s") Duration openFor) {
    }

    /**
     * Limits on card clicks ({@code card.action} frames), each a webhook to the app: token buckets
     * (Bucket4j) of {@code perUser} clicks per {@code period} for each user and {@code perApp} for
     * all users of an app together, refilled continuously; a full bucket allows that many at once.
     * Counted per instance, like the HTTP API's rate limit: a user connected through two gateways
     * has a bucket on each. A period rather than a rate per second because a person's fair share
     * is a few clicks a minute.
     *
     * @param enabled whether clicks are limited at all
     * @param perUser clicks one user of an app may make per {@code period}
     * @param perApp  clicks all users of one app may make per {@code period}
     */
    public record CardActions(@DefaultValue("true") boolean enabled,
                              @DefaultValue("30") int perUser,
                              @DefaultValue("3000") int perApp,
                              @DefaultValue("1m") Duration period) {
    }

    /** How long a claimed delivery stays claimed: another instance retries it after a crash. */
    public Duration claimLease() {
        return requestTimeout.plus(connectTimeout).plusSeconds(30);
    }
}
