package io.switchboard.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Malformed requests for one operation of an OpenAPI document, one thing wrong at a time: each path
 * parameter an odd id, each query parameter of the wrong type or out of range, odd conditional and
 * idempotency headers, and bodies that are not JSON, not the expected shape, of the wrong types,
 * huge, deeply nested or not UTF-8. Everything else is a plausible value, so that the one mistake
 * is what the service has to answer.
 */
final class MalformedInputs {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final List<String> ODD_IDS = List.of("a".repeat(5000), "%00", "..%2F..%2Fetc%2Fpasswd", "%2F", "%ZZ",
            "%C0%AF", "%FF%FE", "%E5%90%8D%E5%89%8D", "%F0%9F%98%80", "a;b=c", "%20", "-1", "99999999999999999999", "%0D%0AX:1");
    private static final List<String> ODD_QUERY_VALUES = List.of("abc", "-1", "99999999999999999999", "1.5", "", "1e400",
            "%00", "%ZZ", "x".repeat(2000), "%FF");
    private static final List<String> ODD_IF_MATCH = List.of("\"99999999999\"", "\"99999999999999999999\"", "\"abc\"",
            "W/\"-1\"", "*", "\"\"");

    /** One request: what is wrong with it, and the request. */
    record Case(String what, String method, String target, Map<String, String> headers, byte[] body) {
    }

    private final JsonNode document;

    MalformedInputs(JsonNode document) {
        this.document = document;
    }

