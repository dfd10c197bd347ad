package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench push-idle}: how many idle connections one push-service JVM holds on
 * this machine, and what one costs. Starts the whole system (services on PostgreSQL, Kafka, the
 * registry), mints a user token per connection, then:
 * <ol>
 *   <li>{@code BENCH_CONNECTIONS} (100,000) connections, at most {@code BENCH_CONNECTING} (200)
 *       handshaking at once, from {@code BENCH_SOURCE_ADDRESSES} (8) loopback addresses:
 *       connections/s until each has {@code session.ready}; live heap, resident and direct memory
 *       per connection, and the classes that grew most per connection;</li>
 *   <li>held idle for {@code BENCH_HOLD_SECONDS} (330): the server pings every 25 s, this client
 *       answers with pongs; every connection must still be open at the end; the memory figures
 *       again, now without the verified-token cache's entries (5 minutes);</li>
 *   <li>{@code BENCH_BROWSER_CONNECTIONS} (2,000) more opened as browsers open them (a one-use
 *       ticket in the {@code ticket} query parameter, {@code permessage-deflate} offered): the same
 *       memory figures per connection, on top.</li>
 * </ol>
 * Memory is measured from outside the push-service JVM: {@code jcmd GC.class_histogram} (a full
 * collection, then the live objects) before and after, divided by the connections. The number of
 * connections is capped by the open-files limit of either process (one descriptor per
 * connection on each side), which the command raises to the hard limit; the cap is printed.
 * {@code BENCH_HISTOGRAM_DIFF} names a file for every class's growth per connection.
 */
public final class PushIdleLoad {

