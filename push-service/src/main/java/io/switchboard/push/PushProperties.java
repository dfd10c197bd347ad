package io.switchboard.push;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * push-service settings.
 *
 * @param gatewayOrdinal     this instance's gateway number, which is also the partition of
 *                           {@code push.deliveries} it reads (a StatefulSet ordinal on Kubernetes)
 * @param presenceWait       how long a new session waits until the fanout stage has seen its
 *                           presence, before it is told it is ready
 * @param sessionBufferBytes bytes queued for one slow session before it is disconnected
 * @param sendTimeLimit      longest a single send to a session may block before it is disconnected
 * @param readReceiptFanoutLimit a member's read position is pushed to every member of conversations
 *                           with at most this many members; in larger ones only to the reader's own
 *                           devices (others ask for receipts), so reads in a 10,000-member group do
 *                           not become 10,000 frames each
 */
@ConfigurationProperties("switchboard.push")
public record PushProperties(@DefaultValue("0") int gatewayOrdinal,
                             @DefaultValue("5s") Duration presenceWait,
                             @DefaultValue("524288") int sessionBufferBytes,
                             @DefaultValue("10s") Duration sendTimeLimit,
                             @DefaultValue("100") int readReceiptFanoutLimit) {
}
