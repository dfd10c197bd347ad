package io.switchboard.auth.audit;

import io.switchboard.auth.AuthProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts tokens issued and token requests refused, per app, and writes the counts to the audit
 * log every {@code usageFlushInterval} (and at shutdown): one row per app and kind, not one per
 * token, so a busy app does not flood the log, and never a token value.
 */
@Component
public class TokenUsage implements SmartLifecycle {

    /** What is counted; the audit action is the name in lower case with dashes. */
    public enum Kind { APP_TOKENS_ISSUED, USER_TOKENS_MINTED, TOKEN_REQUESTS_REFUSED }

    private final AuditLog audit;
    private final AuthProperties properties;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    TokenUsage(AuditLog audit, AuthProperties properties) {
        this.audit = audit;
        this.properties = properties;
    }

    public void count(Kind kind, String appId) {
        counts.computeIfAbsent(kind.name() + "|" + appId, k -> new LongAdder()).increment();
    }

    /** Writes and resets the counts. */
    public void flush() {
        for (String key : counts.keySet()) {
            LongAdder adder = counts.remove(key);
            long count = adder == null ? 0 : adder.sum();
            if (count > 0) {
                String[] parts = key.split("\\|", 2);
                audit.record("auth-service", parts[0].toLowerCase(java.util.Locale.ROOT).replace('_', '-'), parts[1],
                        parts[0].equals(Kind.TOKEN_REQUESTS_REFUSED.name()) ? AuditLog.Outcome.REFUSED
                                : AuditLog.Outcome.SUCCESS, "count=" + count);
            }
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("token-usage").daemon().factory());
        long period = properties.usageFlushInterval().toMillis();
        flusher.scheduleAtFixedRate(this::flushQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        flushQuietly();
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TokenUsage.class).warn("Could not write token counts: {}", e.toString());
        }
    }
}
