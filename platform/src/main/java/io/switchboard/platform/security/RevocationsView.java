package io.switchboard.platform.security;

import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Instant;

/**
 * The user tokens auth-service revoked before they expire, from {@code auth.revocations}: users
 * signed out everywhere (their tokens issued before a cut-off) and single tokens by id. Entries
 * leave with the tombstone auth-service publishes once the tokens they concern have expired, so
 * the view holds only revocations that still matter.
 */
public class RevocationsView extends CompactedTopicView<TokenRevocation> {

    public RevocationsView(KafkaProperties kafkaProperties) {
        super("revocations", Topics.AUTH_REVOCATIONS, ViewConsumers.properties(kafkaProperties));
    }

    /** Whether the user was signed out everywhere after a token issued at {@code issuedAt}. */
    public boolean signedOutSince(String appId, String userId, Instant issuedAt) {
        return get(Topics.userRevocationKey(appId, userId))
                .map(TokenRevocation::getTokensNotBefore)
                .filter(notBefore -> issuedAt == null || issuedAt.isBefore(notBefore))
                .isPresent();
    }

    /** Whether this one token of the user was revoked. */
    public boolean revoked(String appId, String userId, String tokenId) {
        return tokenId != null && get(Topics.tokenRevocationKey(appId, userId, tokenId)).isPresent();
    }
}
