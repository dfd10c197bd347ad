package io.switchboard.message.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a posted JSON payload into the values the {@code BusinessEvent.payload} map can carry:
 * null, boolean, long, double, string and list of strings. Nested objects are flattened into
 * dotted keys ({@code {"customer": {"name": "ACME"}}} becomes {@code customer.name}), as the
 * schema's documentation asks of every producer, so routing templates see the same keys whichever
 * way an event arrived. Integers become longs and other numbers doubles; arrays may hold strings
 * only. Anything else is reported, never dropped or coerced.
 */
final class PayloadFlattening {

    static final int MAX_KEY_LENGTH = 200;

    private final Map<String, Object> flattened = new LinkedHashMap<>();
    private final List<InvalidEventException.FieldError> errors;
    private final String fieldPrefix;

    private PayloadFlattening(String fieldPrefix, List<InvalidEventException.FieldError> errors) {
        this.fieldPrefix = fieldPrefix;
        this.errors = errors;
    }

    /**
     * The flattened payload; each value that cannot be carried adds an error to {@code errors},
     * named {@code <fieldPrefix><dotted key>}.
     */
    static Map<String, Object> flatten(Map<String, Object> payload, String fieldPrefix,
                                       List<InvalidEventException.FieldError> errors) {
        PayloadFlattening flattening = new PayloadFlattening(fieldPrefix, errors);
        flattening.addObject("", payload);
        return flattening.flattened;
    }

    private void addObject(String keyPrefix, Map<?, ?> object) {
        object.forEach((name, value) -> {
            String key = keyPrefix + name;
            if (name.toString().isEmpty()) {
                reject(key, "keys must not be empty");
            } else if (value instanceof Map<?, ?> nested) {
                addObject(key + ".", nested);
            } else {
                add(key, value);
            }
        });
    }

    private void add(String key, Object value) {
        if (key.length() > MAX_KEY_LENGTH) {
            reject(key, "keys are at most " + MAX_KEY_LENGTH + " characters, dotted path included");
            return;
        }
        Object carried = switch (value) {
            case null -> null;
            case Boolean b -> b;
            case String s -> s;
            case Integer i -> i.longValue();
            case Long l -> l;
            case BigInteger big -> big.bitLength() < Long.SIZE ? big.longValue() : outOfRange(key);
            case Double d -> finite(key, d);
            case BigDecimal decimal -> finite(key, decimal.doubleValue());
            case List<?> list -> strings(key, list);
            default -> unsupported(key);
        };
        if (flattened.containsKey(key)) {
            reject(key, "the key is given twice (directly and through a nested object)");
        }
        flattened.put(key, carried);
    }

    private Object strings(String key, List<?> list) {
        List<String> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof String string)) {
                return reject(key, "arrays may hold strings only");
            }
            strings.add(string);
        }
        return strings;
    }

    private Object finite(String key, double value) {
        return Double.isFinite(value) ? value : outOfRange(key);
    }

    private Object outOfRange(String key) {
        return reject(key, "numbers must fit a 64-bit integer or a finite double");
    }

    private Object unsupported(String key) {
        return reject(key, "values may be null, boolean, number, string, array of strings or object");
    }

    private Object reject(String key, String message) {
        errors.add(new InvalidEventException.FieldError(fieldPrefix + key, message));
        return null;
    }
}
