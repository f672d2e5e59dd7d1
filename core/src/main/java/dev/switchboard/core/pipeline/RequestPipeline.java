package dev.switchboard.core.pipeline;

import dev.switchboard.core.accounting.Accounting;
import dev.switchboard.core.accounting.Reservation;
import dev.switchboard.core.accounting.Settlement;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.chat.ContextCompression;
import dev.switchboard.core.chat.TokenEstimator;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UnexpectedFailures;
import dev.switchboard.core.limits.Admission;
import dev.switchboard.core.limits.RequestLimiter;
import dev.switchboard.core.provider.Credential;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The request path after the client's API has been parsed, the same for every API and every provider:
 * limit → plan → reserve → attempts → settle.
 *
 * <p>Design note. The plan is an ordered list of attempts (model, endpoint, provider). Accounting
 * reserves, over the whole plan, the most the request can cost. Attempts then run in order (or, when the
 * request hedges, up to two side by side: {@link Run#hedgedPass}), each under its own {@link CallControl}
 * and timeouts, all under the request's {@link RequestCancellation}:
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
 * Every attempt is recorded ({@code provider_responses}); only the committed one is billed. An attempt
 * with a workspace's own provider key (BYOK, placed by the planner) runs like any other, with the key the
 * {@link CredentialResolver} gives it as it stands; one whose key was deleted or disabled since the plan
 * was made is skipped. A provider that quotes the key of a failed call in its error has it redacted
 * before the failure goes anywhere. Settling
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
    private final HedgePolicy hedging;
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
            HedgePolicy hedging,
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
        this.hedging = hedging;
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
     * @throws GatewayException for a request that may not start now (429: a rate limit, or the free models'
     *         limits once planned) or cannot be planned (unknown model, no endpoint), before anything was
     *         reserved or written; it leaves no record
     */
    public void run(Exchange exchange, ResponseSink sink) {
        Admission admission = limiter.admit(exchange.key(), exchange.request());
        RoutePlan plan;
        Reservation reservation;
        try {
            plan = limiter.admitPlan(
                    exchange.key(),
                    planner.plan(exchange.request(), exchange.key().hash(), credentials.ownKeys(exchange.key())));
            reservation = accounting.reserve(exchange.key(), exchange.request(), plan);
        } catch (RuntimeException e) {
            admission.settle(0);
            throw e;
        }
        new Run(exchange, sink, plan, reservation, admission).execute();
    }

    /**
     * How one pass over the plan ended: answered or over (no failure), or its last failure, whether every
     * failure of it was transient (worth another pass), and the smallest {@code Retry-After} hint.
     */
    private record Pass(Optional<GatewayException> failure, boolean worthRetrying, Optional<Duration> retryAfter) {
        /** The request was answered, or it is over (the client left). */
        static final Pass OVER = new Pass(Optional.empty(), false, Optional.empty());
    }

    /** What a pass has met so far, attempt by attempt. */
    private static final class Tally {
        private @Nullable GatewayException last;
        /** The model whose remaining attempts are skipped: a provider refused the request on it. */
        private @Nullable Model skipped;

        private boolean allTransient = true;
        private Optional<Duration> retryAfter = Optional.empty();

        /** Notes a failed attempt; true when the failure ends the pass (the client left, or it was no provider's). */
        boolean failed(Attempt attempt, GatewayException failure) {
            last = failure;
            if (!(failure instanceof UpstreamException upstream) || upstream.failure() == UpstreamFailure.CANCELLED) {
                return true;
            }
            if (!upstream.failure().retryable()) {
                skipped = attempt.model();
                allTransient = false;
            }
            retryAfter = smaller(retryAfter, upstream.retryAfter());
            return false;
        }

        /** The pass as the failure that ended it early left it: not worth another. */
        Pass ended() {
            return new Pass(Optional.ofNullable(last), false, Optional.empty());
        }

        /** The pass after its last attempt. */
        Pass pass() {
            return new Pass(Optional.ofNullable(last), allTransient, retryAfter);
        }

        private static Optional<Duration> smaller(Optional<Duration> a, Optional<Duration> b) {
            if (a.isEmpty()) {
                return b;
            }
            return b.isPresent() && b.get().compareTo(a.get()) < 0 ? b : a;
        }
    }

    /** An attempt under way: its adapter, its call and the watch that bounds it in time. */
    private record Launched(ProviderAdapter adapter, UpstreamCall call, TimeoutWatchdog.Watch watch) {
        Attempt attempt() {
            return call.attempt();
        }

        CallControl control() {
            return call.control();
        }
    }

    /** How an attempt's opening (its request sent, up to its first content) ended. */
    private sealed interface Opening permits Answered, Failed, Broke {
        Launched launched();
    }

    /** The attempt answered: the client may have it. */
    private sealed interface Answered extends Opening permits Completed, Streaming {}

    /** A whole answer, for a request that does not stream. */
    private record Completed(Launched launched, Completion completion) implements Answered {}

    /** A stream at its first content: the stream, the events before that content, and the content. */
    private record Streaming(Launched launched, EventStream stream, List<StreamEvent> held, StreamEvent first)
            implements Answered {}

    /** The attempt failed before any content; the next may be tried. */
    private record Failed(Launched launched, UpstreamException error) implements Opening {}

    /** A bug on a hedge's thread, to be thrown again on the request's. */
    private record Broke(Launched launched, Throwable error) implements Opening {}

    /** One request's run; settles exactly once. */
    private final class Run {
        private final Exchange exchange;
        private final ResponseSink sink;
        private final RoutePlan plan;
        private final Reservation reservation;
        private final Admission admission;
        private @Nullable Settlement settlement;

        Run(Exchange exchange, ResponseSink sink, RoutePlan plan, Reservation reservation, Admission admission) {
            this.exchange = exchange;
            this.sink = sink;
            this.plan = plan;
            this.reservation = reservation;
            this.admission = admission;
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
            Optional<Duration> hedgeAfter = hedging.after(exchange.request(), plan);
            Pass pass = hedgeAfter.isPresent() ? hedgedPass(hedgeAfter.get()) : pass();
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
                pass = hedgeAfter.isPresent() ? hedgedPass(hedgeAfter.get()) : pass();
            }
            Optional<GatewayException> last = pass.failure();
            if (last.isPresent() && !exchange.cancellation().cancelled()) {
                exchange.failed(last.get());
                settle();
                describeRouting(null);
                sink.fail(last.get());
            }
        }

        /** One pass over the plan, one attempt at a time. */
        private Pass pass() {
            Tally tally = new Tally();
            for (Attempt attempt : plan.attempts()) {
                if (exchange.cancellation().cancelled()) {
                    return Pass.OVER;
                }
                if (skipped(attempt, tally)) {
                    continue;
                }
                if (budgetLeftNanos() <= 0) {
                    tally.allTransient = false;
                    break;
                }
                Optional<GatewayException> failure = attempt(attempt);
                if (failure.isEmpty()) {
                    return Pass.OVER;
                }
                if (tally.failed(attempt, failure.get())) {
                    return tally.ended();
                }
            }
            return tally.pass();
        }

        /**
         * One pass over the plan, hedged: when the attempt running has not answered within {@code after}, the
         * next one starts beside it, and the first to answer is kept.
         *
         * <p>Design note. Every attempt of a hedged pass opens (sends its request and reads up to its first
         * content) on a virtual thread of its own, and its {@link Opening} lands in a {@link Race}'s queue;
         * the request's thread waits on that queue, at most until the next hedge is due. At most {@value
         * #SIDE_BY_SIDE} attempts run at once: a failure makes room, and the next attempt starts when the
         * hedge wait since the last start has passed, or at once when nothing else runs. The first opening
         * that answered wins: every other attempt still running is aborted and recorded as lost
         * ({@code hedge_lost}, never billed), and the winner is committed and relayed on the request's
         * thread exactly as an attempt of an unhedged pass is. Failures count as in {@link #pass()}.
         */
        private Pass hedgedPass(Duration after) {
            Tally tally = new Tally();
            List<Attempt> attempts = plan.attempts();
            Race race = new Race();
            long afterNanos = after.toNanos();
            long lastStart = 0;
            int cursor = 0;
            try {
                while (true) {
                    if (exchange.cancellation().cancelled()) {
                        return Pass.OVER;
                    }
                    while (cursor < attempts.size() && skipped(attempts.get(cursor), tally)) {
                        cursor++;
                    }
                    if (cursor < attempts.size() && budgetLeftNanos() <= 0) {
                        tally.allTransient = false;
                        cursor = attempts.size();
                    }
                    boolean more = cursor < attempts.size();
                    if (race.running() == 0) {
                        if (!more) {
                            return tally.pass();
                        }
                        race.start(launch(attempts.get(cursor++)));
                        lastStart = exchange.elapsedNanos();
                        continue;
                    }
                    boolean mayHedge = more && race.running() < SIDE_BY_SIDE;
                    Opening landed =
                            race.next(mayHedge ? Math.max(0, lastStart + afterNanos - exchange.elapsedNanos()) : -1);
                    if (landed == null) {
                        if (mayHedge) {
                            race.start(launch(attempts.get(cursor++)));
                            lastStart = exchange.elapsedNanos();
                        }
                        continue;
                    }
                    switch (landed) {
                        case Failed failed -> {
                            failed.launched().watch().close();
                            attemptEnded(failed.launched(), Optional.of(failed.error()));
                            if (tally.failed(failed.launched().attempt(), failed.error())) {
                                return tally.ended();
                            }
                        }
                        case Broke broke -> throw rethrown(broke.error());
                        case Answered answered -> {
                            race.end(true);
                            try (TimeoutWatchdog.Watch ignored =
                                    answered.launched().watch()) {
                                conclude(answered);
                            }
                            return Pass.OVER;
                        }
                    }
                }
            } finally {
                race.end(false);
            }
        }

        /**
         * Whether the attempt is not to be made: its model was refused, or its own key was deleted or
         * disabled since the request was planned.
         */
        private boolean skipped(Attempt attempt, Tally tally) {
            return attempt.model().equals(tally.skipped) || credentials.withdrawn(attempt);
        }

        /** Attempts a hedged pass runs at once at most. */
        private static final int SIDE_BY_SIDE = 2;

        /** Runs one attempt; empty when the request is answered (or over), the failure when the next may be tried. */
        private Optional<GatewayException> attempt(Attempt attempt) {
            Launched launched = launch(attempt);
            try (TimeoutWatchdog.Watch ignored = launched.watch()) {
                Opening opening = open(launched);
                if (opening instanceof Failed failed) {
                    attemptEnded(launched, Optional.of(failed.error()));
                    return Optional.of(failed.error());
                }
                conclude((Answered) opening);
                return Optional.empty();
            }
        }

        /** Prepares an attempt and starts its watch; on the request's thread. */
        private Launched launch(Attempt attempt) {
            ProviderAdapter adapter = adapters.forKind(attempt.provider().kind())
                    .orElseThrow(() -> new IllegalStateException(
                            "no adapter for kind " + attempt.provider().kind()));
            CallControl control = exchange.cancellation().nextAttempt();
            boolean sameFormat = nativeRelay && sink.wireFormat().equals(adapter.wireFormat());
            ChatRequest request = compression.forEndpoint(exchange.request(), attempt.endpoint());
            UpstreamCall call = new UpstreamCall(
                    attempt,
                    nativeRelay ? request : translated(request),
                    credentials.resolve(attempt, exchange.key()),
                    control,
                    sameFormat);
            exchange.attemptStarted(attempt);
            long left = budgetLeftNanos();
            Timeouts attemptTimeouts = left < timeouts.total().toNanos()
                    ? timeouts.withTotal(Duration.ofNanos(Math.max(left, 1)))
                    : timeouts;
            return new Launched(adapter, call, watchdog.watch(control, attemptTimeouts));
        }

        /**
         * Sends the attempt's request and reads up to its first content (a whole answer, when not
         * streaming). Touches neither the client nor the exchange, so that it may run on any thread.
         */
        private Opening open(Launched launched) {
            UpstreamCall call = launched.call();
            try {
                if (!exchange.request().stream()) {
                    return new Completed(launched, launched.adapter().complete(call));
                }
                EventStream stream = launched.adapter().stream(call);
                List<StreamEvent> held = new ArrayList<>(4);
                try {
                    return new Streaming(launched, stream, held, firstContent(stream, held));
                } catch (RuntimeException | Error e) {
                    stream.close();
                    throw e;
                }
            } catch (UpstreamException e) {
                return new Failed(launched, withoutSecret(e, call.credential()));
            }
        }

        /** Commits an answered attempt and hands its answer to the client; on the request's thread. */
        private void conclude(Answered answered) {
            Launched launched = answered.launched();
            switch (answered) {
                case Completed whole -> {
                    commit(launched);
                    exchange.observe(whole.completion());
                    attemptEnded(launched, Optional.empty());
                    Settlement settled = settle();
                    describeRouting(launched.attempt());
                    sink.complete(whole.completion(), settled);
                    stick(launched.attempt(), settled);
                }
                case Streaming streaming -> {
                    try (EventStream stream = streaming.stream()) {
                        commit(launched);
                        relay(launched, stream, streaming.held(), streaming.first());
                    }
                }
            }
        }

        /** Reads up to the first event with content (or the end), holding back what comes before it. */
        private static StreamEvent firstContent(EventStream stream, List<StreamEvent> held) {
            StreamEvent event = stream.next();
            while (!(event instanceof StreamEvent.End) && !StreamEvent.carriesContent(event)) {
                held.add(event);
                event = stream.next();
            }
            return event;
        }

        /** The committed attempt's stream to the client, event by event, then its end or its in-band failure. */
        private void relay(Launched launched, EventStream stream, List<StreamEvent> held, StreamEvent first) {
            Attempt attempt = launched.attempt();
            try {
                held.forEach(this::deliver);
                for (StreamEvent event = first; !(event instanceof StreamEvent.End); event = stream.next()) {
                    deliver(event);
                }
                attemptEnded(launched, Optional.empty());
                Settlement settled = settle();
                describeRouting(attempt);
                sink.finish(settled);
                stick(attempt, settled);
            } catch (UpstreamException quoting) {
                UpstreamException e = withoutSecret(quoting, launched.call().credential());
                attemptEnded(launched, Optional.of(e));
                failInBand(e);
            } catch (ClientGoneException gone) {
                launched.control().abort(UpstreamFailure.CANCELLED);
                attemptEnded(
                        launched,
                        Optional.of(UpstreamException.of(
                                UpstreamFailure.CANCELLED,
                                attempt.provider().name(),
                                "The client closed the connection")));
                throw gone;
            } catch (RuntimeException | Error e) {
                // A bug, or the heap exhausted: not the provider's or the client's doing. The client still
                // gets a well-formed end, and the record says what the client got.
                UnexpectedFailures.log("relaying a stream", e);
                launched.control().abort(UpstreamFailure.CANCELLED);
                GatewayException internal = GatewayException.internal();
                attemptEnded(launched, Optional.of(internal));
                failInBand(internal);
            }
        }

        /**
         * The attempts of a hedged pass that are opening, each on a virtual thread of its own, and the queue
         * their openings land in. Used by the request's thread; the openers only deliver.
         */
        private final class Race {
            private final BlockingQueue<Opening> landed = new LinkedBlockingQueue<>();
            private final List<Launched> running = new ArrayList<>(SIDE_BY_SIDE);
            private final ReentrantLock lock = new ReentrantLock();
            private boolean over;

            void start(Launched launched) {
                running.add(launched);
                Thread.ofVirtual().name("switchboard-hedge").start(() -> {
                    Opening opening;
                    try {
                        opening = open(launched);
                    } catch (RuntimeException | Error e) {
                        opening = new Broke(launched, e);
                    }
                    deliver(opening);
                });
            }

            int running() {
                return running.size();
            }

            /**
             * The next opening to land, waiting at most {@code timeoutNanos} (for ever when negative); null
             * when none landed in time.
             */
            @Nullable
            Opening next(long timeoutNanos) {
                Opening opening;
                try {
                    opening = timeoutNanos < 0 ? landed.take() : landed.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // only a server going down interrupts a request's thread: the request ends as if its
                    // client had left
                    Thread.currentThread().interrupt();
                    exchange.cancelled();
                    return null;
                }
                if (opening != null) {
                    running.remove(opening.launched());
                }
                return opening;
            }

            /**
             * Ends the race: every attempt still running is aborted and recorded, as lost to the winner when
             * {@code lost} (else as cancelled with the request); an opening that lands later is closed by its
             * own thread. Idempotent.
             */
            void end(boolean lost) {
                List<Opening> unclaimed = new ArrayList<>();
                lock.lock();
                try {
                    if (over) {
                        return;
                    }
                    over = true;
                    landed.drainTo(unclaimed);
                } finally {
                    lock.unlock();
                }
                for (Opening opening : unclaimed) {
                    running.remove(opening.launched());
                    discard(opening);
                    if (opening instanceof Failed failed) {
                        failed.launched().watch().close();
                        attemptEnded(failed.launched(), Optional.of(failed.error()));
                    } else {
                        abandoned(opening.launched(), lost);
                    }
                }
                for (Launched launched : running) {
                    launched.control().abort(UpstreamFailure.CANCELLED);
                    abandoned(launched, lost);
                }
                running.clear();
            }

            private void deliver(Opening opening) {
                lock.lock();
                try {
                    if (!over) {
                        landed.add(opening);
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                discard(opening);
            }

            private void abandoned(Launched launched, boolean lost) {
                launched.watch().close();
                if (lost) {
                    exchange.attemptAbandoned(launched.attempt(), launched.control());
                } else {
                    attemptEnded(
                            launched,
                            Optional.of(UpstreamException.of(
                                    UpstreamFailure.CANCELLED,
                                    launched.attempt().provider().name(),
                                    "The request ended before this attempt answered")));
                }
            }
        }

        /** The failure without the credential its call carried, should the provider have quoted it. */
        private static UpstreamException withoutSecret(UpstreamException failure, Credential credential) {
            return switch (credential) {
                case Credential.ApiKey key -> failure.withoutSecret(key.secret());
                case Credential.None none -> failure;
            };
        }

        /** Closes what an opening nobody will use holds open. */
        private static void discard(Opening opening) {
            if (opening instanceof Streaming streaming) {
                streaming.stream().close();
            }
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

        private static RuntimeException rethrown(Throwable error) {
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            return new IllegalStateException(error);
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
                    made,
                    answered != null && answered.byok()));
        }

        /** Notes the attempt's end in the exchange (for its record) and in the endpoint's health. */
        private void attemptEnded(Launched launched, Optional<GatewayException> failure) {
            Attempt attempt = launched.attempt();
            health.record(
                    new EndpointKey(attempt.model().id(), attempt.endpoint().slug()),
                    exchange.outcome(attempt, launched.control(), failure));
            exchange.attemptEnded(attempt, launched.control(), failure);
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

        private void commit(Launched launched) {
            exchange.commit(launched.attempt());
            sink.commit(launched.attempt(), launched.call().relayNative());
        }

        /** Settles once; later calls return the first settlement. */
        private Settlement settle() {
            if (settlement == null) {
                settlement = accounting.settle(reservation, exchange.draft(estimator));
                admission.settle(settlement.usage().total());
            }
            return settlement;
        }
    }
}
