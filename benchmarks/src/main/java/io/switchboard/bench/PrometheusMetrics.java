package io.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One value from a service's {@code /actuator/prometheus}, as an operator's dashboard would read it. */
final class PrometheusMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusMetrics() {
    }

    /**
     * The first sample of {@code metric} whose labels contain {@code labelPart} (may be empty),
     * or NaN if the service did not answer or has no such sample.
     */
    static double value(String actuatorUrl, String metric, String labelPart) {
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(actuatorUrl + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher sample = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*" + Pattern.quote(labelPart)
                    + "[^}]*})?\\s+(\\S+)", Pattern.MULTILINE).matcher(metrics.body());
            return sample.find() ? Double.parseDouble(sample.group(2)) : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