    /** Descriptors each process keeps for itself (jars, Kafka clients, the database pool, logs). */
    private static final int DESCRIPTOR_RESERVE = 1_000;
    private static final Duration STALL = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int wanted = BenchSettings.integer("BENCH_CONNECTIONS", 100_000);
        int browserConnections = BenchSettings.integer("BENCH_BROWSER_CONNECTIONS", 2_000);
        int atOnce = BenchSettings.integer("BENCH_CONNECTING", 200);
        int sourceAddresses = BenchSettings.integer("BENCH_SOURCE_ADDRESSES", 8);
        int holdSeconds = BenchSettings.integer("BENCH_HOLD_SECONDS", 330);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        // 32 KiB a connection is room for the untuned gateway too, so a regression shows as a figure, not an OutOfMemoryError
        String heap = "-Xmx" + (512 + (wanted + browserConnections) / 32) + "m";
        try (BenchStack bench = BenchStack.start(List.of(heap))) {
            long pushPid = bench.pid(StackService.PUSH);
            String pushUrl = bench.stack().url(StackService.PUSH);
            long pushFiles = JvmMemory.openFilesLimit(pushPid);
            long ownFiles = JvmMemory.openFilesLimit(ProcessHandle.current().pid());
            int connections = (int) Math.max(0, Math.min(wanted,
                    Math.min(pushFiles, ownFiles) - DESCRIPTOR_RESERVE - browserConnections));
            System.out.printf(Locale.ROOT, "push-idle: push-service %s on PostgreSQL %s; Kafka, Apicurio, 4 services and "
                            + "this load generator on %d cores; load average before start %.1f; open-files limit "
                            + "push-service %,d, load generator %,d%n", heap, BenchStack.databaseDescription(),
                    Runtime.getRuntime().availableProcessors(), loadBefore, pushFiles, ownFiles);
            if (connections < wanted) {
                System.out.printf(Locale.ROOT, "capped: %,d connections instead of %,d — each is a file descriptor in "
                        + "push-service and in this process, and the hard open-files limit here is %,d (raise it, "
                        + "e.g. LimitNOFILE / ulimit -Hn as root, to measure more)%n", connections, wanted,
                        Math.min(pushFiles, ownFiles));
            }
            SwitchboardClient.App app = bench.createApp("push idle benchmark");
            String appToken = bench.client().appToken(app, "user-tokens:mint", "users:write");
            List<String> users = IntStream.range(0, connections + browserConnections + 1)
                    .mapToObj(i -> String.format(Locale.ROOT, "idle-%06d", i)).toList();
            bench.client().importUsers(appToken, users);
            long mintStart = System.nanoTime();
            List<String> tokens = UserTokens.mint(bench.client(), appToken, users);
            System.out.printf(Locale.ROOT, "%,d user tokens minted over HTTP in %.1f s (%,d characters each)%n",
                    tokens.size(), (System.nanoTime() - mintStart) / 1e9, tokens.getFirst().length());
            URI push = URI.create(pushUrl);
            InetSocketAddress server = new InetSocketAddress(push.getHost(), push.getPort());
            List<InetAddress> sources = PushSockets.loopbackSources(sourceAddresses);
            PushIdleLoad load = new PushIdleLoad(pushPid, bench.stack().managementUrl(StackService.PUSH), bench, server, sources, atOnce);
            int warmUp = Math.min(connections / 2, 2 * atOnce);
            try (PushSockets idle = load.idlePhase(tokens.subList(0, warmUp), tokens.subList(warmUp, connections),
                    tokens.getLast(), holdSeconds)) {
                if (browserConnections > 0) {
                    load.browserPhase(tokens.subList(connections, tokens.size() - 1));
                }
            }
        }
    }

    private final long pushPid;
    /** push-service's actuator, where its memory and session metrics are read. */
    private final String pushActuator;
    private final BenchStack bench;
    private final InetSocketAddress server;
    private final List<InetAddress> sources;
    private final int atOnce;

    private PushIdleLoad(long pushPid, String pushActuator, BenchStack bench, InetSocketAddress server,
                         List<InetAddress> sources, int atOnce) {
        this.pushPid = pushPid;
        this.pushActuator = pushActuator;
        this.bench = bench;
        this.server = server;
        this.sources = sources;
        this.atOnce = atOnce;
    }

    /**
     * Opens the idle connections, measures them, holds them and measures again; returns them still
     * open. A first batch of connections (twice as many as handshake at once)
     * is opened before the first measurement, so the figures per connection do not include what
     * Tomcat sets up once and keeps (cached request processors, a pool of connection objects),
     * which would weigh on a small run. The second measurement comes after the hold: a verified
     * token stays in push-service's token cache for 5 minutes after its handshake (and until the
     * cache is next written to), so a hold longer than that, then one more handshake, shows what a
     * connection costs for the rest of its life.
     */
    private PushSockets idlePhase(List<String> warmUp, List<String> tokens, String spareToken, int holdSeconds)
            throws Exception {
        PushSockets sockets = new PushSockets(server, sources, PushSockets.ClientKind.NATIVE, (connection, text, at, bytes) -> { });
        sockets.connect(warmUp, atOnce, STALL);
        JvmMemory.Snapshot before = JvmMemory.take(pushPid, pushActuator);
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        long start = System.nanoTime();
        int ready = sockets.connect(tokens, atOnce, STALL);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "connect: %,d of %,d connections ready (session.ready) in %.1f s -> %,.0f "
                        + "connections/s, %d handshaking at once, from %d source addresses (after %,d warm-up "
                        + "connections)%s%n", ready, tokens.size(), seconds, ready / seconds, atOnce, sources.size(),
                warmUp.size(), failures(sockets));
        System.out.println("  " + cpu.report());
        JvmMemory.Snapshot after = JvmMemory.take(pushPid, pushActuator);
        printMemory("  right after connecting", before, after, ready);
        if (ready > 0) {
            System.out.println("  grew most, per connection (bytes, instances): "
                    + JvmMemory.largestGrowth(before, after, ready, 40));
        }
        CpuUsage idleCpu = CpuUsage.start(bench.stack().processes());
        Thread.sleep(holdSeconds * 1000L);
        System.out.printf(Locale.ROOT, "held %d s: %,d connections still open (push-service counts %,.0f sessions), "
                        + "%,d closed by the server, %,d pings answered with pongs%n  %s%n", holdSeconds,
                sockets.open(), PrometheusMetrics.value(pushActuator, "switchboard_push_sessions", ""),
                sockets.closedByServer(), sockets.pongs(), idleCpu.report());
        // the token cache drops expired entries when it is next written to: one more handshake does that
        sockets.connect(List.of(spareToken), 1, STALL);
        Thread.sleep(2000);
        JvmMemory.Snapshot held = JvmMemory.take(pushPid, pushActuator);
        printMemory("  after the hold", before, held, ready);
        if (ready > 0) {
            System.out.println("  grew most, per connection (bytes, instances): "
                    + JvmMemory.largestGrowth(before, held, ready, 40));
            String histogramFile = System.getenv("BENCH_HISTOGRAM_DIFF");
            if (histogramFile != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(histogramFile),
                        JvmMemory.largestGrowth(before, held, ready, Integer.MAX_VALUE).replace(", ", "\n"));
            }
        }
        return sockets;
    }

    /**
     * More connections, as browsers open them (a one-use ticket in the query, permessage-deflate
     * offered): what each costs on top.
     */
    private void browserPhase(List<String> tokens) throws Exception {
        JvmMemory.Snapshot before = JvmMemory.take(pushPid, pushActuator);
        try (PushSockets sockets = new PushSockets(server, sources, PushSockets.ClientKind.BROWSER, (connection, text, at, bytes) -> { })) {
            List<String> tickets = UserTokens.tickets(bench.client(), tokens);
            long start = System.nanoTime();
            int ready = sockets.connect(tickets, atOnce, STALL);
            double seconds = (System.nanoTime() - start) / 1e9;
            JvmMemory.Snapshot after = JvmMemory.take(pushPid, pushActuator);
            System.out.printf(Locale.ROOT, "browser-like (ticket in the query, permessage-deflate offered): %,d of %,d "
                    + "more connections ready in %.1f s, deflate accepted on %,d%s%n", ready, tokens.size(), seconds,
                    sockets.deflateAccepted(), failures(sockets));
            printMemory("  browser-like", before, after, ready);
            System.out.println("  grew most, per connection (bytes, instances): "
                    + JvmMemory.largestGrowth(before, after, Math.max(1, ready), 15));
        }
    }

    private static void printMemory(String label, JvmMemory.Snapshot before, JvmMemory.Snapshot after, int connections) {
        if (connections == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%s: live heap %,.0f -> %,.0f MiB = %,.1f KiB per connection; resident %,.0f -> "
                        + "%,.0f MiB = %,.1f KiB per connection; direct buffers %,.1f -> %,.1f MiB%n", label,
                mib(before.liveHeapBytes()), mib(after.liveHeapBytes()),
                (after.liveHeapBytes() - before.liveHeapBytes()) / 1024.0 / connections,
                mib(before.residentBytes()), mib(after.residentBytes()),
                (after.residentBytes() - before.residentBytes()) / 1024.0 / connections,
                mib(before.directBytes()), mib(after.directBytes()));
    }

    static String failures(PushSockets sockets) {
        if (sockets.failures().isEmpty()) {
            return "";
        }
        return "; failed: " + sockets.failures().entrySet().stream()
                .map(e -> e.getValue().get() + "× " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
