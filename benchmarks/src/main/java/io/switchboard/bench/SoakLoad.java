package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./switchboard bench soak}: whether the system holds steady under hours-like load. Starts
 * the whole system (services on PostgreSQL, Kafka, the registry), connects {@code BENCH_USERS}
 * (1,000) users over WebSocket, {@code BENCH_BROWSER_USERS} (a fifth) of them as browsers, in
 * groups of {@code BENCH_GROUP_SIZE} (5), and sends text messages over HTTP to the groups in turn,
 * so every message is stored, published and pushed ({@link SoakTraffic}).
 * <ol>
 *   <li>The most it sustains: after 10 s of warm-up, {@code BENCH_CONCURRENCY} (48) requests in
 *       flight for {@code BENCH_MAX_SECONDS} (60), counted as messages delivered to every member
 *       per second. Skipped when {@code BENCH_RATE} gives the rate.</li>
 *   <li>The soak: half that rate (or {@code BENCH_RATE}), open loop, for {@code BENCH_SECONDS}
 *       (1,800). Every {@code BENCH_SAMPLE_SECONDS} (30) a table row: the interval's stored
 *       messages/s and delivery p99, connections still open, consumer lag, and per service heap
 *       after GC, resident set, open files and threads ({@link ServiceSampler}; {@code
 *       BENCH_FORCE_GC=0} leaves the collections to the JVMs).</li>
 *   <li>A verdict per series on its slope after the first 20 % ({@link SlopeVerdict},
 *       {@link SoakMetric} states the allowances), and the series as JSON and a PNG under
 *       {@code benchmarks/results/}.</li>
 * </ol>
 */
public final class SoakLoad {

    private static final int WARM_UP_SECONDS = 10;
    /** The share of the soak left out of the slopes: caches filling, JIT, pools reaching their size. */
    private static final double WARM_UP_SHARE = 0.2;
    /** User tokens last an hour by default and this load does not refresh them; setup needs some minutes. */
    private static final int LONGEST_RUN_SECONDS = 3_000;
    private static final Duration STALL = Duration.ofSeconds(30);

    private SoakLoad() {
    }

