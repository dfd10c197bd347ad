package io.switchboard.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the chaos run sent and every message frame its clients received, to be checked
 * against what was stored: each item (a message sent over HTTP, or a business event produced to
 * Kafka) is identified by a key carried in the message's text ({@code "chaos <key>"}).
 */
final class Ledger {

    /** Where a message sits: its conversation and seq. Frames are deduplicated by this. */
    record Copy(String conversationId, long seq) {
    }

    /** Something the load sent and its fate on the sending side. */
    static final class Item {
        final String key;
        final String kind;
        final List<String> recipients;
        final long sentAt;
        volatile long acceptedAt;
        volatile String refusal;

        Item(String key, String kind, List<String> recipients, long sentAt) {
            this.key = key;
            this.kind = kind;
            this.recipients = recipients;
            this.sentAt = sentAt;
        }

        boolean accepted() {
            return acceptedAt > 0;
        }
    }

    /** What one user's client received of one item. */
    static final class Received {
        final Set<Copy> copies = ConcurrentHashMap.newKeySet();
        volatile long firstAt;
    }

    private final Map<String, Item> items = new ConcurrentHashMap<>();
    /** key → user → what that user's client received of it. */
    private final Map<String, Map<String, Received>> received = new ConcurrentHashMap<>();
    /** user → conversation → seq → frames that carried it (more than one: a raw duplicate). */
    private final Map<String, Map<String, Map<Long, AtomicLong>>> frames = new ConcurrentHashMap<>();
    /** user → conversation → change seqs received. */
    private final Map<String, Map<String, Set<Long>>> changeSeqs = new ConcurrentHashMap<>();

    Item sent(String key, String kind, List<String> recipients) {
        Item item = new Item(key, kind, recipients, System.currentTimeMillis());
        items.put(key, item);
        return item;
    }

    void accepted(Item item) {
        item.acceptedAt = System.currentTimeMillis();
    }

    /** A message frame reached {@code userId}'s client; {@code key} is null for a message the load did not send. */
    void delivered(String userId, String conversationId, long seq, long changeSeq, String key) {
        long now = System.currentTimeMillis();
        frames.computeIfAbsent(userId, u -> new ConcurrentHashMap<>())
                .computeIfAbsent(conversationId, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(seq, s -> new AtomicLong()).incrementAndGet();
        changeSeqs.computeIfAbsent(userId, u -> new ConcurrentHashMap<>())
                .computeIfAbsent(conversationId, c -> ConcurrentHashMap.newKeySet()).add(changeSeq);
        if (key != null) {
            Received receipt = received.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(userId, u -> new Received());
            if (receipt.copies.add(new Copy(conversationId, seq)) && receipt.firstAt == 0) {
                receipt.firstAt = now;
            }
        }
    }

    Map<String, Item> items() {
        return items;
    }

    /** What each recipient received of the item (absent: nothing). */
    Map<String, Received> received(String key) {
        return received.getOrDefault(key, Map.of());
    }

    /** Whether every recipient of the item has it. */
    boolean deliveredToAll(Item item) {
        Map<String, Received> receipts = received(item.key);
        return item.recipients.stream().allMatch(receipts::containsKey);
    }

    /** When the last recipient got the item, or 0 if one has not. */
    long deliveredAt(Item item) {
        Map<String, Received> receipts = received(item.key);
        long last = 0;
        for (String recipient : item.recipients) {
            Received receipt = receipts.get(recipient);
            if (receipt == null) {
                return 0;
            }
            last = Math.max(last, receipt.firstAt);
        }
        return last;
    }

    /** Frames received for the message at {@code copy} by the user. */
    long framesOf(String userId, Copy copy) {
        AtomicLong count = frames.getOrDefault(userId, Map.of()).getOrDefault(copy.conversationId(), Map.of())
                .get(copy.seq());
        return count == null ? 0 : count.get();
    }

    Map<String, Map<String, Set<Long>>> changeSeqs() {
        return changeSeqs;
    }
}
