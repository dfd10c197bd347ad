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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * training run starts the service's context with nothing to talk to (Kafka and the registry
 * unreachable, a throwaway data folder) and stops it when the context is refreshed
 * ({@code spring.context.exit=onRefresh}), before any listener or server starts.
 *
 * <p>A cache older than its service's jar is ignored: a build without this step falls back to the
 * plain jar, never to classes of an older build.
 */
public final class AotCache {

    /** The first JDK with {@code -XX:AOTCacheOutput} (JEP 514). */
    private static final int FIRST_JDK = 25;
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);
    private static final int PARALLEL_TRAINING = Math.max(1, Runtime.getRuntime().availableProcessors());

    private AotCache() {
    }

    /**
     * Trains the cache of each service whose jar is newer than its cache, and the registry's if it
     * has none: {@code AotCache <project directory>}, run by {@code ./switchboard} before it starts a
     * stack. A part whose training fails starts without a cache, as before; the reason is printed.
     */
    public static void main(String[] args) throws InterruptedException {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (Runtime.version().feature() < FIRST_JDK) {
            System.out.println("Start caches need JDK " + FIRST_JDK + " or newer (this is " + Runtime.version().feature()
                    + "): the stack starts without them, more slowly.");
            return;
        }
        Map<String, Runnable> trainings = new LinkedHashMap<>();
        Stream.of(StackService.values()).filter(service -> launch(project, service).isEmpty())
                .forEach(service -> trainings.put(service.module(), () -> train(project, service, LocalStack.JVM_OPTIONS)));
        Path registryHome = ApicurioRegistry.locateHome();
        if (registry(registryHome).isEmpty()) {
            trainings.put("apicurio-registry", () -> trainRegistry(registryHome, LocalStack.JVM_OPTIONS));
        }
        if (trainings.isEmpty()) {
            return;
        }
        System.out.println("Training start caches (once per build) for " + trainings.keySet() + " ...");
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_TRAINING)) {
            Map<String, Future<?>> running = new LinkedHashMap<>();
            trainings.forEach((part, training) -> running.put(part, pool.submit(training)));
            for (Map.Entry<String, Future<?>> training : running.entrySet()) {
                try {
                    training.getValue().get();
                } catch (ExecutionException e) {
                    System.out.println("Could not train " + training.getKey() + "'s start cache; it starts without one: "
                            + e.getCause().getMessage());
                }
            }
        }
        System.out.printf("Trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * The registry's JVM options for its cache, when it has one. Apicurio's own classes come through
     * Quarkus' class loader, which the cache cannot hold; the JDK's and the libraries' still halve
     * its start's CPU.
     */
    static Optional<List<String>> registry(Path home) {
        Path cache = registryCache(home);
        return Files.isRegularFile(cache) ? Optional.of(List.of("-XX:AOTCache=" + cache)) : Optional.empty();
    }

    /** Starts the registry with nothing stored, waits until it answers, and stops it: the cache is written as it exits. */
    static void trainRegistry(Path home, List<String> jvmOptions) {
        Path cache = registryCache(home);
        Path next = cache.resolveSibling(cache.getFileName() + ".next");
        Path work = cache.resolveSibling("apicurio-registry-training");
        delete(next);
        delete(work);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-XX:AOTCacheOutput=" + next);
        try (ApicurioRegistry registry = ApicurioRegistry.start(home, Net.freePort(), ApicurioRegistry.Storage.inMemory(),
                createDirectories(work), work.resolve("registry.log"), options)) {
            registry.port();   // it answered: what its start loads is in the training
        }
        if (!Files.isRegularFile(next)) {
            throw new IllegalStateException("the registry wrote no cache (see " + work.resolve("registry.log") + ")");
        }
        try {
            Files.move(next, cache, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not put the registry's start cache in place", e);
        }
        delete(work);
    }

    private static Path registryCache(Path home) {
        return home.resolveSibling(home.getFileName() + ".aot");
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command line's start for {@code service}: {@code -XX:AOTCache=... -jar <extracted jar>}
     * when a cache newer than the service's jar exists, else nothing (the plain jar is run).
     */
    static Optional<List<String>> launch(Path project, StackService service) {
        Path directory = directory(project, service);
        Path cache = directory.resolve(service.module() + ".aot");
        Path jar = service.jar(project);
        if (!Files.isRegularFile(cache) || !Files.isRegularFile(jar) || modified(cache).compareTo(modified(jar)) < 0) {
            return Optional.empty();
        }
        return Optional.of(List.of("-XX:AOTCache=" + cache, "-jar", directory.resolve(service.module() + ".jar").toString()));
    }

    /**
     * Extracts {@code service}'s jar and records its cache with {@code jvmOptions} (the options it
     * will run with: the cache is dropped by a JVM started with different module options). Written
     * beside, then moved in place, so a failed training leaves no half cache behind.
     */
    static void train(Path project, StackService service, List<String> jvmOptions) {
        Path directory = directory(project, service);
        Path next = directory.resolveSibling("aot.next");
        Path scratch = directory.resolveSibling("aot.training");
        delete(next);
        delete(scratch);
        Path jar = service.jar(project).toAbsolutePath();
        Path log = directory.resolveSibling("aot-training.log");
        delete(log);
        delete(directory.resolveSibling("aot-extract.log"));
        ManagedProcess.run(service.module() + "-extract",
                Java.command(List.of("-Djarmode=tools"), List.of("-jar", jar.toString(), "extract", "--destination", next.toString())),
                project, directory.resolveSibling("aot-extract.log"), TRAINING_TIMEOUT);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-XX:AOTCacheOutput=" + next.resolve(service.module() + ".aot"));
        options.add("-Dspring.context.exit=onRefresh");
        List<String> arguments = new ArrayList<>(List.of("-jar", next.resolve(service.module() + ".jar").toString(),
                "--server.port=0", "--management.server.port=0"));
        trainingProperties(service, scratch).forEach((key, value) -> arguments.add("--" + key + "=" + value));
        ManagedProcess.run(service.module() + "-training", Java.command(options, arguments),
                trainingEnvironment(service), project, log, TRAINING_TIMEOUT);
        delete(scratch);
        delete(directory);
        try {
            Files.move(next, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not put " + service.module() + "'s start cache in place", e);
        }
    }

    /**
     * The stack's own properties, pointed at nothing: Kafka and the registry on a port nobody
     * listens on, with short admin timeouts, so the context refreshes in seconds without them.
     */
    private static Map<String, String> trainingProperties(StackService service, Path scratch) {
        String nowhere = Net.LOOPBACK + ":" + Net.freePort();
        Map<StackService, String> urls = new java.util.EnumMap<>(StackService.class);
        for (StackService each : StackService.values()) {
            urls.put(each, "http://" + nowhere);
        }
        Map<String, String> properties = new java.util.HashMap<>(
                new ServiceProperties(nowhere, nowhere, "http://" + nowhere, urls, scratch).of(service));
        properties.put("spring.kafka.admin.operation-timeout", "1s");
        properties.put("spring.kafka.admin.close-timeout", "1s");
        // what a bean asks Kafka while the context refreshes (a topic's partitions) fails in a second, not 60
        for (String timeout : List.of("default.api.timeout.ms", "request.timeout.ms", "max.block.ms")) {
            properties.put("spring.kafka.properties." + timeout, "1000");
        }
        return properties;
    }

    private static Map<String, String> trainingEnvironment(StackService service) {
        return service == StackService.AUTH ? Map.of("SWITCHBOARD_AUTH_ADMIN_PASSWORD", "training-only") : Map.of();
    }

    private static Path directory(Path project, StackService service) {
        return service.jar(project).resolveSibling("aot");
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }
}
