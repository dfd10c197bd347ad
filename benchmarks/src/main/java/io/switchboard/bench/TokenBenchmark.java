package io.switchboard.bench;

import io.switchboard.platform.security.TokenDecoders;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code ./switchboard bench tokens}: runs {@link TokenBenchmarks} with one thread (the per-core
 * figure) and with one thread per core, and prints tokens/s for each. Target: local verification
 * of at least 20,000 tokens/s per core. As a peer, measured in the same run, it asks OpenSSL
 * ({@code openssl speed ecdsap256}, when installed) how many P-256 signatures one core verifies:
 * that bounds what any verifier of a token it has not seen before can reach on this machine.
 */
public final class TokenBenchmark {

    private static final double TARGET_PER_CORE = 20_000;

    private TokenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (int threads : new int[]{1, cores}) {
            Options options = new OptionsBuilder()
                    .include(TokenBenchmarks.class.getName())
                    .forks(1)
                    .threads(threads)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                    .jvmArgsAppend("-Xmx1g")
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult result : results) {
                String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
                rates.computeIfAbsent(name, n -> new double[2])[threads == 1 ? 0 : 1] = result.getPrimaryResult().getScore();
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Token benchmark on %d cores, %s, signature provider: %s%n", cores,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                TokenDecoders.signatureProviderName());
        System.out.printf(Locale.ROOT, "%-24s %16s %16s%n", "benchmark", "1 thread tok/s", cores + " threads tok/s");
        rates.forEach((name, r) -> System.out.printf(Locale.ROOT, "%-24s %,16.0f %,16.0f%n", name, r[0], r[1]));
        double newTokens = rates.getOrDefault("verifyNewToken", new double[2])[0];
        double knownTokens = rates.getOrDefault("verifyKnownToken", new double[2])[0];
        System.out.printf(Locale.ROOT, "verification per core: new tokens %,.0f/s (%s), known tokens %,.0f/s (%s); target %,.0f/s%n",
                newTokens, newTokens >= TARGET_PER_CORE ? "meets" : "below", knownTokens,
                knownTokens >= TARGET_PER_CORE ? "meets" : "below", TARGET_PER_CORE);
        OptionalDouble openssl = OpenSslSpeed.p256VerificationsPerSecond();
        if (openssl.isPresent()) {
            double conscrypt = rates.getOrDefault("rawSignatureConscrypt", new double[2])[0];
            System.out.printf(Locale.ROOT, "peer: openssl speed ecdsap256, 1 core: %,.0f verifications/s; "
                            + "rawSignatureConscrypt at %.0f%% of it, verifyNewToken at %.0f%%%n",
                    openssl.getAsDouble(), 100 * conscrypt / openssl.getAsDouble(), 100 * newTokens / openssl.getAsDouble());
        } else {
            System.out.println("peer: openssl not found, no OpenSSL figure in this run");
        }
    }
}