    /** The operations of the document: method and path template. */
    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (List.of("get", "put", "post", "delete", "patch").contains(method.getKey())) {
                    operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), method.getValue()));
                }
            }
        }
        return operations;
    }

    /** An operation of the document. */
    record Operation(String method, String path, JsonNode spec) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    List<Case> cases(Operation operation) {
        List<Case> cases = new ArrayList<>();
        List<JsonNode> pathParameters = parameters(operation, "path");
        List<JsonNode> queryParameters = parameters(operation, "query");
        JsonNode bodySchema = bodySchema(operation);
        byte[] plausibleBody = bodySchema == null ? null : bytes(sample(bodySchema, 0));
        for (JsonNode parameter : pathParameters) {
            for (String odd : ODD_IDS) {
                cases.add(request(operation, "path " + parameter.path("name").asString() + "=" + RawHttp.abbreviated(odd),
                        Map.of(parameter.path("name").asString(), odd), Map.of(), Map.of(), plausibleBody));
            }
        }
        for (JsonNode parameter : queryParameters) {
            for (String odd : ODD_QUERY_VALUES) {
                cases.add(request(operation, "query " + parameter.path("name").asString() + "=" + RawHttp.abbreviated(odd),
                        Map.of(), Map.of(parameter.path("name").asString(), odd), Map.of(), plausibleBody));
            }
        }
        if (!operation.method().equals("GET") && !operation.method().equals("POST")) {
            for (String ifMatch : ODD_IF_MATCH) {
                cases.add(request(operation, "If-Match: " + ifMatch, Map.of(), Map.of(), Map.of("If-Match", ifMatch),
                        plausibleBody));
            }
        }
        if (operation.method().equals("POST")) {
            cases.add(request(operation, "Idempotency-Key of 4,000 characters", Map.of(), Map.of(),
                    Map.of("Idempotency-Key", "k".repeat(4_000)), plausibleBody));
        }
        if (bodySchema != null) {
            cases.addAll(bodyCases(operation, bodySchema));
        }
        cases.add(request(operation, "unknown query parameter", Map.of(), Map.of("nonsense", "%00"), Map.of(), plausibleBody));
        return cases;
    }

    private List<Case> bodyCases(Operation operation, JsonNode schema) {
        List<Case> cases = new ArrayList<>();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("no body", null);
        bodies.put("not JSON", "not json".getBytes(StandardCharsets.UTF_8));
        bodies.put("truncated JSON", "{\"a\":".getBytes(StandardCharsets.UTF_8));
        bodies.put("an array", "[]".getBytes(StandardCharsets.UTF_8));
        bodies.put("null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("a string", "\"text\"".getBytes(StandardCharsets.UTF_8));
        bodies.put("a number", "123".getBytes(StandardCharsets.UTF_8));
        bodies.put("an empty object", "{}".getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", invalidUtf8());
        bodies.put("10,000 nested arrays", nested(10_000));
        bodies.put("a number beyond double", "{\"n\": 1e400}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> plausible = sample(schema, 0) instanceof Map<?, ?> map ? castMap(map) : Map.of();
        for (Map.Entry<String, JsonNode> property : properties(schema)) {
            String name = property.getKey();
            for (Map.Entry<String, Object> wrong : wrongValues(resolve(property.getValue())).entrySet()) {
                Map<String, Object> body = new LinkedHashMap<>(plausible);
                body.put(name, wrong.getValue());
                bodies.put(name + " " + wrong.getKey(), bytes(body));
            }
        }
        bodies.forEach((what, body) -> cases.add(request(operation, "body " + what, Map.of(), Map.of(), Map.of(), body)));
        cases.add(request(operation, "JSON sent as text/plain", Map.of(), Map.of(), Map.of("Content-Type", "text/plain"),
                bytes(plausible)));
        cases.add(request(operation, "JSON declared as latin-1 XML", Map.of(), Map.of(),
                Map.of("Content-Type", "application/xml; charset=ISO-8859-1"), bytes(plausible)));
        return cases;
    }

    private Map<String, Object> wrongValues(JsonNode schema) {
        Map<String, Object> wrong = new LinkedHashMap<>();
        String type = type(schema);
        switch (type) {
            case "string" -> {
                wrong.put("as a number", 123);
                wrong.put("as an object", Map.of("a", 1));
                wrong.put("of 200,000 characters", "s".repeat(200_000));
                wrong.put("with a NUL", "a\u0000b");
            }
            case "integer", "number" -> {
                wrong.put("as text", "abc");
                wrong.put("beyond long", new java.math.BigInteger("99999999999999999999999"));
                wrong.put("negative", -1);
            }
            case "boolean" -> wrong.put("as text", "yes");
            case "array" -> {
                wrong.put("as text", "x");
                wrong.put("with 100,000 items", java.util.Collections.nCopies(100_000, "i"));
            }
            default -> {
                wrong.put("as text", "x");
                wrong.put("as an array", List.of(1));
            }
        }
        wrong.put("as null", null);
        return wrong;
    }

    private Case request(Operation operation, String what, Map<String, String> pathValues, Map<String, String> query,
                         Map<String, String> headers, byte[] body) {
        String target = operation.path();
        for (JsonNode parameter : parameters(operation, "path")) {
            String name = parameter.path("name").asString();
            target = target.replace("{" + name + "}", pathValues.getOrDefault(name, plausible(parameter)));
        }
        StringBuilder queryString = new StringBuilder();
        for (JsonNode parameter : parameters(operation, "query")) {
            String name = parameter.path("name").asString();
            if (query.containsKey(name)) {
                queryString.append(queryString.isEmpty() ? "?" : "&").append(name).append('=').append(query.get(name));
            } else if (parameter.path("required").asBoolean(false)) {
                queryString.append(queryString.isEmpty() ? "?" : "&").append(name).append('=').append(plausible(parameter));
            }
        }
        query.keySet().stream().filter(name -> parameters(operation, "query").stream()
                        .noneMatch(p -> p.path("name").asString().equals(name)))
                .forEach(name -> queryString.append(queryString.isEmpty() ? "?" : "&").append(name).append('=').append(query.get(name)));
        Map<String, String> allHeaders = new LinkedHashMap<>();
        if (body != null) {
            allHeaders.put("Content-Type", "application/json");
        }
        allHeaders.put("Idempotency-Key", "walk-" + Math.abs(what.hashCode()));
        allHeaders.putAll(headers);
        return new Case(what, operation.method(), target + queryString, allHeaders, body);
    }

    private List<JsonNode> parameters(Operation operation, String in) {
        List<JsonNode> parameters = new ArrayList<>();
        for (JsonNode parameter : operation.spec().path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if (in.equals(resolved.path("in").asString())) {
                parameters.add(resolved);
            }
        }
        return parameters;
    }

    private String plausible(JsonNode parameter) {
        String type = type(resolve(parameter.path("schema")));
        return type.equals("integer") || type.equals("number") ? "1" : "walk1";
    }

    private JsonNode bodySchema(Operation operation) {
        JsonNode content = operation.spec().path("requestBody").path("content");
        JsonNode json = content.path("application/json");
        return json.isMissingNode() ? null : resolve(json.path("schema"));
    }

    private Iterable<Map.Entry<String, JsonNode>> properties(JsonNode schema) {
        return resolve(schema).path("properties").properties();
    }

    private Object sample(JsonNode schema, int depth) {
        JsonNode resolved = resolve(schema);
        if (resolved.has("enum")) {
            return resolved.path("enum").get(0).asString();
        }
        return switch (type(resolved)) {
            case "string" -> "x";
            case "integer", "number" -> 1;
            case "boolean" -> true;
            case "array" -> List.of();
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                if (depth < 4) {
                    for (JsonNode required : resolved.path("required")) {
                        object.put(required.asString(), sample(resolved.path("properties").path(required.asString()), depth + 1));
                    }
                }
                yield object;
            }
        };
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (!"null".equals(option.asString())) {
                    return option.asString();
                }
            }
        }
        return type.asString("object");
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 10 && current.has("$ref"); hops++) {
            String ref = current.path("$ref").asString();
            current = document.at(ref.substring(1));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static byte[] bytes(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    private static byte[] invalidUtf8() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"text\": \"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] nested(int depth) {
        return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }
}
