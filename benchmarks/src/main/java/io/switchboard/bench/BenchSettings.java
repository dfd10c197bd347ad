package io.switchboard.bench;

/** A benchmark's knobs, from environment variables ({@code BENCH_...}), each with its default. */
final class BenchSettings {

    private BenchSettings() {
    }

    static int integer(String name, int defaultValue) {
        return Integer.parseInt(System.getenv().getOrDefault(name, Integer.toString(defaultValue)).replace("_", ""));
    }
}
