package io.switchboard.message.routing.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a template may contain, checked when its rule is saved: the parts of Mustache that could
 * never render here are refused (partials and template inheritance need a template loader, and
 * routing has none), delimiters stay {@code {{ }}}, and sections nest at most
 * {@value #MAX_SECTION_DEPTH} deep, since each level over a list multiplies the work. Inverted
 * sections render at most once and do not count.
 */
final class TemplateShape {

    static final int MAX_SECTION_DEPTH = 4;

    private TemplateShape() {
    }

    static void check(String source) throws Templates.UnrenderableTemplateException {
        Deque<Boolean> open = new ArrayDeque<>();   // per open section: whether it loops (# rather than ^)
        int depth = 0;
        int from = 0;
        while (true) {
            int start = source.indexOf("{{", from);
            if (start < 0) {
                return;
            }
            boolean triple = source.startsWith("{{{", start);
            int close = source.indexOf(triple ? "}}}" : "}}", start + 2);
            if (close < 0) {
                return;   // an unclosed tag: the parser reports it
            }
            String tag = source.substring(start + (triple ? 3 : 2), close).strip();
            from = close + (triple ? 3 : 2);
            if (triple || tag.isEmpty()) {
                continue;
            }
            switch (tag.charAt(0)) {
                case '>' -> throw new Templates.UnrenderableTemplateException(
                        "partials ({{> name}}) are not supported: a rule's templates stand alone");
                case '<', '$' -> throw new Templates.UnrenderableTemplateException(
                        "template inheritance ({{< parent}}, {{$ block}}) is not supported");
                case '=' -> throw new Templates.UnrenderableTemplateException(
                        "delimiter changes ({{=<% %>=}}) are not supported");
                case '#' -> {
                    open.push(true);
                    if (++depth > MAX_SECTION_DEPTH) {
                        throw new Templates.UnrenderableTemplateException("sections nest more than " + MAX_SECTION_DEPTH
                                + " deep (at {{" + tag + "}}); each level over a list multiplies the rendering");
                    }
                }
                case '^' -> open.push(false);
                case '/' -> {
                    if (!open.isEmpty() && open.pop()) {
                        depth--;
                    }
                }
                default -> {
                }
            }
        }
    }
}
