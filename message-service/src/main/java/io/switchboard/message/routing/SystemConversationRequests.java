package io.switchboard.message.routing;

import io.switchboard.events.membership.SystemConversationRequest;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.schemas.SystemConversations;
import io.switchboard.schemas.Topics;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure users have their system conversation for a source before routing posts there.
 * membership-service owns conversations, so routing asks for a missing one on
 * {@code membership.requests} (idempotent: the id is derived from user and source) and waits until
 * it appears in the membership view. If it does not appear in time the event is retried with
 * backoff (membership-service may be down), never dead-lettered: the event itself is fine.
 */
@Component
class SystemConversationRequests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MembershipView membership;
    private final KafkaTemplate<String, Object> kafka;

    SystemConversationRequests(MembershipView membership, KafkaTemplate<String, Object> kafka) {
        this.membership = membership;
        this.kafka = kafka;
    }

    /** The id of each user's system conversation for {@code source}, requesting those that do not exist yet. */
    Map<String, String> ensure(String appId, String source, Collection<String> userIds) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String userId : userIds) {
            String conversationId = SystemConversations.id(userId, source);
            ids.put(userId, conversationId);
            if (membership.find(appId, conversationId).isEmpty()) {
                missing.add(userId);
            }
        }
        if (!missing.isEmpty()) {
            request(appId, source, missing);
            awaitCreated(appId, missing.stream().map(ids::get).toList());
        }
        return ids;
    }

    /** What the ids will be, without asking for anything (dry runs). */
    static Map<String, String> idsOf(String source, Collection<String> userIds) {
        Map<String, String> ids = new LinkedHashMap<>();
        userIds.forEach(userId -> ids.put(userId, SystemConversations.id(userId, source)));
        return ids;
    }

    private void request(String appId, String source, List<String> userIds) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<CompletableFuture<?>> sends = userIds.stream().<CompletableFuture<?>>map(userId -> kafka.send(
                Topics.MEMBERSHIP_REQUESTS.name(), Topics.userKey(appId, userId),
                SystemConversationRequest.newBuilder().setAppId(appId).setUserId(userId).setSource(source)
                        .setRequestedAt(now).build())).toList();
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientDataAccessResourceException("Could not request system conversations: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDataAccessResourceException("Interrupted while requesting system conversations");
        }
    }

    private void awaitCreated(String appId, List<String> conversationIds) {
        Set<String> created = membership.awaitConversations(appId, conversationIds, FreshnessBudget.of(WAIT));
        List<String> missing = conversationIds.stream().filter(id -> !created.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new TransientDataAccessResourceException("System conversations " + missing
                    + " have not appeared yet; membership-service may be behind or down");
        }
    }
}