    public static void main(String[] args) throws Exception {
        int userCount = BenchSettings.integer("BENCH_USERS", 1_000);
        int groupSize = BenchSettings.integer("BENCH_GROUP_SIZE", 5);
        int browserCount = BenchSettings.integer("BENCH_BROWSER_USERS", userCount / 5);
        int concurrency = BenchSettings.integer("BENCH_CONCURRENCY", 48);
        int maxSeconds = BenchSettings.integer("BENCH_MAX_SECONDS", 60);
        int seconds = BenchSettings.integer("BENCH_SECONDS", 1_800);
        int sampleSeconds = BenchSettings.integer("BENCH_SAMPLE_SECONDS", 30);
        int fixedRate = BenchSettings.integer("BENCH_RATE", 0);
        boolean forceGc = BenchSettings.integer("BENCH_FORCE_GC", 1) != 0;
        if (maxSeconds + seconds > LONGEST_RUN_SECONDS) {
            throw new IllegalArgumentException("BENCH_MAX_SECONDS + BENCH_SECONDS may be at most " + LONGEST_RUN_SECONDS
                    + ": the users' tokens last an hour and this benchmark does not refresh them");
        }
        Instant started = Instant.now();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (BenchStack bench = BenchStack.start(); ConsumerLag lag = new ConsumerLag(bench.stack().kafkaBootstrapServers())) {
            SwitchboardClient client = bench.client();
            SwitchboardClient.App app = bench.createApp("soak benchmark");
            String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                    "messages:write");
            UserGroups audience = UserGroups.provision(client, appToken, userCount, groupSize);
            SoakTraffic traffic = new SoakTraffic(audience.groups(), groupSize,
                    new MessageSender(bench.stack().url(StackService.MESSAGE),
                            new AppTokenSource(client, app, "messages:write")));
            try (ConnectedUsers connected = ConnectedUsers.connect(client, bench.stack().url(StackService.PUSH),
                    audience.tokens(), browserCount, traffic::onFrame)) {
                audience.createGroups(client, appToken);
                int joined = connected.awaitJoined(audience.members(), STALL);
                System.out.printf(Locale.ROOT, "soak: %,d users each with a push connection (%,d as browsers), in %,d "
                                + "groups of %d (%,d told they joined); services on PostgreSQL %s; Kafka, Apicurio, 4 "
                                + "services and this load generator on %d cores; load average before start %.1f%n",
                        userCount, connected.browserCount(), audience.groups().size(), groupSize, joined,
                        BenchStack.databaseDescription(), Runtime.getRuntime().availableProcessors(), loadBefore);
                Double maximum = fixedRate > 0 ? null : measureMaximum(bench, traffic, concurrency, maxSeconds);
                double rate = fixedRate > 0 ? fixedRate : Math.max(1, maximum / 2);
                List<SoakSample> samples = soak(bench, traffic, connected, lag, new ServiceSampler(bench, forceGc), rate,
                        seconds, sampleSeconds);
                int dropped = (int) Math.ceil(samples.size() * WARM_UP_SHARE);
                double warmUpEnd = samples.size() > dropped ? samples.get(dropped).elapsedSeconds() : seconds;
                SoakReport report = new SoakReport(new SoakReport.Run(started.toString(),
                        Runtime.getRuntime().availableProcessors(), userCount, groupSize, connected.browserCount(),
                        maximum, rate, seconds, sampleSeconds, forceGc, warmUpEnd), samples);
                System.out.println(report.verdicts());
                List<Path> files = report.write(Path.of(System.getProperty("switchboard.project.dir", "."))
                        .resolve("benchmarks").resolve("results"), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC).format(started));
                System.out.printf(Locale.ROOT, "%,d of %,d connections still open; series and verdicts: %s%n",
                        connected.open(), userCount, files);
            }
        }
    }

    /** After a warm-up, the messages/s delivered to every member with {@code concurrency} requests in flight. */
    private static double measureMaximum(BenchStack bench, SoakTraffic traffic, int concurrency, int seconds)
            throws InterruptedException {
        double warmUp = traffic.closedLoop(concurrency, WARM_UP_SECONDS);
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        double maximum = traffic.closedLoop(concurrency, seconds);
        System.out.printf(Locale.ROOT, "maximum: %,.0f msg/s stored, published and delivered to every member, with %d "
                        + "requests in flight for %d s (after %d s of warm-up at %,.0f msg/s)%n  %s%n",
                maximum, concurrency, seconds, WARM_UP_SECONDS, warmUp, cpu.report());
        return maximum;
    }

    /** Sends at {@code rate} for {@code seconds} and takes a sample every {@code sampleSeconds}, printing each. */
    private static List<SoakSample> soak(BenchStack bench, SoakTraffic traffic, ConnectedUsers connected,
                                         ConsumerLag lag, ServiceSampler sampler, double rate, int seconds,
                                         int sampleSeconds) throws Exception {
        System.out.printf(Locale.ROOT, "soak at %,.0f msg/s for %d s (open loop), a sample every %d s; heap after GC %s%n"
                        + "%s%n", rate, seconds, sampleSeconds, sampler.forcesGc()
                        ? "after a full collection each service is asked for (jcmd GC.run) just before the sample"
                        : "as of each JVM's own last old-generation collection", SoakTable.header(
                        Arrays.stream(StackService.values()).map(StackService::module).toList()));
        List<SoakSample> samples = new ArrayList<>();
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        traffic.nextInterval();
        long start = System.nanoTime();
        long refused = 0;
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<Long> sending = sender.submit(() -> traffic.openLoop(rate, seconds));
            for (int k = 1; (long) k * sampleSeconds <= seconds; k++) {
                long wait = start + k * sampleSeconds * 1_000_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                SoakTraffic.Interval interval = traffic.nextInterval();
                long now = System.nanoTime();
                refused += interval.refused();
                bench.stack().deadProcess().ifPresent(dead -> {
                    throw new IllegalStateException(dead.name() + " exited during the soak; its log: " + dead.logFile());
                });
                SoakSample sample = new SoakSample(k * sampleSeconds, interval.acceptedPerSecond(now),
                        interval.p99DeliveryMillis(), connected.open(), sampler.sample(), lag.byGroup());
                samples.add(sample);
                System.out.println(SoakTable.row(sample));
            }
            long maxBehind = sending.get();
            System.out.printf(Locale.ROOT, "sends started at most %.0f ms behind schedule; %,d refused or unanswered%n"
                    + "  %s%n", maxBehind / 1e6, refused + traffic.nextInterval().refused(), cpu.report());
        } finally {
            sender.shutdownNow();
        }
        return samples;
    }
}
