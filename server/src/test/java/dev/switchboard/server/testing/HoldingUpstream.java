package dev.switchboard.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback OpenAI-style upstream that streams a role chunk and the token {@code "Hello"}, then holds
 * the rest ({@code " world"}, the finish, the usage, {@code [DONE]}) until the test calls
 * {@link #release()}. It proves relaying by the order of events rather than by a clock: a client that
 * releases the upstream on seeing the first token can do so only if the gateway passed that token on
 * while the upstream was still streaming. A gateway that held chunks back either leaves the upstream
 * waiting until {@link #HOLD_LIMIT}, and {@link #releasedByTheTest()} then says false, or gives up on
 * it first (an idle timeout), and then the second token never reaches the client: a test asserts both.
 *
 * <p>One held stream per instance: requests after the release are streamed without a pause.
 * Thread-safe.
 */
public final class HoldingUpstream implements AutoCloseable {
    /** Reached only when the gateway fails to relay; a passing test never waits for it. */
    public static final Duration HOLD_LIMIT = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Boolean> released = new CompletableFuture<>();
    private final HttpServer server;

    private HoldingUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::stream);
        server.start();
    }

    public static HoldingUpstream start() {
        try {
            return new HoldingUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as a provider's {@code base_url}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Lets the held stream go on. */
    public void release() {
        release.countDown();
    }

    /**
     * Waits for the hold to end and says how: true when {@link #release()} ended it, false when the hold
     * limit did.
     */
    public boolean releasedByTheTest() throws InterruptedException, ExecutionException, TimeoutException {
        return released.get(HOLD_LIMIT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    /** Whether an SSE line is a chunk that carries text content. */
    public static boolean isContent(String line) {
        return line.startsWith("data: {")
                && !GatewayHarness.json(line.substring(6))
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText("")
                        .isEmpty();
    }

    private void stream(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
            send(out, chunk("{\"content\":\"Hello\"}", "null"));
            released.complete(release.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS));
            send(out, chunk("{\"content\":\" world\"}", "null"));
            send(out, chunk("{}", "\"stop\""));
            send(
                    out,
                    "{\"id\":\"chatcmpl-held\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\","
                            + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
            send(out, "[DONE]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            released.complete(false);
        }
    }

    /** One SSE event, flushed at once so that it leaves as its own chunk. */
    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-held\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"extra-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
