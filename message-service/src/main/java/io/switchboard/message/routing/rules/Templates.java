package io.switchboard.message.routing.rules;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logic-less Mustache templates over an event's context. Values are looked up in maps and lists
 * only (no getters or methods are ever called), a missing value renders empty. Chat text is plain
 * text that clients show as text, so text is not HTML-escaped; in a button's url every
 * {@code {{value}}} is percent-encoded so an event cannot change the link's structure, and
 * {@code {{{value}}}} inserts a whole URL as it is.
 */
public final class Templates {

    private static final Mustache.Compiler TEXT = Mustache.compiler()
            .escapeHTML(false)
            .defaultValue("")
            .withCollector(new MapsAndListsOnly());

    private static final Mustache.Compiler URL = TEXT.withEscaper(
            value -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));

    private Templates() {
    }

    /** Thrown when a template does not parse. */
    public static final class InvalidTemplateException extends Exception {
        InvalidTemplateException(String message) {
            super(message, null, false, false);
        }
    }

    public static Template text(String source) throws InvalidTemplateException {
        return compile(TEXT, source);
    }

    static Template url(String source) throws InvalidTemplateException {
        return compile(URL, source);
    }

    /** Renders a template; the result is stripped of surrounding whitespace. */
    public static String render(Template template, Map<String, Object> context) {
        return template.execute(context).strip();
    }

    private static Template compile(Mustache.Compiler compiler, String source) throws InvalidTemplateException {
        try {
            return compiler.compile(source);
        } catch (MustacheException e) {
            throw new InvalidTemplateException(e.getMessage());
        }
    }

    /** JMustache's reflection-free collector: maps, lists, iterators and arrays. */
    private static final class MapsAndListsOnly extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    }
}
