package dev.switchboard.core.routing.health;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One node's health of every endpoint, in memory, from the attempts this node made.
 *
 * <p>Design note. Per endpoint, counts go into time buckets stamped with the bucket's index, so that a
 * bucket from an earlier lap of its ring is recognised as stale and never needs clearing on a timer:
 * <ul>
 *   <li>uptime over 5 and 30 minutes from 30 one-minute buckets, over a day from 96 quarter-hour
 *       buckets; 429s are not counted, nor refusals of one request (400, 413, 422) that say nothing of
 *       the endpoint;</li>
 *   <li>the outage flag from six 5-second buckets: at least {@value #OUTAGE_MIN_FAILURES} failures in
 *       the last 30 seconds making up at least half of the counted attempts;</li>
 *   <li>time to first token and throughput from the last {@value #SAMPLES} successful attempts, each
 *       stamped, read over the last 5 minutes (routing) or 30 minutes (published);</li>
 *   <li>the tool-call error rate over 30 minutes from 30 one-minute buckets of its own: of the attempts
 *       whose request offered tools and whose outcome says something of tool calling
 *       ({@link AttemptOutcome.ToolUse}), the share that were errors;</li>
 *   <li>a cool-down: a 429 with {@code Retry-After} sets the endpoint aside (behind the stable ones)
 *       until then, {@value #MAX_COOLDOWN_SECONDS} s at most;</li>
 *   <li>a circuit breaker: {@value #BREAKER_FAILURES} failures in a row open it; after
 *       {@value #BREAKER_COOLDOWN_SECONDS} s it is half-open and one request may probe it (a probe that
 *       never reports is given up after {@value #PROBE_TIMEOUT_SECONDS} s); success closes it, failure
 *       reopens it.</li>
 * </ul>
 * An open circuit and a recent outage do not remove an endpoint, they move it behind the stable ones, so
 * that a request whose every endpoint is failing still gets tried.
 *
 * <p>Reading is on every request, so the costly part of a snapshot (the uptime sums and the sorting for
 * percentiles) is computed at most once a second per endpoint and cached; the outage flag and the circuit
 * are read fresh. About 6 KB per endpoint that has seen traffic; none for the others. Time comes from the
 * injected monotonic clock, so tests step it. Thread-safe: each endpoint's state is guarded by its own
 * monitor, held only for array updates.
 */
public final class LocalEndpointHealth implements EndpointHealth {
    static final int OUTAGE_MIN_FAILURES = 3;
    static final int BREAKER_FAILURES = 5;
    static final long BREAKER_COOLDOWN_SECONDS = 30;
    static final long PROBE_TIMEOUT_SECONDS = 60;
    static final int SAMPLES = 256;
    /** A {@code Retry-After} longer than this is taken as this: an endpoint is not set aside for hours. */
    static final long MAX_COOLDOWN_SECONDS = 300;

    private static final long SECOND = 1_000_000_000L;
    private static final long CACHE_NANOS = SECOND;

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<EndpointKey, State> states = new ConcurrentHashMap<>();

    public LocalEndpointHealth(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Health on the system's monotonic clock. */
    public static LocalEndpointHealth system() {
        return new LocalEndpointHealth(System::nanoTime);
    }

    @Override
    public HealthSnapshot snapshot(EndpointKey endpoint) {
        State state = states.get(endpoint);
        return state == null ? HealthSnapshot.UNKNOWN : state.snapshot(nanoTime.getAsLong());
    }

    @Override
    public void record(EndpointKey endpoint, AttemptOutcome outcome) {
        states.computeIfAbsent(endpoint, k -> new State()).record(outcome, nanoTime.getAsLong());
    }

    @Override
    public boolean tryProbe(EndpointKey endpoint) {
        State state = states.get(endpoint);
        return state != null && state.tryProbe(nanoTime.getAsLong());
    }

    /** Counts of one ring of time buckets. */
    private static final class Buckets {
        private final long width;
        private final long[] stamp;
        private final int[] ok;
        private final int[] failed;

        Buckets(int count, long widthNanos) {
            width = widthNanos;
            stamp = new long[count];
            Arrays.fill(stamp, Long.MIN_VALUE);
            ok = new int[count];
            failed = new int[count];
        }

        void add(long now, boolean success) {
            long index = Math.floorDiv(now, width);
            int slot = (int) Math.floorMod(index, (long) stamp.length);
            if (stamp[slot] != index) {
                stamp[slot] = index;
                ok[slot] = 0;
                failed[slot] = 0;
            }
            if (success) {
                ok[slot]++;
            } else {
                failed[slot]++;
            }
        }

        /** {ok, failed} over the last {@code buckets} buckets, the current one included. */
        long[] sum(long now, int buckets) {
            long current = Math.floorDiv(now, width);
            long okSum = 0;
            long failedSum = 0;
            for (int i = 0; i < stamp.length; i++) {
                if (stamp[i] > current - buckets && stamp[i] <= current) {
                    okSum += ok[i];
                    failedSum += failed[i];
                }
            }
            return new long[] {okSum, failedSum};
        }

        OptionalDouble uptime(long now, int buckets) {
            long[] sum = sum(now, buckets);
            long total = sum[0] + sum[1];
            return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * sum[0] / total);
        }
    }

    private static final class State {
        private final Buckets minutes = new Buckets(30, 60 * SECOND);
        private final Buckets quarterHours = new Buckets(96, 15 * 60 * SECOND);
        private final Buckets fiveSeconds = new Buckets(6, 5 * SECOND);
        private final Buckets toolCalls = new Buckets(30, 60 * SECOND);
        private final long[] sampleAt = new long[SAMPLES];
        private final double[] latencySeconds = new double[SAMPLES];
        private final double[] tokensPerSecond = new double[SAMPLES];
        private int samples;
        private int nextSample;
        private int failuresInARow;
        private boolean open;
        private long openedAt;
        private boolean probing;
        private long coolUntil;
        private boolean cooling;
        private long probeStartedAt;
        private HealthSnapshot cached = HealthSnapshot.UNKNOWN;
        private long cachedAt;
        private boolean cacheValid;

        synchronized void record(AttemptOutcome outcome, long now) {
            if (outcome.toolUse() != AttemptOutcome.ToolUse.NONE) {
                toolCalls.add(now, outcome.toolUse() == AttemptOutcome.ToolUse.OK);
            }
            switch (outcome.kind()) {
                case SUCCESS -> {
                    count(now, true);
                    sample(outcome, now);
                    failuresInARow = 0;
                    open = false;
                    probing = false;
                }
                case FAILURE -> {
                    count(now, false);
                    failuresInARow++;
                    if (probing || failuresInARow >= BREAKER_FAILURES) {
                        open = true;
                        openedAt = now;
                    }
                    probing = false;
                }
                case RATE_LIMITED -> {
                    probing = false;
                    outcome.retryAfter().ifPresent(wait -> {
                        cooling = true;
                        coolUntil = now + Math.min(wait.toSeconds(), MAX_COOLDOWN_SECONDS) * SECOND;
                    });
                }
                case NEUTRAL -> probing = false;
            }
        }

        private void count(long now, boolean success) {
            minutes.add(now, success);
            quarterHours.add(now, success);
            fiveSeconds.add(now, success);
        }

        private void sample(AttemptOutcome outcome, long now) {
            if (outcome.firstTokenMillis() < 0 && outcome.tokensPerSecond() < 0) {
                return;
            }
            sampleAt[nextSample] = now;
            latencySeconds[nextSample] = outcome.firstTokenMillis() / 1000.0;
            tokensPerSecond[nextSample] = outcome.tokensPerSecond();
            nextSample = (nextSample + 1) % SAMPLES;
            samples = Math.min(samples + 1, SAMPLES);
        }

        synchronized boolean tryProbe(long now) {
            if (circuit(now) != HealthSnapshot.Circuit.HALF_OPEN) {
                return false;
            }
            probing = true;
            probeStartedAt = now;
            return true;
        }

        private HealthSnapshot.Circuit circuit(long now) {
            if (!open) {
                return HealthSnapshot.Circuit.CLOSED;
            }
            if (now - openedAt < BREAKER_COOLDOWN_SECONDS * SECOND) {
                return HealthSnapshot.Circuit.OPEN;
            }
            boolean probeUnderWay = probing && now - probeStartedAt < PROBE_TIMEOUT_SECONDS * SECOND;
            return probeUnderWay ? HealthSnapshot.Circuit.OPEN : HealthSnapshot.Circuit.HALF_OPEN;
        }

        synchronized HealthSnapshot snapshot(long now) {
            if (!cacheValid || now - cachedAt >= CACHE_NANOS) {
                cached = measures(now);
                cachedAt = now;
                cacheValid = true;
            }
            long[] recent = fiveSeconds.sum(now, 6);
            boolean outage = recent[1] >= OUTAGE_MIN_FAILURES && recent[1] * 2 >= recent[0] + recent[1];
            return new HealthSnapshot(
                    outage,
                    cooling && now - coolUntil < 0,
                    circuit(now),
                    cached.uptime5m(),
                    cached.uptime30m(),
                    cached.uptime1d(),
                    cached.latency(),
                    cached.throughput(),
                    cached.latency30m(),
                    cached.throughput30m(),
                    cached.toolCallErrors30m());
        }

        private HealthSnapshot measures(long now) {
            return new HealthSnapshot(
                    false,
                    false,
                    HealthSnapshot.Circuit.CLOSED,
                    minutes.uptime(now, 5),
                    minutes.uptime(now, 30),
                    quarterHours.uptime(now, 96),
                    percentiles(latencySeconds, now, 5, false),
                    percentiles(tokensPerSecond, now, 5, true),
                    percentiles(latencySeconds, now, 30, false),
                    percentiles(tokensPerSecond, now, 30, true),
                    errorShare(toolCalls.uptime(now, 30)));
        }

        private static OptionalDouble errorShare(OptionalDouble successShare) {
            return successShare.isPresent() ? OptionalDouble.of(100 - successShare.getAsDouble()) : successShare;
        }

        /** Percentiles of the samples of the last {@code minutes}; for throughput, higher is better. */
        private Optional<Percentiles> percentiles(double[] values, long now, int minutes, boolean higherIsBetter) {
            double[] window = new double[samples];
            int n = 0;
            for (int i = 0; i < samples; i++) {
                if (now - sampleAt[i] <= minutes * 60L * SECOND && values[i] >= 0) {
                    window[n++] = values[i];
                }
            }
            if (n == 0) {
                return Optional.empty();
            }
            double[] sorted = Arrays.copyOf(window, n);
            Arrays.sort(sorted);
            return Optional.of(new Percentiles(
                    rank(sorted, 50, higherIsBetter),
                    rank(sorted, 75, higherIsBetter),
                    rank(sorted, 90, higherIsBetter),
                    rank(sorted, 99, higherIsBetter)));
        }

        /** Nearest-rank percentile; for a higher-is-better measure, the value that share of samples reached. */
        private static double rank(double[] sorted, int percentile, boolean higherIsBetter) {
            int p = higherIsBetter ? 100 - percentile : percentile;
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.clamp(index, 0, sorted.length - 1)];
        }
    }
}
