package io.switchboard.push;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent ids a stage has handled, to drop a record seen again: Kafka delivers at least
 * once, and message-service's outbox republishes after a crash. Bounded (oldest forgotten first),
 * so it catches the duplicates that follow a crash or rebalance closely; clients still drop what
 * they already have by conversation and seq.
 */
public final class RecentIds {

    private final Map<String, Boolean> ids;

    public RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(capacity, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String id) {
        return ids.containsKey(id);
    }

    /** Records {@code id}; returns false if it was seen before. */
    public synchronized boolean firstTime(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
