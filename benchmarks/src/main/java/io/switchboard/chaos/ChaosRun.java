package io.switchboard.chaos;

import io.switchboard.bench.UserTokens;
import io.switchboard.client.Endpoints;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard chaos --profile short|full}: the whole system on a 3-node Kafka cluster with
 * two instances of every service behind a load balancer, under open-loop load (messages over
 * HTTP, business events from a Python producer, every user's WebSocket client resuming after each
 * drop), while the profile's faults happen one after another. Prints, per fault, what was sent,
 * accepted, stored and delivered, what was lost or duplicated, the gaps clients were left with,
 * how long delivery took to recover and when each instance's readiness went DOWN and UP, and
 * writes the same to {@code benchmarks/results/chaos-latest.json}. Exits with 1 when anything
 * accepted was lost, duplicated after dedupe or left a gap.
 */
public final class ChaosRun {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(3);
    /** How long the drain waits for deliveries once none arrive any more. */
    private static final Duration DRAIN_STALL = Duration.ofSeconds(60);
    /** An app keeps a message it could not send yet and tries again: longer than any outage of a run. */
    private static final Duration SEND_RETRY_FOR = Duration.ofMinutes(10);

    private final ChaosProfile profile;
    private final Path projectDirectory;
    private final Path resultFile;
    private final PrintStream out;

