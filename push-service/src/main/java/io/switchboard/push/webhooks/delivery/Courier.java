package io.switchboard.push.webhooks.delivery;

import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.destinations.DestinationPolicy;
import io.switchboard.push.webhooks.destinations.DestinationRefusedException;
import io.switchboard.schemas.webhooks.WebhookSignature;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes one signed attempt: a {@code POST} of the delivery's JSON body with the
 * {@link WebhookSignature} headers, freshly timestamped. Connects only to addresses the
 * {@link DestinationPolicy} allows (checked at connect time), follows no redirect, retries
 * nothing itself (the queue does), and gives every attempt {@code request-timeout} in all: an
 * endpoint that is still sending its answer by then is cut off.
 */
class Courier implements AutoCloseable {

    private static final String USER_AGENT = "Switchboard-Webhooks/1";

    private final CloseableHttpClient http;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    /** Cuts off attempts that run past their deadline (a slowly dripping response included). */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("webhook-deadlines").daemon().factory());

    Courier(WebhookProperties properties, DestinationPolicy policy) {
        this.requestTimeout = properties.requestTimeout();
        this.maxResponseBytes = properties.maxResponseBytes();
        Timeout connect = Timeout.of(properties.connectTimeout());
        Timeout request = Timeout.of(properties.requestTimeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyDnsResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect).setSocketTimeout(request)
                                // pooled connections are re-made (and re-resolved, re-checked) now and then
                                .setTimeToLive(TimeValue.ofMinutes(5)).build())
                        .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(connect).build())
                        // the per-endpoint bulkhead bounds concurrency; endpoints sharing a host must
                        // not wait for each other's connections
                        .setMaxConnPerRoute(1_000).setMaxConnTotal(10_000)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(request).setResponseTimeout(request).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /** Sends one attempt; never throws: every failure is an outcome. */
    AttemptResult send(URI url, String deliveryId, int attempt, String eventType, byte[] body, List<String> secrets) {
        long timestamp = Instant.now().getEpochSecond();
        HttpPost post = new HttpPost(url);
        post.setHeader("Content-Type", "application/json");
        post.setHeader(WebhookSignature.ID_HEADER, deliveryId);
        post.setHeader(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp));
        post.setHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secrets, deliveryId, timestamp, body));
        post.setHeader(WebhookSignature.ATTEMPT_HEADER, String.valueOf(attempt));
        post.setHeader(WebhookSignature.EVENT_TYPE_HEADER, eventType);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        long started = System.nanoTime();
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return http.execute(post, response -> {
                int status = response.getCode();
                boolean ok = status >= 200 && status < 300;
                byte[] answer = ok ? read(response.getEntity()) : null;
                return new AttemptResult(ok ? AttemptResult.Outcome.DELIVERED : AttemptResult.Outcome.HTTP_ERROR, status,
                        since(started), ok ? null : "HTTP " + status, answer);
            });
        } catch (DestinationRefusedException e) {
            return failure(AttemptResult.Outcome.DESTINATION_REFUSED, started, e.getMessage());
        } catch (UnknownHostException e) {
            return failure(AttemptResult.Outcome.CONNECTION_FAILED, started, "unknown host " + url.getHost());
        } catch (SocketTimeoutException e) {
            return failure(AttemptResult.Outcome.TIMEOUT, started, "no answer within the timeout");
        } catch (IOException | RuntimeException e) {
            if (post.isCancelled() || e instanceof InterruptedIOException) {
                return failure(AttemptResult.Outcome.TIMEOUT, started, "no answer within " + requestTimeout.toMillis() + " ms");
            }
            return failure(AttemptResult.Outcome.CONNECTION_FAILED, started, e.getClass().getSimpleName());
        } finally {
            deadline.cancel(false);
        }
    }

    private byte[] read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        return EntityUtils.toByteArray(entity, maxResponseBytes);
    }

    private static AttemptResult failure(AttemptResult.Outcome outcome, long started, String detail) {
        return new AttemptResult(outcome, 0, since(started), detail, null);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Aborts attempts in flight and closes every connection. */
    @Override
    public void close() {
        deadlines.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }
}
