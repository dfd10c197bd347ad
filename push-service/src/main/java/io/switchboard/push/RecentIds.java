package io.switchboard.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;

/**
 * The ids a stage has handled lately, to drop a record seen again: Kafka delivers at least once
 * (a rebalance replays what was processed but not yet committed) and message-service's outbox
 * republishes what it published just before a crash. Such copies follow the first within seconds
 * to minutes, so an id is kept for a time window rather than a number of ids: a count would cover
 * minutes at peak traffic and hold memory for hours when it is quiet. Older copies, and copies that
 * reach another gateway, are dropped by the clients by conversation and {@code seq}.
 */
public final class RecentIds {

    /** At most this many ids, whatever the rate, so a burst cannot take the heap (~150 bytes each). */
    static final long MAXIMUM_IDS = 500_000;

    private final Cache<String, Boolean> ids;

    public RecentIds(Duration window) {
        this(window, Ticker.systemTicker());
    }

    RecentIds(Duration window, Ticker ticker) {
        this.ids = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAXIMUM_IDS).ticker(ticker)
                .executor(Runnable::run).build();
    }

    public boolean contains(String id) {
        return ids.getIfPresent(id) != null;
    }

    /** Records {@code id}; returns false if it was seen within the window. */
    public boolean firstTime(String id) {
        return ids.asMap().putIfAbsent(id, Boolean.TRUE) == null;
    }

    /** How many ids are held now, expired ones removed first. */
    long size() {
        ids.cleanUp();
        return ids.estimatedSize();
    }
}
