package io.switchboard.message.routing.rules;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

import java.io.Writer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logic-less Mustache templates over an event's context. Values are looked up in maps and lists
 * only (no getters or methods are ever called), a missing value renders empty. Chat text is plain
 * text that clients show as text, so text is not HTML-escaped; in a button's url every
 * {@code {{value}}} is percent-encoded so an event cannot change the link's structure, and
 * {@code {{{value}}}} inserts a whole URL as it is.
 *
 * <p>Apps write the templates and every tenant's events are rendered on the same consumers, so
 * what a template may do is bounded twice: when it is saved ({@link TemplateShape}: no partials or
 * inheritance, which could never render here; no delimiter changes; sections nested at most
 * {@value TemplateShape#MAX_SECTION_DEPTH} deep) and when it renders ({@link RenderBudget}).
 */
public final class Templates {

    /** The budget of the render running on this thread, charged by the collector's iterators. */
    private static final ThreadLocal<RenderBudget> RENDERING = new ThreadLocal<>();

    private static final Mustache.Compiler TEXT = Mustache.compiler()
            .escapeHTML(false)
            .defaultValue("")
            .withFormatter(Templates::format)
            .withCollector(new MapsAndListsOnly());

    private static final Mustache.Compiler URL = TEXT.withEscaper(Templates::percentEncoded);

    /** A value as a url template writes it: every character that could change the link's structure encoded. */
    static String percentEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Templates() {
    }

    /** Thrown when a template does not parse. */
    public static final class InvalidTemplateException extends Exception {
        InvalidTemplateException(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown when a template parses but could never render within Switchboard's limits. */
    public static final class UnrenderableTemplateException extends Exception {
        UnrenderableTemplateException(String message) {
            super(message, null, false, false);
        }
    }

    public static Template text(String source) throws InvalidTemplateException, UnrenderableTemplateException {
        return compile(TEXT, source);
    }

    static Template url(String source) throws InvalidTemplateException, UnrenderableTemplateException {
        return compile(URL, source);
    }

    /**
     * Renders a template, charging {@code budget}; the result is stripped of surrounding whitespace.
     *
     * @throws RenderBudget.ExceededException when the budget runs out; nothing is returned then
     */
    public static String render(Template template, Map<String, Object> context, RenderBudget budget) {
        StringBuilder rendered = new StringBuilder();
        RENDERING.set(budget);
        budget.start();
        try {
            template.execute(context, new BudgetedWriter(rendered, budget));
        } finally {
            budget.stop();
            RENDERING.remove();
        }
        return rendered.toString().strip();
    }

    /**
     * How a value prints. Numbers that arrive as floating point print as a person writes them: a
     * whole one without ".0" (Avro serializers send 12000 as a double when the schema's union has
     * one, and "12000.0" is not what a deal's amount looks like), none with an exponent.
     */
    static String format(Object value) {
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            // from the shortest decimal that reads back as the same value: 0.1f prints 0.1, not 0.100000001
            return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private static Template compile(Mustache.Compiler compiler, String source)
            throws InvalidTemplateException, UnrenderableTemplateException {
        TemplateShape.check(source);
        try {
            return compiler.compile(source);
        } catch (MustacheException e) {
            throw new InvalidTemplateException(e.getMessage());
        }
    }

    /** JMustache's reflection-free collector: maps, lists, iterators and arrays; every item visited is charged. */
    private static final class MapsAndListsOnly extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }

        @Override
        public Iterator<?> toIterator(Object value) {
            Iterator<?> items = super.toIterator(value);
            RenderBudget budget = RENDERING.get();
            return items == null || budget == null ? items : new Iterator<Object>() {
                @Override
                public boolean hasNext() {
                    return items.hasNext();
                }

                @Override
                public Object next() {
                    budget.iterate();
                    return items.next();
                }
            };
        }
    }

    /** Collects the output, charging each write. */
    private static final class BudgetedWriter extends Writer {
        private final StringBuilder out;
        private final RenderBudget budget;

        BudgetedWriter(StringBuilder out, RenderBudget budget) {
            this.out = out;
            this.budget = budget;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            budget.write(length);
            out.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            budget.write(length);
            out.append(text, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
