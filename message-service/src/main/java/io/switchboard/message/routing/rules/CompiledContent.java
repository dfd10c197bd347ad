package io.switchboard.message.routing.rules;

import com.samskivert.mustache.Template;
import io.switchboard.message.messages.Content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A rule's content with its locale variants, compiled; renders a notification for one locale. */
public final class CompiledContent {

    private final Variant fallback;
    private final Map<String, Variant> byLocale;

    private CompiledContent(Variant fallback, Map<String, Variant> byLocale) {
        this.fallback = fallback;
        this.byLocale = byLocale;
    }

    private record Variant(String locale, Template text, Card card) {
    }

    private record Card(Template title, List<Field> fields, List<Action> actions) {
    }

    private record Field(Template label, Template value) {
    }

    private record Action(String id, Template label, Template url, Template callbackId) {
    }

    /** What one recipient locale gets: the variant's locale tag ({@code null} for the default) and its content. */
    public record Rendered(String variant, Content content) {
    }

    static CompiledContent compile(RuleDefinition.ContentTemplate template)
            throws Templates.InvalidTemplateException, Templates.UnrenderableTemplateException {
        Map<String, Variant> byLocale = new HashMap<>();
        for (Map.Entry<String, RuleDefinition.Localized> entry : template.locales().entrySet()) {
            String tag = normalized(entry.getKey());
            byLocale.put(tag, variant(tag, entry.getValue().text(), entry.getValue().card()));
        }
        return new CompiledContent(variant(null, template.text(), template.card()), byLocale);
    }

    /** The variant for a locale: its exact tag, else its language, else the default. */
    public String variantFor(String locale) {
        return choose(locale).locale();
    }

    /**
     * Renders the variant for {@code locale} (null: the default) against an event's template context,
     * numbers and dates in {@code {{#number}}}-style sections formatted for that locale.
     *
     * @throws RenderBudget.ExceededException when rendering runs out of {@code budget}
     */
    public Rendered render(String locale, Map<String, Object> context, RenderBudget budget) {
        Variant variant = choose(locale);
        // the locale's number, currency and date forms, as sections ({{#number}}…{{/number}}: LocaleFormats)
        Instant now = Instant.now();
        Map<String, Object> values = new HashMap<>(context);
        values.putAll(LocaleFormats.of(locale, now));
        String text = Templates.render(variant.text(), values, budget);
        if (variant.card() == null) {
            return new Rendered(variant.locale(), Content.text(text));
        }
        Card card = variant.card();
        // a button's url writes values percent-encoded, formatted ones too
        Map<String, Object> urlValues = new HashMap<>(context);
        urlValues.putAll(LocaleFormats.forUrls(locale, now));
        Content.Card rendered = new Content.Card(Templates.render(card.title(), values, budget),
                card.fields().stream().map(f -> new Content.Field(Templates.render(f.label(), values, budget),
                        Templates.render(f.value(), values, budget))).toList(),
                card.actions().stream().map(a -> new Content.Action(a.id(), Templates.render(a.label(), values, budget),
                        a.url() == null ? null : Templates.render(a.url(), urlValues, budget),
                        a.callbackId() == null ? null : Templates.render(a.callbackId(), values, budget))).toList());
        return new Rendered(variant.locale(), new Content(Content.ContentType.CARD, text, rendered, null, List.of(), false));
    }

    private Variant choose(String locale) {
        if (locale == null || byLocale.isEmpty()) {
            return fallback;
        }
        String tag = normalized(locale);
        Variant exact = byLocale.get(tag);
        if (exact != null) {
            return exact;
        }
        Variant language = byLocale.get(Locale.forLanguageTag(tag).getLanguage());
        return language != null ? language : fallback;
    }

    static String normalized(String tag) {
        return Locale.forLanguageTag(tag).toLanguageTag().toLowerCase(Locale.ROOT);
    }

    private static Variant variant(String locale, String text, RuleDefinition.CardTemplate card)
            throws Templates.InvalidTemplateException, Templates.UnrenderableTemplateException {
        return new Variant(locale, Templates.text(text), card == null ? null : card(card));
    }

    private static Card card(RuleDefinition.CardTemplate card)
            throws Templates.InvalidTemplateException, Templates.UnrenderableTemplateException {
        List<Field> fields = new ArrayList<>();
        for (RuleDefinition.FieldTemplate field : card.fields()) {
            fields.add(new Field(Templates.text(field.label()), Templates.text(field.value())));
        }
        List<Action> actions = new ArrayList<>();
        for (RuleDefinition.ActionTemplate action : card.actions()) {
            checkAction(action);
            actions.add(new Action(action.id(), Templates.text(action.label()),
                    action.url() == null ? null : Templates.url(action.url()),
                    action.callbackId() == null ? null : Templates.text(action.callbackId())));
        }
        return new Card(Templates.text(card.title()), fields, actions);
    }

    /**
     * A button renders exactly one of a url and a callback; a url that starts with literal text must
     * start as an http or https URL (one that starts with a value is checked when it renders).
     */
    private static void checkAction(RuleDefinition.ActionTemplate action) throws Templates.UnrenderableTemplateException {
        if (action.url() == null == (action.callbackId() == null)) {
            throw new Templates.UnrenderableTemplateException("card action " + action.id()
                    + " needs exactly one of url and callbackId");
        }
        if (action.url() != null) {
            int firstTag = action.url().indexOf("{{");
            String literal = (firstTag < 0 ? action.url() : action.url().substring(0, firstTag)).toLowerCase(Locale.ROOT);
            boolean web = literal.startsWith("https://") || literal.startsWith("http://")
                    || firstTag >= 0 && ("https://".startsWith(literal) || "http://".startsWith(literal));
            if (!web) {
                throw new Templates.UnrenderableTemplateException("card action " + action.id()
                        + " has a url that is not an http or https URL");
            }
        }
    }
}
