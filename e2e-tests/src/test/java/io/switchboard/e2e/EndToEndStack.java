package io.switchboard.e2e;

import io.switchboard.client.Endpoints;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.platform.testing.TestPostgres;
import io.switchboard.stack.Net;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on real parts, once for all end-to-end test classes of a run: a Kafka broker
 * (KRaft) and Apicurio Registry in child processes, PostgreSQL, and the four services' jars, each
 * in its own JVM. A test class gets it with {@code @ExtendWith(EndToEndStack.Extension.class)} and
 * an {@code EndToEndStack} parameter; it is stopped when the run ends.
 */
final class EndToEndStack implements AutoCloseable {

    static final String ADMIN_PASSWORD = "e2e-admin-password";

    private final Stack stack;
    private final SwitchboardClient client;

    private EndToEndStack(Stack stack) {
        this.stack = stack;
        this.client = new SwitchboardClient(new Endpoints(stack.url(StackService.AUTH), stack.url(StackService.MEMBERSHIP),
                stack.url(StackService.MESSAGE), stack.url(StackService.PUSH), stack.kafkaBootstrapServers(),
                stack.registry().registryApiUrl()));
    }

    private static EndToEndStack start() {
        try {
            Path data = Files.createTempDirectory("switchboard-e2e");
            Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
            Map<StackService, String> databases = new EnumMap<>(StackService.class);
            for (StackService service : StackService.values()) {
                ports.put(service, Net.freePort());
                databases.put(service, TestPostgres.freshSchemaUrl(service.module().replace("-service", "") + "_e2e"));
            }
            return new EndToEndStack(Stack.start(new Stack.Config(
                    Path.of(System.getProperty("switchboard.project.dir", "..")), data,
                    Net.freePort(), Net.freePort(), Net.freePort(), Net.freePort(), ports, false,
                    service -> Map.of("spring.datasource.url", databases.get(service),
                            "logging.level.io.switchboard.platform.security", "DEBUG"),
                    ADMIN_PASSWORD, List.of("-Xmx384m"), Duration.ofMinutes(4))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Stack stack() {
        return stack;
    }

    SwitchboardClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        stack.close();
    }

    /** Resolves {@link EndToEndStack} parameters with the run's one stack, started on first use. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EndToEndStack.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == EndToEndStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(EndToEndStack.class, key -> start(), EndToEndStack.class);
        }
    }
}
