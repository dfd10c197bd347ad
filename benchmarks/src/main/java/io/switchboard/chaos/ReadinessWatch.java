package io.switchboard.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads every instance's readiness probe once a second, as the balancer and Kubernetes do, and
 * keeps each change (DOWN: anything but 200, a refused connection included) with its time.
 */
final class ReadinessWatch implements AutoCloseable {

    /**
     * An instance's readiness changed at {@code at} (epoch milliseconds); when it went DOWN, which
     * of its checks were not UP ("no answer in 3 s" when the probe timed out, "connection refused" when nothing listened).
     */
    record Change(String instance, boolean ready, long at, String why) {
    }

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ChaosStack.Instance> instances;
    private final Map<String, Boolean> current = new ConcurrentHashMap<>();
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("readiness-watch").factory());

    ReadinessWatch(List<ChaosStack.Instance> instances) {
        this.instances = instances;
        instances.forEach(instance -> current.put(instance.name(), true));
        timer.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        for (ChaosStack.Instance instance : instances) {
            Thread.startVirtualThread(() -> {
                Probe probe = probe(instance);
                long at = System.currentTimeMillis();
                Boolean before = current.put(instance.name(), probe.ready());
                if (before == null || before != probe.ready()) {
                    changes.add(new Change(instance.name(), probe.ready(), at, probe.why()));
                }
            });
        }
    }

    private record Probe(boolean ready, String why) {
    }

    /** Reads the readiness probe with its details: the checks that are not UP say why it is DOWN. */
    private Probe probe(ChaosStack.Instance instance) {
        if (instance.process() == null) {
            return new Probe(false, "not started");
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(instance.process().managementUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return new Probe(true, "");
            }
            JsonNode components = JSON.readTree(response.body()).path("components");
            List<String> down = new ArrayList<>();
            components.properties().forEach(component -> {
                String status = component.getValue().path("status").asString();
                if (!"UP".equals(status)) {
                    down.add(component.getKey() + " " + status);
                }
            });
            return new Probe(false, String.join(", ", down));
        } catch (java.net.http.HttpTimeoutException e) {
            return new Probe(false, "no answer in 3 s");
        } catch (java.net.ConnectException e) {
            return new Probe(false, "connection refused");
        } catch (java.io.IOException | RuntimeException e) {
            return new Probe(false, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(false, "no answer in 3 s");
        }
    }

    /** The changes between two instants (epoch milliseconds), in order. */
    List<Change> between(long from, long to) {
        return changes.stream().filter(change -> change.at() >= from && change.at() < to).toList();
    }

    boolean allReady() {
        return current.values().stream().allMatch(Boolean::booleanValue);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
