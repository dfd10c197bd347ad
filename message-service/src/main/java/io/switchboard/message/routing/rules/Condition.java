package io.switchboard.message.routing.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.switchboard.events.integration.BusinessEvent;

import java.util.HashMap;
import java.util.Map;

/**
 * A rule's condition in CEL (Common Expression Language): side-effect free, always terminating,
 * with no access to anything but the declared variables; there is no way to call Java, reflect,
 * or touch files or the network. Compiled and type-checked once when the rule is saved.
 */
public final class Condition {

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(2_000)
            .comprehensionMaxIterations(1_000)
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)   // has(), all(), exists(), map(), filter()
            .addVar("eventId", SimpleType.STRING)
            .addVar("appId", SimpleType.STRING)
            .addVar("source", SimpleType.STRING)
            .addVar("eventType", SimpleType.STRING)
            .addVar("occurredAt", SimpleType.TIMESTAMP)
            .addVar("entity", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("actor", SimpleType.DYN)
            .addVar("concerns", ListType.create(SimpleType.STRING))
            .addVar("payload", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private final CelRuntime.Program program;

    private Condition(CelRuntime.Program program) {
        this.program = program;
    }

    /** Thrown when an expression does not compile; the message says where and why. */
    static final class InvalidConditionException extends Exception {
        InvalidConditionException(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown when a condition fails on an event, e.g. a missing payload key or a type mismatch. */
    public static final class EvaluationException extends Exception {
        EvaluationException(String message) {
            super(message, null, false, false);
        }
    }

    static Condition compile(String expression) throws InvalidConditionException {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new Condition(RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new InvalidConditionException(e.getMessage());
        } catch (CelEvaluationException e) {
            throw new InvalidConditionException("The condition cannot be planned: " + e.getMessage());
        }
    }

    boolean test(BusinessEvent event) throws EvaluationException {
        Object result;
        try {
            result = program.eval(celValues(EventContext.forConditions(event)));
        } catch (CelEvaluationException e) {
            throw new EvaluationException(e.getMessage());
        }
        if (result instanceof Boolean bool) {
            return bool;
        }
        // a condition over dynamic payload values type-checks as possibly boolean; here it was not
        throw new EvaluationException("The condition evaluated to " + result + ", not to true or false");
    }

    /** CEL has its own null; maps (the entity, the payload) may hold Java nulls. */
    private static Map<String, Object> celValues(Map<String, Object> values) {
        Map<String, Object> converted = new HashMap<>();
        values.forEach((key, value) -> {
            @SuppressWarnings("unchecked")
            Object celValue = value == null ? NullValue.NULL_VALUE
                    : value instanceof Map<?, ?> map ? celValues((Map<String, Object>) map) : value;
            converted.put(key, celValue);
        });
        return converted;
    }
}
