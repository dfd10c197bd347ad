package io.switchboard.message.routing.rules;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.messages.Content;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conditions and templates see the event's values and nothing else. */
class ConditionAndTemplateTests {

    private final BusinessEvent event = BusinessEvent.newBuilder()
            .setEventId("e1").setAppId("app").setSource("crm").setEventType("deal.won")
            .setOccurredAt(Instant.parse("2026-11-27T10:00:00Z"))
            .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D 1/2").setDisplayName("ACME & Co").build())
            .setActor(null)
            .setConcerns(List.of("alice", "bob"))
            .setPayload(payload())
            .build();

    private static Map<String, Object> payload() {
        Map<String, Object> payload = new HashMap<>();
        payload.put("amount", 12000L);
        payload.put("customer.name", "ACME");
        payload.put("customer.tier", "gold");
        payload.put("tags", List.of("vip", "eu"));
        payload.put("note", null);
        return payload;
    }

    @Test
    void conditionsEvaluateOverTypedPayloadNullsListsAndTimestamps() throws Exception {
        assertThat(Condition.compile("payload.amount >= 10000 && payload['customer.name'] == 'ACME'").test(event)).isTrue();
        assertThat(Condition.compile("'vip' in payload.tags && 'bob' in concerns && actor == null").test(event)).isTrue();
        assertThat(Condition.compile("payload.note == null && entity.url == null").test(event)).isTrue();
        assertThat(Condition.compile("occurredAt > timestamp('2026-01-01T00:00:00Z')").test(event)).isTrue();
        assertThat(Condition.compile("has(payload.discount) && payload.discount > 10").test(event)).isFalse();
        assertThat(Condition.compile("payload.amount > 1.5").test(event)).isTrue();
    }

    @Test
    void aConditionThatFailsOnAnEventSaysWhy() throws Exception {
        assertThatThrownBy(() -> Condition.compile("payload.discount > 10").test(event))
                .isInstanceOf(Condition.EvaluationException.class).hasMessageContaining("discount");
        assertThatThrownBy(() -> Condition.compile("payload.amount").test(event))
                .isInstanceOf(Condition.EvaluationException.class).hasMessageContaining("not to true or false");
    }

    @Test
    void templatesRenderNestedPayloadKeysWithoutEscapingTextAndEncodeUrlValues() throws Exception {
        RuleDefinition.ContentTemplate template = new RuleDefinition.ContentTemplate(
                "{{entity.displayName}} for {{payload.customer.name}} ({{payload.customer.tier}}) {{#payload.tags}}#{{.}} {{/payload.tags}}",
                new RuleDefinition.CardTemplate("{{entity.displayName}}", List.of(),
                        List.of(new RuleDefinition.ActionTemplate("open", "Open", "https://crm.example/d/{{entity.id}}?q={{payload.customer.name}}", null))),
                Map.of());
        CompiledContent.Rendered rendered = CompiledContent.compile(template).render(null, EventContext.forTemplates(event), RenderBudget.perEvent());

        assertThat(rendered.content().text()).isEqualTo("ACME & Co for ACME (gold) #vip #eu");
        Content.Action action = rendered.content().card().actions().getFirst();
        assertThat(action.url()).isEqualTo("https://crm.example/d/D%201%2F2?q=ACME");
    }

    @Test
    void floatingPointNumbersPrintAsWrittenWholeOnesWithoutAFraction() throws Exception {
        var template = Templates.text("{{whole}} {{fraction}} {{large}} {{small}} {{single}} {{integer}} {{negativeZero}} {{nan}}");
        Map<String, Object> context = new HashMap<>(Map.of("whole", 12000.0, "fraction", 1234.5, "large", 1.0E10,
                "small", 0.00001, "single", 0.1f, "integer", 3L, "negativeZero", -0.0));
        context.put("nan", Double.NaN);

        assertThat(Templates.render(template, context, RenderBudget.perEvent()))
                .isEqualTo("12000 1234.5 10000000000 0.00001 0.1 3 0 NaN");
    }

    @Test
    void templatesCallNoMethodsOnValues() throws Exception {
        var template = Templates.text("[{{eventId.class}}][{{payload.amount.class.name}}][{{entity.getClass}}][{{concerns.size}}]");
        assertThat(Templates.render(template, EventContext.forTemplates(event), RenderBudget.perEvent())).isEqualTo("[][][][]");
    }

    @Test
    void localeVariantsFallBackFromRegionToLanguageToDefault() throws Exception {
        RuleDefinition.ContentTemplate template = new RuleDefinition.ContentTemplate("default", null,
                Map.of("pt", new RuleDefinition.Localized("pt", null), "pt-BR", new RuleDefinition.Localized("pt-BR", null)));
        CompiledContent content = CompiledContent.compile(template);
        Map<String, Object> context = EventContext.forTemplates(event);

        assertThat(content.render("pt-BR", context, RenderBudget.perEvent()).content().text()).isEqualTo("pt-BR");
        assertThat(content.render("pt-PT", context, RenderBudget.perEvent()).content().text()).isEqualTo("pt");
        assertThat(content.render("de", context, RenderBudget.perEvent()).content().text()).isEqualTo("default");
        assertThat(content.render(null, context, RenderBudget.perEvent()).content().text()).isEqualTo("default");
    }
}