    /** @param resultFile where the per-fault results are written as JSON */
    ChaosRun(ChaosProfile profile, Path projectDirectory, Path resultFile, PrintStream out) {
        this.profile = profile;
        this.projectDirectory = projectDirectory;
        this.resultFile = resultFile;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String profileName = "full";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile") && i + 1 < args.length) {
                profileName = args[++i];
            } else if (args[i].startsWith("--profile=")) {
                profileName = args[i].substring("--profile=".length());
            } else {
                System.err.println("usage: ./switchboard chaos [--profile short|full]");
                System.exit(2);
            }
        }
        Path project = Path.of(System.getProperty("switchboard.project.dir", "."));
        List<ChaosReport.FaultResult> results = new ChaosRun(ChaosProfile.named(profileName), project,
                project.resolve("benchmarks/results/chaos-latest.json"), System.out).run();
        System.exit(results.stream().allMatch(ChaosReport.FaultResult::clean) ? 0 : 1);
    }

    /** Runs the profile, prints the tables, writes them to the result file and returns the rows. */
    List<ChaosReport.FaultResult> run() throws Exception {
        long started = System.nanoTime();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path data = Files.createTempDirectory("switchboard-chaos");
        String adminPassword = "chaos-" + UUID.randomUUID();
        out.printf(Locale.ROOT, "chaos (%s profile): starting 3 Kafka nodes, Apicurio, PostgreSQL, HAProxy and 2 instances "
                + "of each service in %s; %d cores, load average %.1f%n", profile.name(), data,
                Runtime.getRuntime().availableProcessors(), loadBefore);
        List<ChaosReport.FaultResult> results;
        try (ChaosStack stack = ChaosStack.start(projectDirectory, data, adminPassword, List.of("-Xmx512m", ChaosStack.QUICK_JIT));
             SwitchboardClient client = new SwitchboardClient(new Endpoints(stack.url(StackService.AUTH),
                     stack.url(StackService.MEMBERSHIP), stack.url(StackService.MESSAGE), stack.url(StackService.PUSH),
                     stack.kafka().bootstrapServers(), stack.registry().registryApiUrl()))) {
            out.printf(Locale.ROOT, "stack ready after %.0f s%n", (System.nanoTime() - started) / 1e9);
            results = runOn(stack, client, adminPassword, data);
        }
        out.println();
        out.print(ChaosReport.table(results));
        out.println();
        out.print(ChaosReport.readinessTable(results));
        Files.createDirectories(resultFile.toAbsolutePath().getParent());
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(resultFile.toFile(), results);
        out.printf(Locale.ROOT, "%nchaos (%s profile) took %.1f min; written to %s%n", profile.name(),
                (System.nanoTime() - started) / 60e9, resultFile);
        return results;
    }

    private List<ChaosReport.FaultResult> runOn(ChaosStack stack, SwitchboardClient client, String adminPassword,
                                                Path data) throws Exception {
        Ledger ledger = new Ledger();
        SwitchboardClient.App app = setUp(() -> client.createApp(adminPassword, "chaos"));
        setUp(() -> {
            client.setRequestRate(adminPassword, app.appId(), 100_000);
            return null;
        });
        String appToken = setUp(() -> client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                "routing:admin"));
        List<String> users = IntStream.range(0, profile.users()).mapToObj(i -> String.format(Locale.ROOT, "user-%04d", i))
                .toList();
        setUp(() -> {
            client.importUsers(appToken, users);
            return null;
        });
        List<String> tokens = setUp(() -> UserTokens.mint(client, appToken, users));
        List<MessageTraffic.Group> groups = createGroups(client, appToken, users, tokens);
        setUp(() -> putRule(client, appToken));

        HttpClient http = HttpClient.newHttpClient();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().daemon().name("chaos-clients-", 0).factory());
        List<ChaosClient> clients = IntStream.range(0, users.size())
                .mapToObj(i -> new ChaosClient(users.get(i), tokens.get(i), stack.webSocketUrl(), http, scheduler, ledger))
                .toList();
        // what the first user's app went through, frame by frame, for when a check fails
        clients.getFirst().trace(new PrintStream(Files.newOutputStream(data.resolve("logs/chaos-client-"
                + users.getFirst() + ".log")), true, java.nio.charset.StandardCharsets.UTF_8));
        clients.forEach(ChaosClient::connect);
        await("every client connected", CONNECT_TIMEOUT, () -> clients.stream().allMatch(ChaosClient::isReady));
        out.printf(Locale.ROOT, "%d users connected (%d groups of %d), app %s%n", users.size(), groups.size(),
                profile.groupSize(), app.appId());

        MessageTraffic messages = new MessageTraffic(stack.url(StackService.MESSAGE), groups, ledger, SEND_RETRY_FOR);
        try (EventTraffic events = EventTraffic.start(projectDirectory, data.resolve("logs"),
                stack.kafka().bootstrapServers(), stack.registry().confluentApiUrl(), app.appId(), users, ledger);
             ReadinessWatch readiness = new ReadinessWatch(stack.instances())) {
            warmUp(events, ledger, users);
            List<ChaosReport.Phase> phases = new ArrayList<>();
            try (OpenLoad load = OpenLoad.start(profile.messagesPerSecond(), messages::sendOne,
                    profile.eventsPerSecond(), events::sendOne)) {
                long start = System.currentTimeMillis();
                sleep(profile.steady());
                phases.add(new ChaosReport.Phase("no fault (baseline)", true, start, start,
                        System.currentTimeMillis()));
                for (Fault fault : profile.faults()) {
                    phases.add(inject(fault, stack, readiness));
                }
            }
            long drainStart = System.currentTimeMillis();
            drain(ledger, events, messages);
            out.printf(Locale.ROOT, "drained in %.1f s; clients reconnected %d times in all; %d HTTP attempts%n",
                    (System.currentTimeMillis() - drainStart) / 1000.0,
                    clients.stream().mapToInt(ChaosClient::drops).sum(), messages.attempts());
            clients.forEach(ChaosClient::close);
            ChaosReport report = ChaosReport.read(ledger, stack.jdbcUrl(StackService.MESSAGE), app.appId());
            report.lostItems(20).forEach(line -> out.println("lost: " + line));
            return phases.stream()
                    .map(phase -> report.result(phase, readiness.between(phase.start(), phase.end())))
                    .toList();
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Notifies a deal's owner of each {@code deal.updated}, the event's token in the text. */
    private static Void putRule(SwitchboardClient client, String appToken) {
        client.putRoutingRule(appToken, "chaos-deals", Map.of(
                "name", "Deal updates to the deal's owner",
                "match", Map.of("source", "crm", "eventTypes", List.of("deal.updated")),
                "targets", List.of(Map.of("type", "EVENT_FIELD", "field", "payload.ownerId")),
                "content", Map.of("text", "chaos {{payload.token}}")));
        return null;
    }

    /**
     * A set-up step, tried again (up to 5 times, 2 s apart) while the freshly started services answer
     * 503: under the start-up load of a dozen JVMs on two cores, auth-service's key set can be slow.
     */
    private static <T> T setUp(java.util.concurrent.Callable<T> step) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.call();
            } catch (IllegalStateException e) {
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("HTTP 503")) {
                    throw e;
                }
                Thread.sleep(2000);
            }
        }
    }

    private List<MessageTraffic.Group> createGroups(SwitchboardClient client, String appToken, List<String> users,
                                                    List<String> tokens) {
        List<MessageTraffic.Group> groups = new ArrayList<>();
        for (int from = 0; from + profile.groupSize() <= users.size(); from += profile.groupSize()) {
            List<String> members = users.subList(from, from + profile.groupSize());
            Map<String, String> memberTokens = new java.util.HashMap<>();
            for (int i = from; i < from + profile.groupSize(); i++) {
                memberTokens.put(users.get(i), tokens.get(i));
            }
            String conversationId = "group-" + groups.size();
            client.createGroup(appToken, conversationId, "Group " + groups.size(), members);
            groups.add(new MessageTraffic.Group(conversationId, List.copyOf(members), Map.copyOf(memberTokens)));
        }
        return groups;
    }

    /** One event per user, so every user's notification conversation exists before the faults begin. */
    private void warmUp(EventTraffic events, Ledger ledger, List<String> users) throws InterruptedException {
        long start = System.nanoTime();
        List<Ledger.Item> warmUps = users.stream().map(events::sendTo).toList();
        try {
            await("every warm-up notification delivered", WARM_UP_TIMEOUT,
                    () -> warmUps.stream().allMatch(ledger::deliveredToAll));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ": " + warmUps.stream().filter(Ledger.Item::accepted).count()
                    + " of " + warmUps.size() + " acknowledged by Kafka, " + warmUps.stream().filter(ledger::deliveredToAll)
                    .count() + " delivered; producer failures: " + events.failures() + " (last: " + events.lastFailure() + ")");
        }
        out.printf(Locale.ROOT, "warm-up: every user has a notification (%.1f s)%n", (System.nanoTime() - start) / 1e9);
    }

    private ChaosReport.Phase inject(Fault fault, ChaosStack stack, ReadinessWatch readiness) throws InterruptedException {
        long start = System.currentTimeMillis();
        Fault.Timeline timeline = new Fault.Timeline();
        out.printf(Locale.ROOT, "%s: %s%n", Instant.now(), fault.description());
        fault.run(stack, profile.outageOf(fault), timeline);
        await("every instance ready after " + fault.description(), Duration.ofMinutes(3), readiness::allReady);
        out.printf(Locale.ROOT, "%s: healed %.1f s after injection; settling %d s%n", Instant.now(),
                (System.currentTimeMillis() - timeline.injectedAt) / 1000.0, profile.settle().toSeconds());
        sleep(profile.settle());
        return new ChaosReport.Phase(fault.description(), false, start, timeline.injectedAt,
                System.currentTimeMillis());
    }

    /**
     * Waits for the events the producer still holds and the sends still retrying, then until every
     * accepted item reached every recipient, or nothing arrived for {@link #DRAIN_STALL}.
     */
    private void drain(Ledger ledger, EventTraffic events, MessageTraffic messages) throws InterruptedException {
        events.close();
        await("every send answered", SEND_RETRY_FOR, () -> messages.inFlight() == 0);
        long lastProgress = System.nanoTime();
        long undelivered = Long.MAX_VALUE;
        while (System.nanoTime() - lastProgress < DRAIN_STALL.toNanos()) {
            long now = ledger.items().values().stream().filter(item -> item.accepted() && !ledger.deliveredToAll(item))
                    .count();
            if (now == 0) {
                return;
            }
            if (now < undelivered) {
                undelivered = now;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(500);
        }
        out.printf(Locale.ROOT, "drain: %d accepted items still not delivered to every recipient after %d s without "
                + "progress%n", undelivered, DRAIN_STALL.toSeconds());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
