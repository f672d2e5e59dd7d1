package dev.switchboard.simulator;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.tls.Tls;
import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A simulated OpenAI-compatible upstream: a test instrument, not a model. It speaks the OpenAI
 * chat-completions wire format exactly, with obviously synthetic content, so the gateway's tests
 * and benchmarks have an upstream they control, and a fresh install without provider
 * credentials has something to chat with. Every response carries {@code X-Simulator: switchboard}
 * and {@code "system_fingerprint":"fp_simulator"}.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: any model name; streaming and non-streaming; tool
 *       calls when {@code tool_choice} is {@code "required"} or names a function.</li>
 *   <li>{@code POST /v1/messages}: Anthropic's Messages API, streaming and not, with thinking,
 *       tool use, cache usage and Anthropic's error bodies; see {@link AnthropicMessagesHandler}.</li>
 *   <li>{@code GET /v1/models}: {@code sim-small}, {@code sim-large}, {@code sim-reasoning}.</li>
 * </ul>
 *
 * <h2>Answers</h2>
 * Words from a fixed list, one word per completion token, chosen by the seed mixed with a hash
 * of the messages: equal requests get equal answers. The length is {@code output_tokens} unless
 * {@code max_completion_tokens} (else {@code max_tokens}) is smaller, which finishes with
 * {@code length}. Prompt tokens are the characters of all message text / 4, rounded up, at least
 * 1. Models whose name contains {@code reasoning} bill 8 hidden reasoning tokens.
 *
 * <h2>Per-request controls</h2>
 * A test steers each request with a {@code "simulator"} object in the body (the gateway forwards
 * unknown fields) or {@code X-Sim-*} headers; <b>the body wins</b> where both name a control.
 * <table>
 *   <caption>Controls</caption>
 *   <tr><th>body key</th><th>header</th><th>meaning</th></tr>
 *   <tr><td>ttft_ms</td><td>X-Sim-Ttft-Ms</td><td>delay before the first response byte</td></tr>
 *   <tr><td>tokens_per_second</td><td>X-Sim-Tokens-Per-Second</td><td>stream pacing, 0 = unlimited</td></tr>
 *   <tr><td>output_tokens</td><td>X-Sim-Output-Tokens</td><td>answer length before caps</td></tr>
 *   <tr><td>seed</td><td>X-Sim-Seed</td><td>replaces the simulator seed</td></tr>
 *   <tr><td>tool_call</td><td>X-Sim-Tool-Call</td><td>call the first tool even if not forced</td></tr>
 *   <tr><td>reasoning_tokens</td><td>X-Sim-Reasoning-Tokens</td><td>hidden reasoning tokens to bill</td></tr>
 *   <tr><td>fault</td><td>X-Sim-Fault</td><td>{@code status}, {@code hang_before_headers},
 *       {@code reset_mid_stream}, {@code malformed_chunk}, {@code stall_mid_stream},
 *       {@code empty_body}</td></tr>
 *   <tr><td>status</td><td>X-Sim-Status</td><td>status for {@code fault=status} (400..599, default 500)</td></tr>
 *   <tr><td>retry_after</td><td>X-Sim-Retry-After</td><td>{@code Retry-After} seconds for {@code fault=status}</td></tr>
 *   <tr><td>fault_after_tokens</td><td>X-Sim-Fault-After-Tokens</td><td>token chunks before a mid-stream fault (default 3)</td></tr>
 *   <tr><td>hang_ms</td><td>X-Sim-Hang-Ms</td><td>length of a hang or stall (default 10 minutes)</td></tr>
 * </table>
 * An invalid control value is answered with a 400 naming it.
 *
 * <h2>Faults on the wire</h2>
 * <ul>
 *   <li>{@code status}: that status, {@code Content-Type: application/json}, body
 *       {@code {"error":{"message":"Simulated HTTP 429 …","type":…,"param":null,"code":…}}} (type
 *       {@code requests} and code {@code rate_limit_exceeded} for 429, {@code server_error} for 5xx, otherwise
 *       {@code invalid_request_error}; code {@code invalid_api_key} for 401), plus
 *       {@code Retry-After} when {@code retry_after} is given.</li>
 *   <li>{@code hang_before_headers}: nothing at all until {@code hang_ms} passes (or the simulator
 *       closes), then the connection is closed: the client sees an empty reply. A client that
 *       gives up earlier is not noticed before then, as HTTP/1.1 offers nothing to write.</li>
 *   <li>{@code reset_mid_stream}: status 200, headers, the role chunk and
 *       {@code fault_after_tokens} token chunks (chunked encoding), then at the time the next
 *       token was due the connection closes without the terminating zero-length chunk: no finish
 *       chunk, no {@code [DONE]}; clients report a truncated body (curl exit 18, an
 *       {@code IOException} from the JDK client). Non-streaming: {@code Content-Length} of the
 *       whole body, half of it, then the close.</li>
 *   <li>{@code malformed_chunk}: after {@code fault_after_tokens} token chunks one event
 *       <code>data: &#123;this is not json</code>, then the stream continues normally to {@code [DONE]}.
 *       Non-streaming: 200 with body <code>&#123;this is not json</code>.</li>
 *   <li>{@code stall_mid_stream}: after {@code fault_after_tokens} token chunks, silence on the
 *       open connection for {@code hang_ms}, then the stream continues normally. Non-streaming:
 *       half the body, the silence, the rest.</li>
 *   <li>{@code empty_body}: 200, {@code Content-Length: 0}, with the content type the request
 *       would have had.</li>
 * </ul>
 * A client that disconnects mid-stream is noticed on the next failed write; the stream stops and
 * counts in {@link SimulatorStats#abortedStreams()}. During a stall that is only when it ends.
 *
 * <h2>HTTP versions</h2>
 * HTTP/1.1, and HTTP/2 on the same port: h2c with prior knowledge or by {@code Upgrade: h2c}, and
 * {@code h2} by ALPN when started with TLS. Over HTTP/2 {@code reset_mid_stream} resets that stream
 * ({@code RST_STREAM}) instead of closing the connection, which carries other streams; and a client's
 * {@code RST_STREAM} is not noticed by a stream that is still writing (Helidon drops its later frames), so
 * such a stream runs to its end and counts as completed. {@link SimulatorStats#connections()} counts
 * connections, however many streams each carried.
 *
 * <h2>Lifecycle and threading</h2>
 * {@link #start(SimulatorOptions)} binds and returns once the server accepts connections; every
 * request runs on its own virtual thread. {@link #close()} wakes every pending wait (hangs,
 * stalls, pacing), drops those connections and stops the server. Thread-safe.
 */
public final class UpstreamSimulator implements AutoCloseable {

    /** Request bodies up to this size are accepted; long contexts run to a few MB. */
    static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

    private static final Header SIMULATOR_HEADER = HeaderValues.create("X-Simulator", "switchboard");

    private final WebServer server;
    private final SimulatorOptions options;
    private final SimulatorStats stats;
    private final StopSignal stop;
    private final CredentialRefusals refusals;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean https;

    private UpstreamSimulator(
            WebServer server,
            SimulatorOptions options,
            SimulatorStats stats,
            StopSignal stop,
            CredentialRefusals refusals,
            boolean https) {
        this.refusals = refusals;
        this.https = https;
        this.server = server;
        this.options = options;
        this.stats = stats;
        this.stop = stop;
    }

    /**
     * Binds {@code options.host():options.port()} and starts serving.
     *
     * @param options start-up settings
     * @return the running simulator; close it when done
     * @throws IllegalStateException if the address cannot be bound, e.g. the port is taken
     */
    public static UpstreamSimulator start(SimulatorOptions options) {
        return startWith(options, null);
    }

    /**
     * Test instrument: like {@link #start(SimulatorOptions)}, serving HTTPS with {@code tls}; HTTP/2 is then
     * offered by ALPN ({@code h2}, else {@code http/1.1}) and {@link #baseUrl()} is an {@code https} URL.
     */
    public static UpstreamSimulator startTls(SimulatorOptions options, Tls tls) {
        return startWith(options, tls);
    }

    private static UpstreamSimulator startWith(SimulatorOptions options, @Nullable Tls tls) {
        SimulatorStats stats = new SimulatorStats();
        StopSignal stop = new StopSignal();
        CredentialRefusals refusals = new CredentialRefusals();
        ChatCompletionHandler chat =
                new ChatCompletionHandler(options, json(), stats, stop, Clock.systemUTC(), refusals);
        AnthropicMessagesHandler messages =
                new AnthropicMessagesHandler(options, json(), stats, stop, Clock.systemUTC(), refusals);
        WebServerConfig.Builder builder = WebServer.builder()
                .host(options.host())
                .port(options.port())
                .backlog(8192)
                .maxTcpConnections(-1)
                .maxConcurrentRequests(-1)
                .maxPayloadSize(MAX_BODY_BYTES)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .routing(routing -> routes(routing, chat, messages, stats));
        if (tls != null) {
            builder.tls(tls);
        }
        WebServer server = builder.build().start();
        if (server.port() < 0) { // Helidon logs a bind failure and carries on without a listener
            server.stop();
            throw new IllegalStateException(
                    "upstream simulator could not bind " + options.host() + ":" + options.port());
        }
        return new UpstreamSimulator(server, options, stats, stop, refusals, tls != null);
    }

    private static void routes(
            HttpRouting.Builder routing,
            ChatCompletionHandler chat,
            AnthropicMessagesHandler messages,
            SimulatorStats stats) {
        routing.addFilter((chain, req, res) -> {
                    stats.recordConnection(req.remotePeer().address().toString());
                    res.header(SIMULATOR_HEADER);
                    chain.proceed();
                })
                .post("/v1/chat/completions", chat)
                .post("/v1/messages", messages)
                .get("/v1/models", new ModelsHandler())
                .any((req, res) -> {
                    OpenAiError unknown = OpenAiError.unknownUrl(
                            req.prologue().method().text(), req.path().path());
                    res.status(unknown.status());
                    res.header(HeaderValues.CONTENT_TYPE_JSON);
                    res.send(unknown.toJson());
                });
    }

    /** {@return the bound port (the ephemeral one when the options asked for port 0)} */
    public int port() {
        return server.port();
    }

    /**
     * {@return the OpenAI base URL to configure a client with, e.g. {@code http://127.0.0.1:18080/v1}}
     * A wildcard bind address is reported as loopback.
     */
    public URI baseUrl() {
        String host = switch (options.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default ->
                options.host().contains(":") && !options.host().startsWith("[")
                        ? "[" + options.host() + "]"
                        : options.host();
        };
        return URI.create((https ? "https://" : "http://") + host + ":" + port() + "/v1");
    }

    /**
     * {@return the root URL, without {@code /v1}: the base URL of an Anthropic client or provider, e.g.
     * {@code http://127.0.0.1:18080}}
     */
    public URI rootUrl() {
        String base = baseUrl().toString();
        return URI.create(base.substring(0, base.length() - "/v1".length()));
    }

    /** {@return the options it was started with} */
    public SimulatorOptions options() {
        return options;
    }

    /** {@return live counters and the last request; see {@link SimulatorStats}} */
    public SimulatorStats stats() {
        return stats;
    }

    /**
     * Test instrument: from now on, chat requests that authenticate with {@code Authorization: Bearer
     * <bearerKey>} are answered with {@code status} and an OpenAI error body (code {@code invalid_api_key}
     * for 401), as a provider answers a revoked or exhausted key. Other keys are served as before.
     *
     * @param status an HTTP error status, 400..599
     */
    public void refuseCredential(String bearerKey, int status) {
        refuseCredential(bearerKey, status, Duration.ZERO);
    }

    /**
     * Test instrument: like {@link #refuseCredential(String, int)}, answering only {@code after} the request
     * arrived, so that a test can act while the refused request is under way.
     */
    public void refuseCredential(String bearerKey, int status, Duration after) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be within 400..599, was " + status);
        }
        refusals.refuse(bearerKey, status, after);
    }

    /** Test instrument: serves {@code bearerKey} again after {@link #refuseCredential}. */
    public void acceptCredential(String bearerKey) {
        refusals.accept(bearerKey);
    }

    /** Cuts every pending wait short and stops the server. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stop.fire();
            server.stop();
        }
    }

    /** Jackson with a shared buffer pool: its thread-local default allocates new buffers on every virtual thread. */
    private static ObjectMapper json() {
        ObjectMapper json = new ObjectMapper();
        json.getFactory().setRecyclerPool(JsonRecyclerPools.sharedBoundedPool());
        return json;
    }
}
