package dev.switchboard.bench;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.limits.Admission;
import dev.switchboard.core.limits.GrantedCredits;
import dev.switchboard.core.limits.LocalRequestLimiter;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the rate limiter adds to every request: {@code admit} before planning, {@code admitPlan} after it
 * (the free models' check of a plan of five endpoints), and, with a token rate, the settlement.
 * <ul>
 *   <li>{@code unlimited}: a key without a rate limit, no workspace rate: the default installation;</li>
 *   <li>{@code requestRates}: the key and its workspace each with a requests-per-minute limit;</li>
 *   <li>{@code requestAndTokenRates}: both with requests and tokens per minute: the prompt estimated by
 *       length, four buckets taken, the admission settled with the actual tokens.</li>
 * </ul>
 * The clock moves one millisecond per reading (an {@link AtomicLong} increment), so that the limits, set
 * at their largest, refill faster than the benchmark takes and never refuse: the figure is the cost of
 * admitting, not of refusing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "-XX:+UseSerialGC")
public class LimiterBenchmark {
    private static final RateLimit FAST = new RateLimit(
            OptionalLong.of(RateLimit.MAX_REQUESTS_PER_MINUTE), OptionalLong.of(RateLimit.MAX_TOKENS_PER_MINUTE));
    private static final RateLimit FAST_REQUESTS =
            new RateLimit(OptionalLong.of(RateLimit.MAX_REQUESTS_PER_MINUTE), OptionalLong.empty());

    private LocalRequestLimiter unlimitedLimiter;
    private LocalRequestLimiter requestLimiter;
    private LocalRequestLimiter tokenLimiter;
    private ApiKey plainKey;
    private ApiKey requestKey;
    private ApiKey tokenKey;
    private ChatRequest request;
    private RoutePlan plan;

    @Setup
    public void build() {
        Clock clock = new SteppingClock();
        GrantedCredits granted = new GrantedCredits(new MemoryCreditStore(), clock);
        TokenEstimator estimator = new TokenEstimator();
        unlimitedLimiter = new LocalRequestLimiter(clock, estimator, RateLimit.NONE, Optional.of(granted));
        requestLimiter = new LocalRequestLimiter(clock, estimator, FAST_REQUESTS, Optional.of(granted));
        tokenLimiter = new LocalRequestLimiter(clock, estimator, FAST, Optional.of(granted));
        plainKey = key("plain", RateLimit.NONE);
        requestKey = key("requests", FAST_REQUESTS);
        tokenKey = key("tokens", FAST);
        request = ChatRequest.builder("acme/chat")
                .messages(List.of(
                        Message.text(Role.SYSTEM, "You are a helpful assistant."),
                        Message.text(Role.USER, "Summarise the plot of Hamlet in three sentences.")))
                .build();
        Provider provider =
                Provider.openAi("mock", "Mock", URI.create("http://127.0.0.1:1/v1"), "", MaxTokensField.AS_SENT);
        List<Endpoint> endpoints = List.of(1, 2, 3, 4, 5).stream()
                .map(i -> new Endpoint(
                        "mock", "chat-" + i, Pricing.of("0.00000" + i, "0.00000" + i), 8192, 0, "unknown", List.of()))
                .toList();
        Model model = new Model(
                "acme/chat",
                "Chat",
                0,
                "",
                8192,
                List.of("text"),
                List.of("text"),
                "Other",
                null,
                List.of(),
                endpoints);
        plan = new RoutePlan(
                endpoints.stream().map(e -> new Attempt(model, e, provider)).toList());
    }

    private static ApiKey key(String hash, RateLimit rateLimit) {
        return new ApiKey(
                        hash,
                        hash,
                        "sk-...",
                        false,
                        false,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        ApiKey.DEFAULT_WORKSPACE,
                        ApiKey.Spending.UNLIMITED)
                .withRateLimit(rateLimit, Instant.EPOCH);
    }

    @Benchmark
    public RoutePlan unlimited() {
        unlimitedLimiter.admit(plainKey, request).settle(40);
        return unlimitedLimiter.admitPlan(plainKey, plan);
    }

    @Benchmark
    public RoutePlan requestRates() {
        requestLimiter.admit(requestKey, request).settle(40);
        return requestLimiter.admitPlan(requestKey, plan);
    }

    @Benchmark
    public RoutePlan requestAndTokenRates() {
        Admission admission = tokenLimiter.admit(tokenKey, request);
        RoutePlan admitted = tokenLimiter.admitPlan(tokenKey, plan);
        admission.settle(40);
        return admitted;
    }

    /** A clock one millisecond later at every reading. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong millis =
                new AtomicLong(Instant.parse("2026-12-07T12:00:00Z").toEpochMilli());

        @Override
        public long millis() {
            return millis.incrementAndGet();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
