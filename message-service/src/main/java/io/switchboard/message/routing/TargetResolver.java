package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.UserState;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.RuleDefinition;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.platform.membership.MembershipView;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Resolves a rule's targets to an {@link Audience} from the local views of membership-service's
 * topics (conversations, members, users with their departments and tags): no call to another
 * service per event. A conversation or user the views do not know yet may have been created a
 * moment ago, so before reporting one unknown it waits for the views to catch up, within the
 * {@link FreshnessBudget} the caller gives for a whole poll or request: unknown ids cost about one
 * wait together, not one each.
 */
@Component
class TargetResolver {

    private static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final MembershipView membership;
    private final UsersView users;

    TargetResolver(MembershipView membership, UsersView users) {
        this.membership = membership;
        this.users = users;
    }

    /**
     * Waits, together and within {@code freshness}, for the conversations the rules name that the
     * view does not know yet, so that resolving them one by one afterwards does not wait again.
     */
    void awaitNamedConversations(String appId, Collection<CompiledRule> rules, FreshnessBudget freshness) {
        List<String> named = rules.stream().flatMap(rule -> rule.definition().targets().stream())
                .filter(target -> target.type() == RuleDefinition.Target.Type.CONVERSATION
                        || target.type() == RuleDefinition.Target.Type.CONVERSATION_ROLE)
                .map(RuleDefinition.Target::conversationId).distinct().toList();
        if (!named.isEmpty()) {
            membership.awaitConversations(appId, named, freshness);
        }
    }

    Audience resolve(List<RuleDefinition.Target> targets, BusinessEvent event, FreshnessBudget freshness) {
        String appId = event.getAppId();
        Set<String> named = new LinkedHashSet<>();
        Set<String> conversations = new LinkedHashSet<>();
        List<String> unresolved = new ArrayList<>();
        for (RuleDefinition.Target target : targets) {
            switch (target.type()) {
                case USERS -> named.addAll(target.userIds());
                case EVENT_FIELD -> {
                    List<String> ids = EventFields.userIds(event, target.field());
                    if (ids.isEmpty()) {
                        unresolved.add("event field " + target.field() + " names no user");
                    }
                    named.addAll(ids);
                }
                case CONVERSATION -> {
                    if (membership.findFresh(appId, target.conversationId(), freshness).isPresent()) {
                        conversations.add(target.conversationId());
                    } else {
                        unresolved.add("conversation " + target.conversationId() + " does not exist");
                    }
                }
                case CONVERSATION_ROLE -> named.addAll(withRole(appId, target, unresolved, freshness));
                case DEPARTMENT -> named.addAll(users.activeInDepartment(appId, target.departmentId()));
                case TAG -> named.addAll(users.activeWithTag(appId, target.tag()));
            }
        }
        return audience(appId, named, conversations, unresolved, freshness);
    }

    private List<String> withRole(String appId, RuleDefinition.Target target, List<String> unresolved,
                                  FreshnessBudget freshness) {
        if (membership.findFresh(appId, target.conversationId(), freshness).isEmpty()) {
            unresolved.add("conversation " + target.conversationId() + " does not exist");
            return List.of();
        }
        return List.copyOf(membership.memberIds(appId, target.conversationId())).stream()
                .filter(userId -> membership.member(appId, target.conversationId(), userId)
                        .map(ConversationMember::getRole).filter(target.roles()::contains).isPresent())
                .toList();
    }

    private Audience audience(String appId, Collection<String> named, Set<String> conversations, List<String> unresolved,
                              FreshnessBudget freshness) {
        if (!freshness.exhausted() && named.stream().anyMatch(userId -> users.find(appId, userId).isEmpty())) {
            catchUp(freshness);
        }
        Set<String> active = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        List<String> inactive = new ArrayList<>();
        for (String userId : named) {
            Optional<UserState> user = users.find(appId, userId);
            if (user.isEmpty()) {
                unknown.add(userId);
            } else if (!user.get().getActive()) {
                inactive.add(userId);
            } else {
                active.add(userId);
            }
        }
        return new Audience(active, conversations, unknown, inactive, unresolved);
    }

    private void catchUp(FreshnessBudget freshness) {
        try {
            Duration left = freshness.remaining();
            users.awaitCurrentEnd(left.compareTo(CATCH_UP) < 0 ? left : CATCH_UP);
        } catch (TimeoutException e) {
            // Kafka is slow: report with what the view holds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
