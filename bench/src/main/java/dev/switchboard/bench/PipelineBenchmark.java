package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.CreditBook;
import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.accounting.UsageLedger;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.limits.GrantedCredits;
import dev.switchboard.core.limits.LocalRequestLimiter;
import dev.switchboard.core.limits.RequestLimiter;
import dev.switchboard.core.pipeline.Exchange;
import dev.switchboard.core.pipeline.HedgePolicy;
import dev.switchboard.core.pipeline.RequestPipeline;
import dev.switchboard.core.pipeline.ResponseSink;
import dev.switchboard.core.pipeline.RetryPolicy;
import dev.switchboard.core.provider.CredentialResolver;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutingPlanner;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.sticky.StickyRoutes;
import dev.switchboard.core.storage.GenerationStore;
import dev.switchboard.core.upstream.Ticker;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.WireFormat;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiAnswerWriter;
import dev.switchboard.provider.openai.OpenAiChatRequests;
import dev.switchboard.provider.openai.OpenAiEventStream;
import dev.switchboard.provider.sse.SseReader;
import dev.switchboard.server.chat.ChatStreamRenderer;
import dev.switchboard.server.chat.ResponseShaper;
import dev.switchboard.server.chat.SseWriter;
import dev.switchboard.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU work of one chat request through the whole {@link RequestPipeline}, sockets left out: plan,
 * reserve, one attempt whose upstream bytes are the harness mock's (decoded by the real OpenAI
 * decoder, 1,460 bytes per read), the client's bytes written by the real renderer, settle (the
 * generation record handed to the log, whose writer thread stores it nowhere).
 * <ul>
 *   <li>{@code mode=stream}: 20 chunks and a usage chunk relayed as OpenRouter SSE;
 *       {@code mode=complete}: the 780-byte completion answered as OpenRouter JSON.</li>
 *   <li>{@code lane=native}: the provider speaks the client's format, so its chunks and body are edited
 *       and sent (the pass-through lane); {@code lane=translated}: the provider is taken to speak
 *       another format, so the client's bytes are written from the canonical events.</li>
 * </ul>
 * {@link #request} returns the bytes written, so a broken path shows as a wrong size in the fixture test
 * rather than as a fast benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class PipelineBenchmark {
    static final String GENERATION_ID = "gen-1795399241-swhe2pwZg4IIgROY5GNa";
    private static final WireFormat ELSEWHERE = new WireFormat("bench.elsewhere");

    @Param({"stream", "complete"})
    String mode;

    @Param({"native", "translated"})
    String lane;

    /**
     * {@code off}: a key without limits, credits metered only (a new installation). {@code on}: credits
     * enforced over a large grant, the key with a lifetime spend limit and a requests-per-minute rate, all
     * far above what the benchmark reaches, so that the figure is the cost of the books, not of refusals.
     */
    @Param({"off", "on"})
    String books = "off";

    private final ObjectMapper json = Json.mapper();
    private final ByteArrayOutputStream client = new ByteArrayOutputStream(16 * 1024);
    private ApiKey key = new ApiKey("hash", "bench", "sk-sb-v1-...", false, false, Instant.EPOCH, Instant.EPOCH);
    private Ticker ticker;
    private GenerationLog generations;
    private RequestPipeline pipeline;
    private ObjectNode body;

    @Setup
    public void start() throws IOException {
        ticker = Ticker.start();
        generations = new GenerationLog(new NowhereStore());
        Provider provider = Provider.openAi(
                "mock",
                "Bench Mock",
                java.net.URI.create("http://127.0.0.1:18080/v1"),
                "sk-mock",
                MaxTokensField.AS_SENT);
        Endpoint endpoint = new Endpoint(
                "mock", "gpt-4o-mini", Pricing.of("0.00000015", "0.0000006"), 128_000, 0, "unknown", List.of());
        Model model = new Model(
                "bench/chat",
                "Bench",
                0,
                "",
                128_000,
                List.of("text"),
                List.of("text"),
                "Other",
                null,
                List.of(),
                List.of(endpoint));
        Catalog catalog = new Catalog(List.of(provider), List.of(model));
        TokenEstimator estimator = new TokenEstimator();
        java.time.Clock clock = java.time.Clock.systemUTC();
        MemoryCreditStore credits = new MemoryCreditStore();
        boolean booksOn = books.equals("on");
        RequestLimiter limiter = RequestLimiter.NONE;
        if (booksOn) {
            credits.append(new CreditEntry(
                    "bench-grant",
                    ApiKey.DEFAULT_WORKSPACE,
                    CreditEntry.Kind.GRANT,
                    new BigDecimal("1000000"),
                    Instant.EPOCH,
                    "bench"));
            key = new ApiKey(
                    "hash",
                    "bench",
                    "sk-sb-v1-...",
                    false,
                    false,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    ApiKey.DEFAULT_WORKSPACE,
                    new ApiKey.Spending(
                            Optional.of(new BigDecimal("1000000")), Optional.empty(), false, Optional.empty()),
                    new RateLimit(OptionalLong.of(RateLimit.MAX_REQUESTS_PER_MINUTE), OptionalLong.empty()));
            limiter = new LocalRequestLimiter(
                    clock, estimator, RateLimit.NONE, Optional.of(new GrantedCredits(credits, clock)));
        }
        pipeline = new RequestPipeline(
                limiter,
                new RoutingPlanner(() -> catalog, EndpointHealth.NONE),
                EndpointHealth.NONE,
                RetryPolicy.NONE,
                HedgePolicy.NONE,
                StickyRoutes.NONE,
                kind -> Optional.of(new FixtureAdapter()),
                CredentialResolver.CONFIGURED,
                new UsageLedger(
                        generations,
                        record -> {},
                        estimator,
                        java.time.Clock.systemUTC(),
                        java.time.Duration.ofMinutes(11),
                        new CreditBook(credits, generations::usage, clock, booksOn)),
                new TimeoutWatchdog(ticker),
                Timeouts.defaults(),
                estimator,
                true);
        body = (ObjectNode) json.readTree(Fixtures.CHAT_REQUEST);
        if (mode.equals("stream")) {
            body.put("stream", true);
        }
    }

    @TearDown
    public void stop() {
        generations.close();
        ticker.close();
    }

    @Benchmark
    public int request() {
        client.reset();
        ChatRequest request = OpenAiChatRequests.read(body.deepCopy(), Attribution.NONE);
        Exchange exchange =
                new Exchange(GENERATION_ID, key, request, Instant.now(), System.nanoTime(), System::nanoTime);
        pipeline.run(exchange, new ClientSink());
        return client.size();
    }

    /** The SSE or JSON bytes the last {@link #request} wrote. */
    byte[] written() {
        return client.toByteArray();
    }

    /** An OpenAI provider answering with the harness mock's bytes. */
    private final class FixtureAdapter implements ProviderAdapter {
        @Override
        public String kind() {
            return "openai";
        }

        @Override
        public WireFormat wireFormat() {
            return lane.equals("native") ? WireFormat.OPENAI_CHAT : ELSEWHERE;
        }

        @Override
        public Completion complete(UpstreamCall call) {
            try {
                return OpenAiAdapter.decode((ObjectNode) json.readTree(Fixtures.COMPLETION), call.relayNative());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public EventStream stream(UpstreamCall call) {
            return OpenAiEventStream.decoding(
                    new CappedInputStream(Fixtures.OPENAI_STREAM, 1460),
                    json,
                    call.control(),
                    "Bench Mock",
                    SseReader.DEFAULT_MAX_EVENT_BYTES,
                    call.relayNative());
        }
    }

    /** The client: what the gateway's SSE and JSON sinks write, into {@link #client}. */
    private final class ClientSink implements ResponseSink {
        private final ChatStreamRenderer renderer =
                new ChatStreamRenderer(new SseWriter(client), json, GENERATION_ID, 1_732_300_000L);
        private @Nullable Attempt attempt;

        @Override
        public WireFormat wireFormat() {
            return WireFormat.OPENAI_CHAT;
        }

        @Override
        public void open(Runnable clientGone) {}

        @Override
        public void commit(Attempt committed, boolean relayNative) {
            attempt = committed;
            renderer.commit(committed.model().id(), committed.provider().name(), relayNative);
        }

        @Override
        public void event(StreamEvent event) {
            renderer.event(event);
        }

        @Override
        public void finish(Settlement settlement) {
            renderer.finish(settlement.usage(), settlement.cost());
        }

        @Override
        public void complete(Completion completion, Settlement settlement) {
            ObjectNode out = completion
                    .source()
                    .flatMap(s -> s.as(WireFormat.OPENAI_CHAT, ObjectNode.class))
                    .orElseGet(() -> OpenAiAnswerWriter.completion(completion));
            Attempt answered = Objects.requireNonNull(attempt, "complete before commit");
            new ResponseShaper(
                            GENERATION_ID,
                            answered.model().id(),
                            answered.provider().name(),
                            1_732_300_000L)
                    .shapeCompletion(out, settlement.usage(), settlement.cost());
            client.writeBytes(Json.bytes(json, out));
        }

        @Override
        public void fail(GatewayException error) {
            throw new IllegalStateException("the benchmark's request failed: " + error.getMessage());
        }
    }

    /** A generation store that keeps nothing: the benchmark measures the request, not SQLite. */
    private static final class NowhereStore implements GenerationStore {
        @Override
        public void insertAll(List<GenerationRecord> records) {}

        @Override
        public Optional<GenerationRecord> find(String id) {
            return Optional.empty();
        }

        @Override
        public UsageTotals usage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
            return UsageTotals.ZERO; // a key's stored spend is read once, when the book first sees it
        }

        @Override
        public UsageTotals byokUsage(String keyHash, Instant dayStart, Instant weekStart, Instant monthStart) {
            throw new UnsupportedOperationException("not measured");
        }
    }
}
