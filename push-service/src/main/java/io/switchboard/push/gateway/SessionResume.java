package io.switchboard.push.gateway;

import io.switchboard.platform.security.Scopes;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@code resume} and {@code fetch}: what the client missed comes from message-service's
 * history as ordinary message frames, in change order, while the session's live frames are held
 * ({@link ReplayGate}); then the live frames flow again without the changes already replayed. Each
 * answer runs on a virtual thread of its own: it waits for HTTP and for the client to read, and
 * must hold up neither the WebSocket container nor the gateway's consumer.
 */
@Component
class SessionResume {

    /** Changes asked for per request; the same as message-service's largest page. */
    static final int PAGE = 200;

    private final MessageHistory history;
    private final Frames frames;

    SessionResume(MessageHistory history, Frames frames) {
        this.history = history;
        this.frames = frames;
    }

    /**
     * Replays every change after the client's last change seq per conversation, announces the
     * conversations it does not know yet and ends with {@code resume.done}.
     */
    void resume(PushSession session, Map<String, Long> known) {
        session.startReplay(true);
        Thread.ofVirtual().name("push-resume-" + session.sessionId()).start(() -> {
            Map<String, Long> replayed = new HashMap<>();
            try {
                if (mayRead(session, "resume")) {
                    replayMissed(session, known, replayed);
                }
            } finally {
                session.endReplay(replayed);
            }
        });
    }

    /** Replays one conversation's changes after {@code afterChangeSeq} (a gap the client saw), then {@code fetch.done}. */
    void fetch(PushSession session, String conversationId, long afterChangeSeq) {
        session.startReplay(false);
        Thread.ofVirtual().name("push-fetch-" + session.sessionId()).start(() -> {
            Map<String, Long> replayed = new HashMap<>();
            try {
                if (mayRead(session, "fetch")) {
                    JsonNode page = history.changes(session.principal().token(), conversationId, afterChangeSeq, PAGE);
                    long last = replay(session, page.path("changes"), afterChangeSeq);
                    replayed.put(conversationId, last);
                    session.sendReplayed(frames.fetchDone(conversationId, last, page.path("hasMore").asBoolean()));
                }
            } catch (MessageHistory.Refused e) {
                session.send(e.status() == 404
                        ? frames.error("fetch-not-found", "No such conversation among the user's")
                        : frames.error("fetch-not-allowed", "message-service refused the request (" + e.status() + ")"));
            } catch (MessageHistory.Unavailable e) {
                // counted and logged by MessageHistory (per outage, not per call)
                session.send(frames.error("fetch-unavailable", "History cannot be read now; try again later"));
            } finally {
                session.endReplay(replayed);
            }
        });
    }

    private void replayMissed(PushSession session, Map<String, Long> known, Map<String, Long> replayed) {
        String token = session.principal().token();
        try {
            JsonNode news = history.sync(token, known, PAGE);
            Map<String, Long> now = new LinkedHashMap<>();
            for (JsonNode item : news.path("conversations")) {
                JsonNode conversation = item.path("conversation");
                String id = conversation.path("conversationId").asString();
                boolean isKnown = item.path("known").asBoolean();
                session.sendReplayed(frames.conversationSynced(conversation, isKnown));
                long last = conversation.path("changeSeq").asLong();
                if (isKnown) {
                    long sent = replay(session, item.path("changes"), known.get(id));
                    for (boolean more = item.path("hasMore").asBoolean(); more; ) {
                        JsonNode page = history.changes(token, id, sent, PAGE);
                        sent = replay(session, page.path("changes"), sent);
                        more = page.path("hasMore").asBoolean();
                    }
                    last = Math.max(last, sent);
                    replayed.put(id, last);
                }
                now.put(id, last);
            }
            List<String> removed = news.path("removed").valueStream().map(JsonNode::asString).toList();
            session.sendReplayed(frames.resumeDone(now, removed));
        } catch (MessageHistory.Refused e) {
            session.send(frames.error("resume-not-allowed", "message-service refused the resume (" + e.status() + ")"));
        } catch (MessageHistory.Unavailable e) {
            session.send(frames.error("resume-unavailable", "History cannot be read now; live frames flow, resume later"));
        }
    }

    /** Sends changes as replayed message frames; returns the last change seq sent ({@code after} if none). */
    private long replay(PushSession session, JsonNode changes, long after) {
        long last = after;
        for (JsonNode message : changes) {
            session.sendReplayed(frames.replayedMessage(message));
            last = Math.max(last, message.path("changeSeq").asLong());
        }
        return last;
    }

    /**
     * History is read with the session's token: it needs {@value Scopes#MESSAGES_READ} besides push;
     * if not, the client is told {@code <operation>-not-allowed}.
     */
    private boolean mayRead(PushSession session, String operation) {
        boolean may = session.principal().mayReadHistory();
        if (!may) {
            session.send(frames.error(operation + "-not-allowed",
                    "Reading history: the session's token needs scope " + Scopes.MESSAGES_READ));
        }
        return may;
    }
}
