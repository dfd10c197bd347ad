package io.switchboard.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CRM that publishes business events: {@code chaos_events.py}, Confluent's Python client, in a
 * child process. The suite writes each event it schedules to the script's input and the script
 * reports Kafka's answer; an event counts as accepted once Kafka acknowledged it (acks=all).
 */
final class EventTraffic implements AutoCloseable {

    private final Process process;
    private final Writer input;
    private final List<String> owners;
    private final Ledger ledger;
    private final Map<String, Ledger.Item> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String lastFailure;

    private EventTraffic(Process process, List<String> owners, Ledger ledger) {
        this.process = process;
        this.input = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.owners = owners;
        this.ledger = ledger;
    }

    /**
     * Starts the producer and waits until it registered the schema.
     *
     * @param owners the users events are about, one picked at random per event
     */
    static EventTraffic start(Path projectDirectory, Path logDirectory, String bootstrapServers, String confluentApiUrl,
                              String appId, List<String> owners, Ledger ledger) throws InterruptedException {
        Path script = projectDirectory.resolve("benchmarks/src/main/python/chaos_events.py");
        Path schema = projectDirectory.resolve("examples/node-producer/BusinessEvent.avsc");
        Process process;
        try {
            process = new ProcessBuilder("/usr/bin/python3", script.toString(), "--bootstrap-servers", bootstrapServers,
                    "--registry-url", confluentApiUrl, "--schema", schema.toString(), "--app-id", appId)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logDirectory.resolve("chaos-events.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the Python producer (Debian: apt-get install "
                    + "python3-confluent-kafka python3-avro)", e);
        }
        EventTraffic traffic = new EventTraffic(process, owners, ledger);
        Thread.ofPlatform().daemon().name("chaos-events-reader").start(traffic::readAnswers);
        if (!traffic.ready.await(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The Python producer did not get ready; see " + logDirectory
                    + "/chaos-events.log (it needs python3-confluent-kafka and python3-avro)");
        }
        return traffic;
    }

    /** Produces one event about a random owner, who is its one recipient. */
    void sendOne() {
        sendTo(owners.get(ThreadLocalRandom.current().nextInt(owners.size())));
    }

    /** Produces one event about {@code owner}. */
    synchronized Ledger.Item sendTo(String owner) {
        String key = "e-" + sequence.incrementAndGet();
        Ledger.Item item = ledger.sent(key, "event", List.of(owner));
        pending.put(key, item);
        try {
            input.write(key + " " + owner + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("The Python producer is gone", e);
        }
        return item;
    }

    /** Events Kafka refused or timed out (the producer gave up after retrying for five minutes). */
    long failures() {
        return failures.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Events sent and not answered yet. */
    int pending() {
        return pending.size();
    }

    private void readAnswers() {
        try (BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = answers.readLine()) != null) {
                String[] parts = line.split(" ", 3);
                switch (parts[0]) {
                    case "ready" -> ready.countDown();
                    case "acked" -> {
                        Ledger.Item item = pending.remove(parts[1]);
                        if (item != null) {
                            ledger.accepted(item);
                        }
                    }
                    case "failed" -> {
                        Ledger.Item item = pending.remove(parts[1]);
                        failures.incrementAndGet();
                        lastFailure = parts.length > 2 ? parts[2] : "";
                        if (item != null) {
                            item.refusal = "Kafka: " + lastFailure;
                        }
                    }
                    default -> System.err.println("chaos_events.py: " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Lets the producer send what it holds (up to its five minutes), then ends it. */
    @Override
    public void close() {
        try {
            input.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
