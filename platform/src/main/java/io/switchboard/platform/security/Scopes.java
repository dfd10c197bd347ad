package io.switchboard.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every scope a Switchboard token can carry. Endpoints declare the one they need with
 * {@code @PreAuthorize("hasAuthority('SCOPE_<scope>')")}; Spring Security maps the token's
 * {@code scope} claim to {@code SCOPE_}-prefixed authorities.
 */
public final class Scopes {

    /** App tokens: mint user tokens for the app's users. */
    public static final String USER_TOKENS_MINT = "user-tokens:mint";
    /** Provision users: create, change, deactivate, import. */
    public static final String USERS_WRITE = "users:write";
    /** Read and search users. */
    public static final String USERS_READ = "users:read";
    /** Create and change conversations and their members. */
    public static final String CONVERSATIONS_WRITE = "conversations:write";
    /** Read conversations and their members. */
    public static final String CONVERSATIONS_READ = "conversations:read";
    /** Read message history. */
    public static final String MESSAGES_READ = "messages:read";
    /** Send messages. */
    public static final String MESSAGES_WRITE = "messages:write";
    /** App tokens: manage the app's message settings (encryption keys, retention). */
    public static final String MESSAGES_ADMIN = "messages:admin";
    /** App tokens: manage the app's routing rules and dry-run events against them. */
    public static final String ROUTING_ADMIN = "routing:admin";
    /**
     * App tokens: publish business events over HTTP ({@code POST /v1/events}) onto
     * {@code integration.events}, for upstream systems that cannot produce to Kafka.
     */
    public static final String EVENTS_INGEST = "events:ingest";
    /**
     * App tokens: manage the app's webhook endpoints (register, change, rotate secrets), read their
     * delivery log and replay failed deliveries.
     */
    public static final String WEBHOOKS_ADMIN = "webhooks:admin";
    /**
     * App tokens: issue, list and revoke the app's Kafka credentials, with which its upstream
     * producers write the app's own topics.
     */
    public static final String KAFKA_CREDENTIALS_ADMIN = "kafka-credentials:admin";
    /**
     * User tokens: open a push (WebSocket) connection. An app holds it only to grant it: the push
     * gateway takes user tokens alone.
     */
    public static final String PUSH_CONNECT = "push:connect";

    /**
     * What an app's grant may hold, and so what an app token may carry. A user token carries at most
     * what its app's grant holds.
     */
    public static final List<String> ALL = List.of(USER_TOKENS_MINT, USERS_WRITE, USERS_READ, CONVERSATIONS_WRITE,
            CONVERSATIONS_READ, MESSAGES_READ, MESSAGES_WRITE, MESSAGES_ADMIN, ROUTING_ADMIN, EVENTS_INGEST, WEBHOOKS_ADMIN,
            KAFKA_CREDENTIALS_ADMIN, PUSH_CONNECT);

    /** What an app may request (and grant its users) when nothing narrower is configured for it. */
    public static final List<String> APP_DEFAULT = ALL;

    /** The scopes a user token may carry at all (of those its app's grant holds). */
    public static final List<String> USER = List.of(CONVERSATIONS_READ, MESSAGES_READ, MESSAGES_WRITE, PUSH_CONNECT);

    /** What a user token carries when its minting request names no scopes (of those its app's grant holds). */
    public static final List<String> USER_DEFAULT = USER;

    /**
     * The service whose endpoints take each scope: a token is meant for ({@code aud}) the services
     * of its scopes, and each service accepts only tokens meant for it. A push token is also meant
     * for message-service, where push-service reads the user's history with it.
     */
    private static final Map<String, String> SERVICE_OF = Map.ofEntries(
            Map.entry(USER_TOKENS_MINT, "auth-service"), Map.entry(KAFKA_CREDENTIALS_ADMIN, "auth-service"),
            Map.entry(USERS_WRITE, "membership-service"), Map.entry(USERS_READ, "membership-service"),
            Map.entry(CONVERSATIONS_WRITE, "membership-service"), Map.entry(CONVERSATIONS_READ, "membership-service"),
            Map.entry(MESSAGES_READ, "message-service"), Map.entry(MESSAGES_WRITE, "message-service"),
            Map.entry(MESSAGES_ADMIN, "message-service"), Map.entry(ROUTING_ADMIN, "message-service"),
            Map.entry(EVENTS_INGEST, "message-service"),
            Map.entry(WEBHOOKS_ADMIN, "push-service"), Map.entry(PUSH_CONNECT, "push-service"));

    private Scopes() {
    }

    /** The services a token with these scopes is meant for, in a stable order. */
    public static List<String> audiences(Collection<String> scopes) {
        return scopes.stream().map(SERVICE_OF::get).filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** The authority Spring Security derives from a scope. */
    public static String authority(String scope) {
        return "SCOPE_" + scope;
    }
}
