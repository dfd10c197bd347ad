package io.switchboard.message.routing.rules;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What an app's template or condition may cost: refused when saved if it can be told, stopped early when it renders. */
class RenderingBudgetTests {

    private static final List<String> HUNDRED_ITEMS = IntStream.range(0, 100).mapToObj(i -> "item" + i).toList();

    private final Map<String, Object> context = EventContext.forTemplates(event(Map.of(
            "items", HUNDRED_ITEMS, "big", "x".repeat(10_000))));

    @Test
    void nestedSectionsOverAListStopAtTheIterationBudgetInsteadOfRenderingAHundredMillionTimes() throws Exception {
        var template = Templates.text("{{#payload.items}}{{#payload.items}}{{#payload.items}}{{#payload.items}}."
                + "{{/payload.items}}{{/payload.items}}{{/payload.items}}{{/payload.items}}");

        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> Templates.render(template, context, RenderBudget.perEvent()))
                        .isInstanceOf(RenderBudget.ExceededException.class)
                        .hasMessageContaining("more than " + RenderBudget.MAX_ITERATIONS + " list items"));
        System.out.printf("100^4 iterations refused after %.1f ms%n", (System.nanoTime() - started) / 1e6);
    }

    @Test
    void aTemplateThatRendersTooMuchTextStopsAtTheOutputBudget() throws Exception {
        var template = Templates.text("{{#payload.items}}{{payload.big}}{{/payload.items}}");

        assertThatThrownBy(() -> Templates.render(template, context, RenderBudget.perEvent()))
                .isInstanceOf(RenderBudget.ExceededException.class)
                .hasMessageContaining("more than " + RenderBudget.MAX_OUTPUT_CHARS + " characters");
    }

    @Test
    void everyTemplateOfAnEventDrawsOnTheSameBudget() throws Exception {
        var template = Templates.text("{{#payload.items}}{{.}}{{/payload.items}}");   // 100 iterations each
        RenderBudget budget = RenderBudget.of(250, Long.MAX_VALUE, Duration.ofSeconds(10));

        Templates.render(template, context, budget);
        Templates.render(template, context, budget);
        assertThatThrownBy(() -> Templates.render(template, context, budget))
                .isInstanceOf(RenderBudget.ExceededException.class);
    }

    @Test
    void aRenderThatRunsTooLongStopsAtTheTimeBudget() throws Exception {
        var template = Templates.text("{{#payload.items}}{{#payload.items}}{{#payload.items}}{{.}}"
                + "{{/payload.items}}{{/payload.items}}{{/payload.items}}");
        RenderBudget budget = RenderBudget.of(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofMillis(1));

        assertThatThrownBy(() -> Templates.render(template, context, budget))
                .isInstanceOf(RenderBudget.ExceededException.class)
                .hasMessageContaining("rendering took more than 1 ms");
    }

    @Test
    void templatesThatCouldNeverRenderAreRefusedWhenSaved() {
        assertThatThrownBy(() -> Templates.text("Hello {{> signature}}"))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("partials");
        assertThatThrownBy(() -> Templates.text("{{< layout}}{{$ body}}x{{/ body}}{{/ layout}}"))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("inheritance");
        assertThatThrownBy(() -> Templates.text("{{=<% %>=}}<% eventId %>"))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("delimiter");
        assertThatThrownBy(() -> Templates.text(nested(TemplateShape.MAX_SECTION_DEPTH + 1)))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("nest more than");
    }

    @Test
    void sectionsUpToTheDepthLimitAndInvertedSectionsAtAnyDepthAreAccepted() throws Exception {
        Templates.text(nested(TemplateShape.MAX_SECTION_DEPTH));
        Templates.text("{{#a}}{{^b}}{{^c}}{{#d}}{{#e}}{{^f}}{{#g}}x{{/g}}{{/f}}{{/e}}{{/d}}{{/c}}{{/b}}{{/a}}");
        // a triple mustache and a comment are not sections
        Templates.text("{{{entity.url}}} {{! {{#not a section}} }}");
    }

    @Test
    void aCardButtonThatCanNeverBeAWebLinkIsRefusedWhenSaved() {
        assertThatThrownBy(() -> CompiledContent.compile(card(new RuleDefinition.ActionTemplate("x", "Run",
                "javascript:alert({{eventId}})", null))))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("not an http or https");
        assertThatThrownBy(() -> CompiledContent.compile(card(new RuleDefinition.ActionTemplate("x", "Both",
                "https://crm.example/{{eventId}}", "ack"))))
                .isInstanceOf(Templates.UnrenderableTemplateException.class).hasMessageContaining("exactly one");
    }

    @Test
    void aCardButtonWhoseUrlStartsWithAValueOrAWebPrefixIsAccepted() throws Exception {
        CompiledContent.compile(card(new RuleDefinition.ActionTemplate("a", "Open", "{{{entity.url}}}", null)));
        CompiledContent.compile(card(new RuleDefinition.ActionTemplate("b", "Open", "HTTPS://crm.example/{{eventId}}", null)));
        CompiledContent.compile(card(new RuleDefinition.ActionTemplate("c", "Open", "http{{payload.s}}://x", null)));
    }

    @Test
    void nestedComprehensionsInAConditionStopAtItsIterationBudget() throws Exception {
        Condition condition = Condition.compile(
                "payload.items.all(a, payload.items.all(b, payload.items.all(c, a != 'none')))");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> condition.test(event(Map.of("items", HUNDRED_ITEMS))))
                        .isInstanceOf(Condition.EvaluationException.class)
                        .hasMessageContaining("Iteration budget exceeded"));
    }

    private static String nested(int depth) {
        return String.join("", Collections.nCopies(depth, "{{#payload.items}}")) + "."
                + String.join("", Collections.nCopies(depth, "{{/payload.items}}"));
    }

    private static RuleDefinition.ContentTemplate card(RuleDefinition.ActionTemplate action) {
        return new RuleDefinition.ContentTemplate("text", new RuleDefinition.CardTemplate("title", List.of(),
                List.of(action)), Map.of());
    }

    private static BusinessEvent event(Map<String, Object> payload) {
        return BusinessEvent.newBuilder()
                .setEventId("e1").setAppId("app").setSource("crm").setEventType("deal.won")
                .setOccurredAt(Instant.parse("2026-11-27T10:00:00Z"))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D1").setDisplayName("ACME").build())
                .setConcerns(List.of())
                .setPayload(payload)
                .build();
    }
}
