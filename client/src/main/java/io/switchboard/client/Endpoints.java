package io.switchboard.client;

/**
 * Where a running Switchboard listens.
 *
 * @param auth             auth-service base URL
 * @param membership       membership-service base URL
 * @param message          message-service base URL
 * @param push             push-service base URL (http)
 * @param kafka            Kafka bootstrap servers
 * @param registryApi      Apicurio Registry's v3 API, for the serde
 */
public record Endpoints(String auth, String membership, String message, String push, String kafka,
                        String registryApi) {

    /** The local stack's default ports. */
    public static Endpoints localDefaults() {
        return new Endpoints("http://127.0.0.1:8081", "http://127.0.0.1:8082", "http://127.0.0.1:8083",
                "http://127.0.0.1:8084", "127.0.0.1:9092", "http://127.0.0.1:8080/apis/registry/v3");
    }

    /**
     * push-service's WebSocket. A client that can send headers gives its token in the handshake's
     * {@code Authorization} header ({@link PushConnection#open}); a browser opens it with
     * {@code ?ticket=} ({@link SwitchboardClient#webSocketTicket}). No token ever goes into the URL.
     */
    public String pushWebSocket() {
        return push.replaceFirst("^http", "ws") + "/v1/ws";
    }
}
