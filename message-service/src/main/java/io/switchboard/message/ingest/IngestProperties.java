package io.switchboard.message.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Limits of HTTP event ingestion.
 *
 * @param publishTimeout  longest a request waits for the broker to acknowledge its events; after it
 *                        the answer is 503 (the producer's {@code max.block.ms} bounds the wait for
 *                        topic metadata within the same time)
 * @param retryAfter      the {@code Retry-After} a 503 suggests
 * @see PayloadLimits what an event's payload may hold
 */
@ConfigurationProperties("switchboard.ingest")
record IngestProperties(@DefaultValue("5s") Duration publishTimeout,
                        @DefaultValue("5s") Duration retryAfter) {
}
