package dev.switchboard.core.pipeline;

import dev.switchboard.core.accounting.Accounting;
import dev.switchboard.core.accounting.Reservation;
import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.chat.ContextCompression;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UnexpectedFailures;
import dev.switchboard.core.limits.RequestLimiter;
import dev.switchboard.core.provider.CredentialResolver;
import dev.switchboard.core.provider.EventStream;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.ProviderAdapterRegistry;
import dev.switchboard.core.provider.UpstreamCall;
import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import dev.switchboard.core.routing.RoutePlanner;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.sticky.StickyRoutes;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.TimeoutWatchdog;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.core.upstream.UpstreamException;
import dev.switchboard.core.upstream.UpstreamFailure;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.response.Completion;
import dev.switchboard.model.response.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The request path after the client's API has been parsed, the same for every API and every provider:
 * limit → plan → reserve → attempts → settle.
 *
 * <p>Design note. The plan is an ordered list of attempts (model, endpoint, provider). Accounting
 * reserves, over the whole plan, the most the request can cost. Attempts then run in order, each under
 * its own {@link CallControl} and timeouts, all under the request's {@link RequestCancellation}:
 * <ul>
 *   <li>An attempt is <em>committed</em> at its first event with content ({@link
 *       StreamEvent#carriesContent}); the events before it (a role-only chunk, the provider's identity)
 *       are held back. Until then nothing of it has reached the client, so when it fails with a failure
 *       that allows it ({@link UpstreamFailure#retryable()}) the next attempt runs, and the client never
 *       sees the first. The response's provider and model are bound at commit.</li>
 *   <li>Once committed, the attempt is the response: its events go to the client as they come, and a
 *       failure arrives in-band.</li>
 *   <li>A client that goes away ends the request: the attempt running is aborted and no other starts.</li>
 * </ul>
 * Every attempt is recorded ({@code provider_responses}); only the committed one is billed. Settling
 * happens exactly once, before the response's last bytes are written (so its record is stored before the
 * client has the whole answer), or in {@code finally} when the client is gone or something broke.
 *
 * <p>Thread-safe: one instance serves every request; each request runs on its own thread.
 */
public final class RequestPipeline {
    private final RequestLimiter limiter;
    private final RoutePlanner planner;
    private final EndpointHealth health;
    private final RetryPolicy retries;
    private final StickyRoutes sticky;
    private final ContextCompression compression;
    private final ProviderAdapterRegistry adapters;
    private final CredentialResolver credentials;
    private final Accounting accounting;
    private final TimeoutWatchdog watchdog;
    private final Timeouts timeouts;
    private final TokenEstimator estimator;
    private final boolean nativeRelay;

    /**
     * @param nativeRelay whether a request whose client and provider speak the same wire format is
     *                    relayed natively (the pass-through lane); false translates every request through
     *                    the canonical model
     */
    public RequestPipeline(
            RequestLimiter limiter,
            RoutePlanner planner,
            EndpointHealth health,
            RetryPolicy retries,
            StickyRoutes sticky,
            ProviderAdapterRegistry adapters,
            CredentialResolver credentials,
            Accounting accounting,
            TimeoutWatchdog watchdog,
            Timeouts timeouts,
            TokenEstimator estimator,
            boolean nativeRelay) {
        this.limiter = limiter;
        this.nativeRelay = nativeRelay;
        this.planner = planner;
        this.health = health;
        this.retries = retries;
        this.sticky = sticky;
        this.adapters = adapters;
        this.credentials = credentials;
        this.accounting = accounting;
        this.watchdog = watchdog;
        this.timeouts = timeouts;
        this.estimator = estimator;
        this.compression = new ContextCompression(estimator);
    }

    /**
     * Runs the request to its end, writing the response to {@code sink}.
     *
     * @throws GatewayException for a request that may not start now (429) or cannot be planned (unknown
     *         model, no endpoint), before anything was reserved or written; it leaves no record
     */
    public void run(Exchange exchange, ResponseSink sink) {
        limiter.admit(exchange.key(), exchange.request());
        RoutePlan plan = planner.plan(exchange.request(), exchange.key().hash());
        Reservation reservation = accounting.reserve(exchange.key(), exchange.request(), plan);
        new Run(exchange, sink, plan, reservation).execute();
    }

    /** One request's run; settles exactly once. */
    private final class Run {
        private final Exchange exchange;
        private final ResponseSink sink;
        private final RoutePlan plan;
        private final Reservation reservation;
        private @Nullable Settlement settlement;

        Run(Exchange exchange, ResponseSink sink, RoutePlan plan, Reservation reservation) {
            this.exchange = exchange;
            this.sink = sink;
            this.plan = plan;
            this.reservation = reservation;
        }

        void execute() {
            try {
                sink.open(exchange::cancelled);
                attempts();
            } catch (ClientGoneException gone) {
                exchange.cancelled();
            } catch (RuntimeException | Error e) {
                exchange.failed(e instanceof GatewayException known ? known : GatewayException.internal());
                throw e;
            } finally {
                settle();
            }
        }

        /**
         * Tries the plan's attempts in order until one answers. A retryable failure moves on to the next
         * endpoint; a failure that is the request's own on this model (the provider refused it: too long,
         * say) skips the model's other endpoints and moves on to the next model, since a fallback model
         * moves on for any error; anything else (the client left, a bug) ends the run.
         */
        private void attempts() {
            Pass pass = pass();
            for (int retry = 1;
                    pass.failure().isPresent() && pass.worthRetrying() && retry <= retries.retries();
                    retry++) {
                Duration wait = retries.waitBefore(retry, pass.retryAfter());
                if (wait.compareTo(retries.maxWait()) > 0
                        || wait.toNanos() >= budgetLeftNanos()
                        || !retries.pause().pause(wait)
                        || exchange.cancellation().cancelled()) {
                    break;
                }
                pass = pass();
            }
            Optional<GatewayException> last = pass.failure();
            if (last.isPresent() && !exchange.cancellation().cancelled()) {
                exchange.failed(last.get());
                settle();
                describeRouting(null);
                sink.fail(last.get());
            }
        }

        /**
         * How one pass over the plan ended: answered (no failure), or its last failure, whether every
         * failure of it was transient (worth another pass), and the smallest {@code Retry-After} hint.
         */
        private record Pass(Optional<GatewayException> failure, boolean worthRetrying, Optional<Duration> retryAfter) {}

        private Pass pass() {
            GatewayException last = null;
            Model skipped = null;
            boolean allTransient = true;
            Optional<Duration> retryAfter = Optional.empty();
            for (Attempt attempt : plan.attempts()) {
                if (exchange.cancellation().cancelled()) {
                    return new Pass(Optional.empty(), false, Optional.empty());
                }
                if (attempt.model().equals(skipped)) {
                    continue;
                }
                if (budgetLeftNanos() <= 0) {
                    allTransient = false;
                    break;
                }
                Optional<GatewayException> failure = attempt(attempt);
                if (failure.isEmpty()) {
                    return new Pass(Optional.empty(), false, Optional.empty());
                }
                last = failure.get();
                if (!(last instanceof UpstreamException upstream) || upstream.failure() == UpstreamFailure.CANCELLED) {
                    return new Pass(Optional.of(last), false, Optional.empty());
                }
                if (!upstream.failure().retryable()) {
                    skipped = attempt.model();
                    allTransient = false;
                }
                retryAfter = smaller(retryAfter, upstream.retryAfter());
            }
            return new Pass(Optional.ofNullable(last), allTransient, retryAfter);
        }

        private static Optional<Duration> smaller(Optional<Duration> a, Optional<Duration> b) {
            if (a.isEmpty()) {
                return b;
            }
            return b.isPresent() && b.get().compareTo(a.get()) < 0 ? b : a;
        }

        /** What is left of the request's time budget ({@code timeouts.total} bounds all attempts together). */
        private long budgetLeftNanos() {
            return timeouts.total().toNanos() - exchange.elapsedNanos();
        }

        /**
         * The request without the client's own body, so that the adapter writes one from the canonical
         * request. (An adapter of another wire format than the client's never uses that body anyway.)
         */
        private static ChatRequest translated(ChatRequest request) {
            return request.source().isEmpty()
                    ? request
                    : request.toBuilder().source(Optional.empty()).build();
        }

        /** Runs one attempt; empty when the request is answered (or over), the failure when the next may be tried. */
        private Optional<GatewayException> attempt(Attempt attempt) {
            Optional<ProviderAdapter> adapter =
                    adapters.forKind(attempt.provider().kind());
            if (adapter.isEmpty()) {
                throw new IllegalStateException(
                        "no adapter for kind " + attempt.provider().kind());
            }
            CallControl control = exchange.cancellation().nextAttempt();
            boolean sameFormat =
                    nativeRelay && sink.wireFormat().equals(adapter.get().wireFormat());
            ChatRequest request = compression.forEndpoint(exchange.request(), attempt.endpoint());
            UpstreamCall call = new UpstreamCall(
                    attempt,
                    nativeRelay ? request : translated(request),
                    credentials.resolve(attempt.provider(), exchange.key()),
                    control,
                    sameFormat);
            exchange.attemptStarted(attempt);
            long left = budgetLeftNanos();
            Timeouts attemptTimeouts = left < timeouts.total().toNanos()
                    ? timeouts.withTotal(Duration.ofNanos(Math.max(left, 1)))
                    : timeouts;
            try (TimeoutWatchdog.Watch ignored = watchdog.watch(control, attemptTimeouts)) {
                return exchange.request().stream() ? stream(adapter.get(), call) : complete(adapter.get(), call);
            }
        }

        private Optional<GatewayException> complete(ProviderAdapter adapter, UpstreamCall call) {
            Completion completion;
            try {
                completion = adapter.complete(call);
            } catch (UpstreamException e) {
                attemptEnded(call.attempt(), Optional.of(e));
                return Optional.of(e);
            }
            commit(call);
            exchange.observe(completion);
            attemptEnded(call.attempt(), Optional.empty());
            Settlement settled = settle();
            describeRouting(call.attempt());
            sink.complete(completion, settled);
            stick(call.attempt(), settled);
            return Optional.empty();
        }

        private Optional<GatewayException> stream(ProviderAdapter adapter, UpstreamCall call) {
            EventStream stream;
            List<StreamEvent> held = new ArrayList<>(4);
            StreamEvent first;
            try {
                stream = adapter.stream(call);
            } catch (UpstreamException e) {
                attemptEnded(call.attempt(), Optional.of(e));
                return Optional.of(e);
            }
            try (stream) {
                try {
                    first = firstContent(stream, held);
                } catch (UpstreamException e) {
                    attemptEnded(call.attempt(), Optional.of(e));
                    return Optional.of(e);
                }
                commit(call);
                relay(call, stream, held, first);
            }
            return Optional.empty();
        }

        /** Reads up to the first event with content (or the end), holding back what comes before it. */
        private StreamEvent firstContent(EventStream stream, List<StreamEvent> held) {
            StreamEvent event = stream.next();
            while (!(event instanceof StreamEvent.End) && !StreamEvent.carriesContent(event)) {
                held.add(event);
                event = stream.next();
            }
            return event;
        }

        /** The committed attempt's stream to the client, event by event, then its end or its in-band failure. */
        private void relay(UpstreamCall call, EventStream stream, List<StreamEvent> held, StreamEvent first) {
            try {
                held.forEach(this::deliver);
                for (StreamEvent event = first; !(event instanceof StreamEvent.End); event = stream.next()) {
                    deliver(event);
                }
                attemptEnded(call.attempt(), Optional.empty());
                Settlement settled = settle();
                describeRouting(call.attempt());
                sink.finish(settled);
                stick(call.attempt(), settled);
            } catch (UpstreamException e) {
                attemptEnded(call.attempt(), Optional.of(e));
                failInBand(e);
            } catch (ClientGoneException gone) {
                call.control().abort(UpstreamFailure.CANCELLED);
                attemptEnded(
                        call.attempt(),
                        Optional.of(UpstreamException.of(
                                UpstreamFailure.CANCELLED,
                                call.attempt().provider().name(),
                                "The client closed the connection")));
                throw gone;
            } catch (RuntimeException | Error e) {
                // A bug, or the heap exhausted: not the provider's or the client's doing. The client still
                // gets a well-formed end, and the record says what the client got.
                UnexpectedFailures.log("relaying a stream", e);
                call.control().abort(UpstreamFailure.CANCELLED);
                GatewayException internal = GatewayException.internal();
                attemptEnded(call.attempt(), Optional.of(internal));
                failInBand(internal);
            }
        }

        /**
         * After an answer, routes the conversation's next turn back to this endpoint: from the first
         * answer when the client named the conversation, else from the first that read the provider's
         * prompt cache; and only where reading the cache costs less than the prompt does.
         */
        private void stick(Attempt answered, Settlement settled) {
            if (plan.conversation().isEmpty()) {
                return;
            }
            var pricing = answered.endpoint().pricing();
            boolean cacheIsCheaper = pricing.inputCacheRead().signum() > 0
                    && pricing.inputCacheRead().compareTo(pricing.prompt()) < 0;
            boolean started =
                    plan.conversation().get().explicit() || settled.usage().cachedPrompt() > 0;
            if (cacheIsCheaper && started) {
                sticky.answered(
                        new StickyRoutes.StickyKey(
                                plan.caller(),
                                answered.model().id(),
                                plan.conversation().get().hash()),
                        answered.endpoint().slug());
            }
        }

        /** Hands the sink what routing did, when its client asked; {@code answered} is null when no attempt did. */
        @SuppressWarnings("ReferenceEquality") // a plan may hold equal attempts; the answering one is selected
        private void describeRouting(@Nullable Attempt answered) {
            if (!sink.wantsMetadata()) {
                return;
            }
            List<RouterMetadata.Endpoint> endpoints = new ArrayList<>(plan.size());
            for (Attempt a : plan.attempts()) {
                endpoints.add(new RouterMetadata.Endpoint(
                        a.provider().name(), a.model().id(), a == answered));
            }
            List<RouterMetadata.AttemptMade> made = exchange.attemptsMade().stream()
                    .map(r -> new RouterMetadata.AttemptMade(r.providerName(), r.model(), r.status()))
                    .toList();
            ChatRequest request = exchange.request();
            sink.metadata(new RouterMetadata(
                    request.model(),
                    request.fallbackModels().isEmpty() ? "direct" : "fallback",
                    Math.max(made.size(), 1),
                    plan.size(),
                    endpoints,
                    made));
        }

        /** Notes the attempt's end in the exchange (for its record) and in the endpoint's health. */
        private void attemptEnded(Attempt attempt, Optional<GatewayException> failure) {
            health.record(
                    new EndpointKey(attempt.model().id(), attempt.endpoint().slug()), exchange.outcome(failure));
            exchange.attemptEnded(attempt, failure);
        }

        private void deliver(StreamEvent event) {
            exchange.observe(event);
            sink.event(event);
        }

        private void failInBand(GatewayException error) {
            exchange.failed(error);
            settle();
            describeRouting(exchange.committed().orElse(null));
            sink.fail(error);
        }

        private void commit(UpstreamCall call) {
            exchange.commit(call.attempt());
            sink.commit(call.attempt(), call.relayNative());
        }

        /** Settles once; later calls return the first settlement. */
        private Settlement settle() {
            if (settlement == null) {
                settlement = accounting.settle(reservation, exchange.draft(estimator));
            }
            return settlement;
        }
    }
}
