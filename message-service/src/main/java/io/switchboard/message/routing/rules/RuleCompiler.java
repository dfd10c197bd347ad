package io.switchboard.message.routing.rules;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a rule beyond bean validation and compiles it: each target names what its type needs,
 * the condition type-checks as a boolean, every template parses, locales are language tags and
 * noise-control windows are sane. Errors are {@code validation-failed}, {@code invalid-condition},
 * {@code invalid-template} or {@code template-unrenderable} (a partial, a section nested too deep,
 * a button that is not a web link) with a detail naming the part.
 */
final class RuleCompiler {

    private static final Pattern EVENT_FIELD = Pattern.compile("actor|concerns|payload\\.[^\\s]{1,190}");
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private RuleCompiler() {
    }

    static CompiledRule compile(String appId, String ruleId, long version, RuleDefinition rule) {
        checkTargets(rule.targets());
        rule.content().locales().keySet().forEach(RuleCompiler::checkLocale);
        Condition condition = null;
        String expression = rule.match().condition();
        if (expression != null && !expression.isBlank()) {
            try {
                condition = Condition.compile(expression);
            } catch (Condition.InvalidConditionException e) {
                throw new ApiException(ErrorCode.INVALID_CONDITION, "The condition does not compile: " + e.getMessage());
            }
        }
        try {
            CompiledContent content = CompiledContent.compile(rule.content());
            var throttleKey = rule.throttle() == null ? null : Templates.text(orEmpty(rule.throttle().key()));
            var digestKey = rule.digest() == null ? null : Templates.text(orEmpty(rule.digest().key()));
            var digestText = Templates.text(rule.digest() == null || rule.digest().text() == null
                    ? CompiledRule.DEFAULT_DIGEST_TEXT : rule.digest().text());
            if (rule.throttle() != null) {
                checkWindow("throttle.per", rule.throttle().per(), MIN_WINDOW);
            }
            if (rule.digest() != null) {
                checkWindow("digest.window", rule.digest().window(), MIN_WINDOW);
            }
            return new CompiledRule(appId, ruleId, version, rule, condition, content, throttleKey, digestKey, digestText);
        } catch (Templates.InvalidTemplateException e) {
            throw new ApiException(ErrorCode.INVALID_TEMPLATE, "A template does not parse: " + e.getMessage());
        } catch (Templates.UnrenderableTemplateException e) {
            throw new ApiException(ErrorCode.TEMPLATE_UNRENDERABLE, "A template can never render: " + e.getMessage());
        }
    }

    private static void checkTargets(List<RuleDefinition.Target> targets) {
        for (int i = 0; i < targets.size(); i++) {
            RuleDefinition.Target target = targets.get(i);
            String where = "targets[" + i + "] (" + target.type() + ")";
            switch (target.type()) {
                case USERS -> require(target.userIds() != null && !target.userIds().isEmpty(), where + " needs userIds");
                case EVENT_FIELD -> require(target.field() != null && EVENT_FIELD.matcher(target.field()).matches(),
                        where + " needs field: actor, concerns or payload.<key>");
                case CONVERSATION -> require(notBlank(target.conversationId()), where + " needs conversationId");
                case CONVERSATION_ROLE -> require(notBlank(target.conversationId()) && target.roles() != null
                        && !target.roles().isEmpty(), where + " needs conversationId and roles");
                case DEPARTMENT -> require(notBlank(target.departmentId()), where + " needs departmentId");
                case TAG -> require(notBlank(target.tag()), where + " needs tag");
            }
        }
    }

    private static void checkLocale(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        require(!locale.getLanguage().isEmpty() && locale.toLanguageTag().equalsIgnoreCase(tag),
                "content.locales: '" + tag + "' is not a BCP 47 language tag such as 'de' or 'pt-BR'");
    }

    private static void checkWindow(String name, Duration window, Duration min) {
        require(window.compareTo(min) >= 0 && window.compareTo(MAX_WINDOW) <= 0,
                name + " must be between " + min + " and " + MAX_WINDOW);
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, detail);
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
