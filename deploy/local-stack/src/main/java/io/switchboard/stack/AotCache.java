package io.switchboard.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JDK 25's ahead-of-time cache (JEP 483, 514, 515) for each service and the registry: the classes its start loads
 * and links, and their profiles, recorded by a training run right after the build, so a start
 * reads them instead of parsing, verifying and linking thousands of classes again. It roughly
 * halves the CPU a service's context takes to start, which on a 2-core machine where four services
 * start at once is most of the wait ({@code ./switchboard bench start} measures it).
 *
 * <p>The cache holds only classes of the JDK's own class loaders, so it works with Spring Boot's
 * extracted layout ({@code java -jar <module>.jar} beside {@code lib/}), not the nested jar. The
 * training run is a start like any other: a stack on free ports and a throwaway data folder, whose
 * parts record ({@code -XX:AOTCacheOutput}) until every one is ready, then write their caches as
 * they stop. So the cache holds what a real start loads after the context too (Kafka's consumers,
 * the web servers, the health checks), not only the context's beans.
 *
 * <p>A cache older than its service's jar is ignored: a build without this step falls back to the
 * plain jar, never to classes of an older build.
 */
public final class AotCache {

    /** The first JDK with {@code -XX:AOTCacheOutput} (JEP 514). */
    private static final int FIRST_JDK = 25;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    /** A JVM writes its cache as it exits, after its shutdown: give it time before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(2);

    /** Runs every part from its cache when it has a fresh one (a service's is fresh when newer than its jar). */
    public static final StartCaches USE = new StartCaches() {
        @Override
        public List<String> service(Path project, StackService service) {
            return cached(project, service).orElse(service.launch(project));
        }

        @Override
        public List<String> registry(Path home) {
            Path cache = registryCache(home);
            return Files.isRegularFile(cache) ? List.of("-XX:AOTCache=" + cache) : List.of();
        }
    };

    private AotCache() {
    }

    /**
     * Trains the cache of each service whose jar is newer than its cache, and the registry's if it
     * has none: {@code AotCache <project directory>}, run by {@code ./switchboard} before it starts a
     * stack. When training fails the stack starts without the caches it could not make, as before,
     * and the reason is printed.
     */
    public static void main(String[] args) {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (Runtime.version().feature() < FIRST_JDK) {
            System.out.println("Start caches need JDK " + FIRST_JDK + " or newer (this is " + Runtime.version().feature()
                    + "): the stack starts without them, more slowly.");
            return;
        }
        Set<StackService> services = Stream.of(StackService.values())
                .filter(service -> cached(project, service).isEmpty())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(StackService.class)));
        Path registryHome = ApicurioRegistry.locateHome();
        boolean registry = !Files.isRegularFile(registryCache(registryHome));
        if (services.isEmpty() && !registry) {
            return;
        }
        List<String> parts = new ArrayList<>(services.stream().map(StackService::module).toList());
        if (registry) {
            parts.add("apicurio-registry");
        }
        System.out.println("Training start caches (once per build) for " + parts + " ...");
        long start = System.nanoTime();
        try {
            train(project, services, registryHome, registry);
            System.out.printf("Trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            System.out.println("Could not train the start caches; the stack starts without them: " + e.getMessage());
        }
    }

    /**
     * A service's command line from its cache: {@code -XX:AOTCache=... -jar <extracted jar>} when a
     * cache newer than the service's jar exists.
     */
    static Optional<List<String>> cached(Path project, StackService service) {
        Path directory = directory(project, service);
        Path cache = directory.resolve(service.module() + ".aot");
        Path jar = service.jar(project);
        if (!Files.isRegularFile(cache) || !Files.isRegularFile(jar) || modified(cache).compareTo(modified(jar)) < 0) {
            return Optional.empty();
        }
        return Optional.of(List.of("-XX:AOTCache=" + cache, "-jar", directory.resolve(service.module() + ".jar").toString()));
    }

    /**
     * Starts a stack with the local stack's JVM options in which {@code services} (extracted beside
     * their cache's place) and, if {@code registry}, the registry record their caches; stops them
     * once every part is ready, then puts each cache in place. Written beside, then moved, so a
     * failed training leaves no half cache behind.
     */
    static void train(Path project, Set<StackService> services, Path registryHome, boolean registry) {
        for (StackService service : services) {
            Path next = next(project, service);
            delete(next);
            ManagedProcess.run(service.module() + "-extract", Java.command(List.of("-Djarmode=tools"),
                            List.of("-jar", service.jar(project).toAbsolutePath().toString(), "extract", "--destination", next.toString())),
                    project, directory(project, service).resolveSibling("aot-extract.log"), READY_TIMEOUT);
        }
        Path registryNext = registryCache(registryHome).resolveSibling(registryCache(registryHome).getFileName() + ".next");
        delete(registryNext);
        StartCaches recording = new StartCaches() {
            @Override
            public List<String> service(Path project, StackService service) {
                Path next = next(project, service);
                return services.contains(service)
                        ? List.of("-XX:AOTCacheOutput=" + next.resolve(service.module() + ".aot"), "-jar",
                        next.resolve(service.module() + ".jar").toString())
                        : USE.service(project, service);
            }

            @Override
            public List<String> registry(Path home) {
                return registry ? List.of("-XX:AOTCacheOutput=" + registryNext) : USE.registry(home);
            }
        };
        Path data = temporaryDirectory();
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ports.put(service, Net.freePort());
        }
        try (Stack stack = Stack.start(new Stack.Config(project, data, Net.freePort(), Net.freePort(), Net.freePort(),
                Net.freePort(), ports, false, service -> Map.of(), "training-only", LocalStack.JVM_OPTIONS, READY_TIMEOUT,
                service -> List.of(), recording))) {
            // every part is ready, so what a start loads is recorded: each writes its cache as it exits
            List<ManagedProcess> recorders = new ArrayList<>(services.stream().map(stack::process).toList());
            if (registry) {
                recorders.add(stack.registry().process());
            }
            CompletableFuture.allOf(recorders.stream()
                    .map(process -> CompletableFuture.runAsync(() -> process.stop(STOP_GRACE)))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + " (the training stack's logs: " + data.resolve("logs") + ")", e);
        }
        for (StackService service : services) {
            Path next = next(project, service);
            requireCache(next.resolve(service.module() + ".aot"), data);
            delete(directory(project, service));
            move(next, directory(project, service));
        }
        if (registry) {
            requireCache(registryNext, data);
            move(registryNext, registryCache(registryHome));
        }
        delete(data);
    }

    private static void requireCache(Path cache, Path data) {
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("no cache was written at " + cache + " (the training stack's logs: "
                    + data.resolve("logs") + ")");
        }
    }

    private static Path directory(Path project, StackService service) {
        return service.jar(project).resolveSibling("aot");
    }

    private static Path next(Path project, StackService service) {
        return service.jar(project).resolveSibling("aot.next");
    }

    private static Path registryCache(Path home) {
        return home.resolveSibling(home.getFileName() + ".aot");
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("switchboard-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not put " + to + " in place", e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + path, e);
        }
    }
}
