package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Each service's KafkaUser grants exactly what the service does ({@link ServiceTopics}): Read and
 * Describe on the topics it consumes, Write and Describe on those it publishes, Read and Describe on
 * its consumer groups, and on the prefix of apps' own topics Read, Write (their dead-letter topics)
 * and Describe where it consumes them, Create and Describe where it creates them; nothing else (no
 * cluster or transactional-id rights, no wildcard). And each
 * service authenticates as its own user: its SASL settings come from the Secret of its KafkaUser.
 */
public final class AclRules {

    private AclRules() {
    }

    public static List<String> violations(List<Manifest> manifests, Map<String, ServiceTopics> services) {
        List<String> violations = new ArrayList<>();
        if (services.isEmpty()) {
            violations.add("no services found in the README's services table");
        }
        services.forEach((service, topics) -> {
            Manifest user = Manifests.ofKind(manifests, "KafkaUser").filter(u -> u.name().equals(service)).findFirst().orElse(null);
            if (user == null) {
                violations.add("no KafkaUser for " + service);
                return;
            }
            Set<String> granted = granted(user);
            Set<String> expected = expected(topics);
            for (String acl : expected) {
                if (!granted.contains(acl)) {
                    violations.add(user.id() + ": missing ACL " + acl);
                }
            }
            for (String acl : granted) {
                if (!expected.contains(acl)) {
                    violations.add(user.id() + ": ACL " + acl + " is more than " + service + " uses");
                }
            }
            manifests.stream().filter(m -> m.isLongRunning() && m.name().startsWith(service))
                    .forEach(workload -> credentials(workload, service, violations));
        });
        return violations;
    }

    static Set<String> expected(ServiceTopics topics) {
        Set<String> acls = new TreeSet<>();
        topics.consumes().forEach(t -> acls.addAll(List.of(acl("topic", t, "literal", "Read"), acl("topic", t, "literal", "Describe"))));
        topics.publishes().forEach(t -> acls.addAll(List.of(acl("topic", t, "literal", "Write"), acl("topic", t, "literal", "Describe"))));
        topics.groups().forEach(g -> acls.addAll(List.of(acl("group", g, "literal", "Read"), acl("group", g, "literal", "Describe"))));
        topics.groupPrefixes().forEach(g -> acls.addAll(List.of(acl("group", g, "prefix", "Read"), acl("group", g, "prefix", "Describe"))));
        // every app's topic and its dead-letter topic share the prefix: read the one, write the other
        topics.consumesPerApp().forEach(t -> acls.addAll(List.of(acl("topic", t, "prefix", "Read"),
                acl("topic", t, "prefix", "Write"), acl("topic", t, "prefix", "Describe"))));
        topics.createsPerApp().forEach(t -> acls.addAll(List.of(acl("topic", t, "prefix", "Create"),
                acl("topic", t, "prefix", "Describe"))));
        return acls;
    }

    private static Set<String> granted(Manifest user) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : user.spec().path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            String type = resource.path("type").asText();
            String name = resource.path("name").asText(type.equals("cluster") ? "kafka-cluster" : "");
            String pattern = resource.path("patternType").asText("literal");
            List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(op -> operations.add(op.asText()));
            if (acl.has("operation")) {
                operations.add(acl.path("operation").asText());
            }
            operations.forEach(op -> acls.add(acl(type, name, pattern, op)));
        }
        return acls;
    }

    private static String acl(String type, String name, String pattern, String operation) {
        return operation + " on " + type + " " + name + (pattern.equals("literal") ? "" : " (" + pattern + ")");
    }

    private static void credentials(Manifest workload, String service, List<String> violations) {
        for (JsonNode env : workload.podSpec().path("containers").path(0).path("env")) {
            if (env.path("name").asText().equals("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")) {
                String secret = env.path("valueFrom").path("secretKeyRef").path("name").asText();
                if (!secret.equals(service)) {
                    violations.add(workload.id() + ": takes its Kafka credentials from Secret " + secret
                            + ", not from its own KafkaUser " + service);
                }
                return;
            }
        }
        violations.add(workload.id() + ": no SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG from its KafkaUser's Secret");
    }
}
