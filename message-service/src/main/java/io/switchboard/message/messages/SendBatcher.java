package io.switchboard.message.messages;

import io.switchboard.message.MessageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Group commit for single sends: requests that arrive while a transaction is running are stored
 * together in the next one, so a busy conversation pays one lock and one commit per group instead
 * of per message. A lone request is taken at once (no waiting for company), so it adds no latency
 * when the service is quiet. Each conversation's sends go to the same worker, so a busy
 * conversation forms large groups instead of several workers queueing for its lock. If a group's
 * transaction fails as a whole (a database error), each of its messages is tried again in a
 * transaction of its own, so one bad message cannot fail others.
 */
@Component
class SendBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SendBatcher.class);

    private record Pending(Messages.Submission submission, CompletableFuture<Messages.ItemResult> result) {
    }

    private final Messages messages;
    private final int workers;
    private final int maxGroup;
    private final List<BlockingQueue<Pending>> queues;
    private volatile ExecutorService executor;

    SendBatcher(Messages messages, MessageProperties properties) {
        this.messages = messages;
        this.workers = properties.sendWorkers();
        this.maxGroup = properties.sendGroupSize();
        this.queues = Stream.<BlockingQueue<Pending>>generate(LinkedBlockingQueue::new)
                .limit(workers).toList();
    }

    /** Stores the message with the next group; completes when that group committed (or failed). */
    CompletableFuture<Messages.ItemResult> submit(Messages.Submission submission) {
        CompletableFuture<Messages.ItemResult> result = new CompletableFuture<>();
        if (executor == null) {
            result.completeExceptionally(new IllegalStateException("message-service is not running"));
            return result;
        }
        String conversation = submission.caller().appId() + "/" + submission.item().conversationId();
        queues.get(Math.floorMod(conversation.hashCode(), workers)).add(new Pending(submission, result));
        return result;
    }

    private void work(BlockingQueue<Pending> queue) {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
                queue.drainTo(group, maxGroup - 1);
                store(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            group.clear();
        }
    }

    private void store(List<Pending> group) {
        try {
            List<Messages.ItemResult> results = messages.sendAll(group.stream().map(Pending::submission).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException groupFailed) {
            if (group.size() == 1) {
                group.getFirst().result().completeExceptionally(groupFailed);
                return;
            }
            log.debug("A group of {} sends failed; storing each on its own", group.size(), groupFailed);
            for (Pending pending : group) {
                try {
                    pending.result().complete(messages.sendAll(List.of(pending.submission())).getFirst());
                } catch (RuntimeException failed) {
                    pending.result().completeExceptionally(failed);
                }
            }
        }
    }

    @Override
    public void start() {
        ExecutorService started = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("send-", 0).factory());
        for (BlockingQueue<Pending> queue : queues) {
            started.submit(() -> work(queue));
        }
        executor = started;
    }

    @Override
    public void stop() {
        ExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (BlockingQueue<Pending> queue : queues) {
            Pending left;
            while ((left = queue.poll()) != null) {
                left.result().completeExceptionally(new IllegalStateException("message-service stopped"));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
