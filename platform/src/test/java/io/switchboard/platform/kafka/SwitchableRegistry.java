package io.switchboard.platform.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

/**
 * A schema registry outage that can be switched on and off: a proxy on loopback in front of the
 * real registry that forwards its GET requests, or answers 503 to everything while "down".
 */
final class SwitchableRegistry implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private volatile boolean down;

    /** @param target the real registry's base URL, e.g. {@code http://127.0.0.1:8080} */
    SwitchableRegistry(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The registry API URL to configure a deserializer with. */
    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/registry/v3";
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .header("Accept", exchange.getRequestHeaders().getFirst("Accept") == null ? "*/*"
                            : exchange.getRequestHeaders().getFirst("Accept")).build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
