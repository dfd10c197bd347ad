package io.switchboard.push.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps one session's live chat frames in order around a replay from history (a resume or a gap
 * fetch). While a replay is answered, live frames are held; when it is done they are released,
 * except the ones whose change the replay already sent: a change reaches the client once, in
 * change order, whether it came from history or live. Held frames count against the session's
 * buffer like queued ones.
 */
final class ReplayGate {

    /** What became of a live frame. */
    enum Outcome { SENT, HELD, DUPLICATE, REFUSED }

    private record Held(String conversationId, long changeSeq, String frame) {
    }

    private final int bufferBytes;
    private final Predicate<String> writer;
    /** Per conversation, the highest change seq a replay sent: live frames up to it are duplicates. */
    private final Map<String, Long> replayedUpTo = new HashMap<>();
    private List<Held> held;
    private int heldBytes;
    private int replays;

    /** @param writer queues a frame for the client; false if the session is gone or fell behind */
    ReplayGate(int bufferBytes, Predicate<String> writer) {
        this.bufferBytes = bufferBytes;
        this.writer = writer;
    }

    /** A replay starts: live frames are held until {@link #release} for every {@code hold}. */
    synchronized void hold() {
        if (replays++ == 0) {
            held = new ArrayList<>();
            heldBytes = 0;
        }
    }

    /**
     * A live frame of a conversation ({@code changeSeq} 0 for frames that are not message changes,
     * such as read positions: they are never duplicates). {@link Outcome#REFUSED} when the session
     * is gone or this frame would hold more than its buffer: the session must then be closed.
     */
    synchronized Outcome offer(String conversationId, long changeSeq, String frame) {
        if (held != null) {
            heldBytes += frame.length();
            if (heldBytes > bufferBytes) {
                return Outcome.REFUSED;
            }
            held.add(new Held(conversationId, changeSeq, frame));
            return Outcome.HELD;
        }
        if (alreadyReplayed(conversationId, changeSeq)) {
            return Outcome.DUPLICATE;
        }
        return writer.test(frame) ? Outcome.SENT : Outcome.REFUSED;
    }

    /**
     * A replay is over: it sent changes up to {@code replayed} (per conversation). Once no replay is
     * running, the held frames go out in arrival order, without those the replays already sent.
     */
    synchronized void release(Map<String, Long> replayed) {
        replayed.forEach((conversationId, changeSeq) -> replayedUpTo.merge(conversationId, changeSeq, Math::max));
        if (replays == 0 || --replays > 0) {
            return;
        }
        List<Held> frames = held;
        held = null;
        heldBytes = 0;
        for (Held frame : frames) {
            if (!alreadyReplayed(frame.conversationId(), frame.changeSeq()) && !writer.test(frame.frame())) {
                return;
            }
        }
    }

    synchronized boolean holding() {
        return held != null;
    }

    private boolean alreadyReplayed(String conversationId, long changeSeq) {
        return changeSeq > 0 && changeSeq <= replayedUpTo.getOrDefault(conversationId, 0L);
    }
}
