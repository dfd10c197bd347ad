package io.switchboard.message.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Limits of HTTP event ingestion.
 *
 * @param publishTimeout  longest a request waits for the broker to acknowledge its events; after it
 *                        the answer is 503 (the producer's {@code max.block.ms} bounds the wait for
 *                        topic metadata within the same time)
 * @param retryAfter      the {@code Retry-After} a 503 suggests
 * @param maxPayloadSize  JSON size of an event's payload after flattening
 * @param maxPayloadKeys  keys of an event's payload after flattening
 */
@ConfigurationProperties("switchboard.ingest")
record IngestProperties(@DefaultValue("5s") Duration publishTimeout,
                        @DefaultValue("5s") Duration retryAfter,
                        @DefaultValue("64KB") DataSize maxPayloadSize,
                        @DefaultValue("200") int maxPayloadKeys) {
}
