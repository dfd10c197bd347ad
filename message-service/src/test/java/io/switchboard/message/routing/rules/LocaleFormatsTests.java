package io.switchboard.message.routing.rules;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers, amounts and dates in templates, as people of the recipient's locale write them. */
class LocaleFormatsTests {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final BusinessEvent event = BusinessEvent.newBuilder()
            .setEventId("e1").setAppId("app").setSource("crm").setEventType("deal.won")
            .setOccurredAt(Instant.parse("2026-11-27T10:00:00Z"))
            .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-1").setDisplayName("ACME").build())
            .setActor("carol")
            .setConcerns(List.of("alice", "bob"))
            // rendering measures relative times from its own now
            .setPayload(Map.of("amount", 12000.0, "currency", "EUR", "rate", 0.075,
                    "dueAt", Instant.now().plus(Duration.ofDays(3)).plusSeconds(600).toString()))
            .build();

    @Test
    void numbersAndAmountsFollowTheLocale() {
        assertThat(LocaleFormats.number("12000", Locale.US)).contains("12,000");
        assertThat(LocaleFormats.number("1234.5", Locale.GERMAN)).contains("1.234,5");
        assertThat(LocaleFormats.number("0.0750", Locale.US)).contains("0.075");
        assertThat(LocaleFormats.currency("12000 USD", Locale.US)).contains("$12,000.00");
        assertThat(LocaleFormats.currency("EUR 12000", Locale.GERMANY).map(LocaleFormatsTests::spaces)).contains("12.000,00 €");
        assertThat(LocaleFormats.currency("12000 JPY", Locale.JAPAN)).contains("￥12,000");
    }

    @Test
    void relativeTimesFollowTheLocale() {
        assertThat(LocaleFormats.relative("2026-11-30T10:00:00Z", Locale.US, NOW)).contains("in 3 days");
        assertThat(LocaleFormats.relative("2026-11-27T08:00:00Z", Locale.GERMAN, NOW)).contains("vor 2 Stunden");
        assertThat(LocaleFormats.relative("2026-11-27T09:59:30Z", Locale.US, NOW)).contains("30 seconds ago");
    }

    @Test
    void whatASectionCannotReadIsWrittenAsItIs() {
        assertThat(LocaleFormats.number("twelve", Locale.US)).isEmpty();
        assertThat(LocaleFormats.currency("12000 euros", Locale.US)).isEmpty();
        assertThat(LocaleFormats.currency("12000 XYZ", Locale.US)).isEmpty();
        assertThat(LocaleFormats.relative("next week", Locale.US, NOW)).isEmpty();
    }

    @Test
    void aRuleRendersForEachRecipientsLocale() throws Exception {
        CompiledContent content = CompiledContent.compile(new RuleDefinition.ContentTemplate(
                "{{#currency}}{{payload.amount}} {{payload.currency}}{{/currency}} on {{#date}}{{occurredAt}}{{/date}}, "
                        + "due {{#relative}}{{payload.dueAt}}{{/relative}}, rate {{#number}}{{payload.rate}}{{/number}}, "
                        + "{{#datetime}}not a date{{/datetime}}", null, Map.of()));
        Map<String, Object> context = EventContext.forTemplates(event);

        assertThat(spaces(content.render("en-US", context, RenderBudget.perEvent()).content().text()))
                .isEqualTo("€12,000.00 on Nov 27, 2026, due in 3 days, rate 0.075, not a date");
        assertThat(spaces(content.render("de-DE", context, RenderBudget.perEvent()).content().text()))
                .isEqualTo("12.000,00 € on 27.11.2026, due in 3 Tagen, rate 0,075, not a date");
    }

    @Test
    void aFormattedValueInAButtonsUrlIsPercentEncodedLikeEveryValueThere() throws Exception {
        CompiledContent content = CompiledContent.compile(new RuleDefinition.ContentTemplate("Deal",
                new RuleDefinition.CardTemplate("{{entity.displayName}}", List.of(), List.of(new RuleDefinition.ActionTemplate(
                        "open", "Open", "https://crm.example/deals?amount={{#number}}{{payload.amount}}{{/number}}"
                        + "&on={{#date}}{{occurredAt}}{{/date}}", null))), Map.of()));
        Map<String, Object> context = EventContext.forTemplates(event);

        String url = content.render("fr-FR", context, RenderBudget.perEvent()).content().card().actions().getFirst().url();

        // "12 000" (a narrow no-break space) and "27 nov. 2026": encoded, so the link keeps its structure
        assertThat(url).isEqualTo("https://crm.example/deals?amount=12%E2%80%AF000&on=27%20nov.%202026");
    }

    @Test
    void peopleTheEventNamesRenderAsIdsOrWithTheirDisplayNames() throws Exception {
        var template = Templates.text("{{actor}} / {{actor.displayName}} / {{#concerns}}{{displayName}} ({{.}}) {{/concerns}}");
        Map<String, Object> context = EventContext.forTemplates(event, userId -> userId.equals("carol") ? "Carol Diaz"
                : userId.equals("alice") ? "Alice Martin" : null);

        assertThat(Templates.render(template, context, RenderBudget.perEvent()))
                .isEqualTo("carol / Carol Diaz / Alice Martin (alice) bob (bob)");
    }

    /** The JDK's locale data separates with no-break spaces; compared as plain ones. */
    private static String spaces(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ');
    }
}
