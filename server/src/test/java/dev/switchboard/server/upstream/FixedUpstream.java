package dev.switchboard.server.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A loopback OpenAI-style upstream that answers {@code POST /v1/chat/completions} with fixed bytes,
 * for bodies the simulator cannot produce: one JSON body for a non-streaming request and one SSE body
 * for a streaming one (told apart by the {@code Accept} header the adapter sends). Thread-safe.
 */
final class FixedUpstream implements AutoCloseable {
    private final HttpServer server;

    private FixedUpstream(HttpServer server) {
        this.server = server;
    }

    /**
     * @param completion the {@code application/json} body of a non-streaming answer
     * @param events     the JSON payloads of a streaming answer's events, sent as {@code data:} lines and
     *                   followed by {@code data: [DONE]}
     */
    static FixedUpstream start(String completion, String... events) {
        byte[] json = completion.getBytes(StandardCharsets.UTF_8);
        byte[] stream = sse(events).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", exchange -> answer(exchange, json, stream));
            server.start();
            return new FixedUpstream(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private static void answer(HttpExchange exchange, byte[] json, byte[] stream) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            boolean streaming = accept != null && accept.contains("text/event-stream");
            byte[] body = streaming ? stream : json;
            exchange.getResponseHeaders().set("Content-Type", streaming ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String sse(String... events) {
        StringBuilder body = new StringBuilder();
        for (String event : events) {
            body.append("data: ").append(event).append("\n\n");
        }
        return body.append("data: [DONE]\n\n").toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
