package io.switchboard.push;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * push-service settings.
 *
 * @param gatewayOrdinal     this instance's gateway number, which is also the partition of
 *                           {@code push.deliveries} it reads (a StatefulSet ordinal on Kubernetes)
 * @param presenceWait       how long a new session waits until the fanout stage has seen its
 *                           presence, before it is told it is ready
 * @param sessionBufferBytes bytes queued for one slow session before it is disconnected
 * @param sendTimeLimit      longest a single send to a session may block before it is disconnected
 * @param readReceiptFanoutLimit a member's read position is pushed to every member of conversations
 *                           with at most this many members; in larger ones only to the reader's own
 *                           devices (others ask for receipts), so reads in a 10,000-member group do
 *                           not become 10,000 frames each
 * @param heartbeatInterval  how often each session gets a WebSocket ping (browsers answer it with a
 *                           pong by themselves)
 * @param heartbeatTimeout   a session the client sent nothing on (no pong, no frame) for this long
 *                           is closed with 4408; dead connections are gone within this plus one
 *                           liveness sweep
 * @param expiryWarning      how long before its token expires a session is told {@code auth.expiring}
 * @param livenessSweep      how often the sessions are checked for pings due, silence and expiry
 * @param resumeWait         how long live frames are held for a session whose handshake announced a
 *                           resume ({@code resume=true}) before the client sent it
 * @param messageServiceUrl  message-service's base URL, where resumes and gap fetches read history
 * @param messageServiceTimeout connect and read timeout of each history request
 * @param historyConcurrency how many history requests this gateway has in flight at most; a resume or
 *                           fetch that finds no slot within a second answers {@code resume-unavailable}
 *                           ({@code fetch-unavailable}) and the client tries again later, so a burst of
 *                           resumes (every client of a gateway that restarted) is served at the pace
 *                           message-service keeps up with instead of timing out all at once
 * @param presenceSubscriptionLimit how many users' presence one session may watch
 * @param gatewayHeartbeat   how often this gateway announces on {@code push.gateways} that it is alive,
 *                           and how often it looks for gateways that are gone
 * @param gatewayExpiry      a gateway from which no heartbeat arrived for this long is gone (a crash):
 *                           its sessions are removed from presence, so nothing is fanned out to it any
 *                           more. Announced in each heartbeat, so the others use the gateway's own
 *                           value. At least twice {@code gatewayHeartbeat}
 * @param socketBufferBytes  Tomcat's read buffer and write buffer of each connection; a read or write
 *                           larger than this takes several system calls, and idle connections hold
 *                           both (Tomcat's default, 8 KiB each, is most of an idle connection's heap)
 * @param frameBufferBytes   Tomcat's WebSocket input, output and text-encoding buffers of each session
 *                           (its JVM-wide {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE},
 *                           set from this when the server starts); a frame the server sends that
 *                           is larger goes out in fragments, which clients join
 * @param clientFrameBufferChars the buffer each session reads client text frames through, in
 *                           characters (it holds twice this in bytes for as long as it is open):
 *                           a client message longer than this reaches the handler in parts of this
 *                           size, joined until {@code clientMessageMaxChars}. Nearly every client
 *                           frame fits (an {@code auth.refresh} with its token is ~630 characters)
 * @param clientMessageMaxChars the longest text message a client may send, in characters; a
 *                           longer one closes the session with 1009. The default fits a
 *                           {@code resume} of 10,000 conversations with ids of 128 characters
 *                           (the longest allowed), about 1.5 million characters
 * @param clientMessageAssemblyBudgetChars how many characters of unfinished client messages (the
 *                           parts of messages longer than {@code clientFrameBufferChars}) all
 *                           sessions of this gateway may hold together; a part beyond it closes
 *                           its session with 1013 (try again later), so that many large messages
 *                           at once cannot exhaust the heap
 * @param dedupeWindow       how long the fanout stage and the gateway remember an event (delivery)
 *                           they handled, to drop a copy of it: Kafka's redelivery after a rebalance
 *                           and the outbox's republish after a crash come within this (a stuck
 *                           consumer is replaced after {@code max.poll.interval.ms}, 5 minutes);
 *                           a later copy reaches clients, which drop it by {@code seq}
 * @param permessageDeflate  whether {@code permessage-deflate} is accepted when a client offers it
 *                           (browsers always do): fewer bytes per frame, but each compressing session
 *                           holds zlib's state, over 100 KiB of native memory
 */
@ConfigurationProperties("switchboard.push")
public record PushProperties(@DefaultValue("0") int gatewayOrdinal,
                             @DefaultValue("5s") Duration presenceWait,
                             @DefaultValue("524288") int sessionBufferBytes,
                             @DefaultValue("10s") Duration sendTimeLimit,
                             @DefaultValue("100") int readReceiptFanoutLimit,
                             @DefaultValue("25s") Duration heartbeatInterval,
                             @DefaultValue("60s") Duration heartbeatTimeout,
                             @DefaultValue("60s") Duration expiryWarning,
                             @DefaultValue("1s") Duration livenessSweep,
                             @DefaultValue("10s") Duration resumeWait,
                             @DefaultValue("http://localhost:8083") String messageServiceUrl,
                             @DefaultValue("5s") Duration messageServiceTimeout,
                             @DefaultValue("16") int historyConcurrency,
                             @DefaultValue("500") int presenceSubscriptionLimit,
                             @DefaultValue("5s") Duration gatewayHeartbeat,
                             @DefaultValue("30s") Duration gatewayExpiry,
                             @DefaultValue("1024") int socketBufferBytes,
                             @DefaultValue("1024") int frameBufferBytes,
                             @DefaultValue("1024") int clientFrameBufferChars,
                             @DefaultValue("2097152") int clientMessageMaxChars,
                             @DefaultValue("33554432") long clientMessageAssemblyBudgetChars,
                             @DefaultValue("10m") Duration dedupeWindow,
                             @DefaultValue("true") boolean permessageDeflate) {

    public PushProperties {
        if (gatewayExpiry.compareTo(gatewayHeartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("switchboard.push.gateway-expiry (" + gatewayExpiry
                    + ") must be at least twice switchboard.push.gateway-heartbeat (" + gatewayHeartbeat
                    + "): one late heartbeat must not make a live gateway count as gone");
        }
        if (clientMessageMaxChars < clientFrameBufferChars || clientMessageAssemblyBudgetChars < clientMessageMaxChars) {
            throw new IllegalArgumentException("switchboard.push.client-message-max-chars (" + clientMessageMaxChars
                    + ") must be at least client-frame-buffer-chars (" + clientFrameBufferChars
                    + ") and at most client-message-assembly-budget-chars (" + clientMessageAssemblyBudgetChars
                    + "): a message the buffer holds must be allowed, and one allowed must fit the budget");
        }
    }
}
