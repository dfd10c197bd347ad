package io.switchboard.push.gateway;

import io.switchboard.push.PushProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Joins the parts of a client's text message. Each session reads client frames through a small
 * buffer ({@code client-frame-buffer-chars}, 1,024 characters), since a gateway holds 100,000
 * sessions and nearly every client frame is small; Tomcat hands a longer message over in parts of
 * that size (the handler {@linkplain PushSocketHandler#supportsPartialMessages() takes partial
 * messages}), and only those are copied here until the last part comes. A message over
 * {@code client-message-max-chars} ends the session with 1009; a message that would take the
 * parts held by all sessions together over {@code client-message-assembly-budget-chars} ends it
 * with 1013 (try again later), so that many large messages at once cannot exhaust the heap.
 * <p>Tomcat delivers one session's parts one at a time, in order; different sessions' in parallel.
 */
@Component
class ClientMessages {

    /** A part that cannot be taken: the session is to be closed with {@link #status()}. */
    static final class Refused extends Exception {
        private final transient CloseStatus status;

        Refused(CloseStatus status) {
            super(status.getReason(), null, false, false);
            this.status = status;
        }

        CloseStatus status() {
            return status;
        }
    }

    private final int maxChars;
    private final long budgetChars;
    private final CloseStatus tooBig;
    private final CloseStatus overBudget;
    /** The first parts of the messages being joined, by session; empty nearly always. */
    private final Map<String, StringBuilder> joining = new ConcurrentHashMap<>();
    /** Characters held in {@link #joining}, over all sessions. */
    private final AtomicLong heldChars = new AtomicLong();

    @Autowired
    ClientMessages(PushProperties properties) {
        this(properties.clientMessageMaxChars(), properties.clientMessageAssemblyBudgetChars());
    }

    ClientMessages(int maxChars, long budgetChars) {
        this.maxChars = maxChars;
        this.budgetChars = budgetChars;
        this.tooBig = CloseStatus.TOO_BIG_TO_PROCESS.withReason("message too big: at most " + maxChars + " characters");
        this.overBudget = CloseStatus.SERVICE_OVERLOAD.withReason("server busy: reconnect later and resume");
    }

    /**
     * Takes one part of a session's message; returns the whole message once {@code last} part
     * came, or null while more parts are to come.
     *
     * @throws Refused when the message is larger than allowed, or the gateway holds as many parts
     *                 of messages as it may; what the session sent of it so far is dropped
     */
    String add(String sessionId, String part, boolean last) throws Refused {
        StringBuilder first = joining.get(sessionId);
        if (first == null && last) {
            if (part.length() > maxChars) {
                throw new Refused(tooBig);
            }
            return part;   // a whole message: nothing to join, nothing to copy
        }
        int held = first == null ? 0 : first.length();
        if ((long) held + part.length() > maxChars) {
            discard(sessionId);
            throw new Refused(tooBig);
        }
        if (last) {
            joining.remove(sessionId);
            heldChars.addAndGet(-held);
            return first.append(part).toString();
        }
        if (heldChars.addAndGet(part.length()) > budgetChars) {
            heldChars.addAndGet(-part.length());
            discard(sessionId);
            throw new Refused(overBudget);
        }
        joining.computeIfAbsent(sessionId, id -> new StringBuilder()).append(part);
        return null;
    }

    /** Drops what a session sent of a message it did not finish (it closed, or was refused). */
    void discard(String sessionId) {
        StringBuilder first = joining.remove(sessionId);
        if (first != null) {
            heldChars.addAndGet(-first.length());
        }
    }

    /** Characters of unfinished messages held now, over all sessions. */
    long heldChars() {
        return heldChars.get();
    }
}
