package dev.switchboard.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Start-up settings of an {@link UpstreamSimulator}, the test instrument that stands in for an
 * OpenAI-compatible upstream. Every {@code default*} value applies to requests that do not
 * override it through their per-request controls (see {@link UpstreamSimulator}).
 *
 * <p>Immutable and validated on construction; derive variants with the {@code with*} methods.
 *
 * @param host                     interface to bind, e.g. {@code 127.0.0.1}
 * @param port                     TCP port to bind; {@code 0} picks a free ephemeral port
 * @param seed                     base seed of the synthetic text; mixed with a hash of each
 *                                 request's messages, so equal requests get equal answers
 * @param defaultTimeToFirstToken  delay before the first byte of a response
 * @param defaultTokensPerSecond   pacing of streamed token chunks; {@code 0} means unlimited
 * @param defaultOutputTokens      completion length in tokens (words) when no cap applies
 */
public record SimulatorOptions(
        String host,
        int port,
        long seed,
        Duration defaultTimeToFirstToken,
        int defaultTokensPerSecond,
        int defaultOutputTokens) {

    /** Validates every field; fails fast on the first invalid one. */
    public SimulatorOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultTimeToFirstToken, "defaultTimeToFirstToken");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (defaultTimeToFirstToken.isNegative()) {
            throw new IllegalArgumentException("defaultTimeToFirstToken must not be negative");
        }
        if (defaultTokensPerSecond < 0) {
            throw new IllegalArgumentException("defaultTokensPerSecond must be >= 0 (0 = unlimited)");
        }
        if (defaultOutputTokens < 0) {
            throw new IllegalArgumentException("defaultOutputTokens must be >= 0");
        }
    }

    /**
     * Loopback, ephemeral port, seed 42, no time to first token, unlimited tokens per second and
     * 16 output tokens.
     *
     * @return the defaults
     */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions("127.0.0.1", 0, 42L, Duration.ZERO, 0, 16);
    }

    /**
     * Returns a copy that binds {@code newHost}.
     *
     * @param newHost the new value
     * @return the changed copy
     */
    public SimulatorOptions withHost(String newHost) {
        return new SimulatorOptions(
                newHost, port, seed, defaultTimeToFirstToken, defaultTokensPerSecond, defaultOutputTokens);
    }

    /**
     * Returns a copy that binds {@code newPort} ({@code 0} = ephemeral).
     *
     * @param newPort the new value
     * @return the changed copy
     */
    public SimulatorOptions withPort(int newPort) {
        return new SimulatorOptions(
                host, newPort, seed, defaultTimeToFirstToken, defaultTokensPerSecond, defaultOutputTokens);
    }

    /**
     * Returns a copy whose synthetic text derives from {@code newSeed}.
     *
     * @param newSeed the new value
     * @return the changed copy
     */
    public SimulatorOptions withSeed(long newSeed) {
        return new SimulatorOptions(
                host, port, newSeed, defaultTimeToFirstToken, defaultTokensPerSecond, defaultOutputTokens);
    }

    /**
     * Returns a copy that waits {@code ttft} before the first byte of each response.
     *
     * @param ttft the new value
     * @return the changed copy
     */
    public SimulatorOptions withDefaultTimeToFirstToken(Duration ttft) {
        return new SimulatorOptions(host, port, seed, ttft, defaultTokensPerSecond, defaultOutputTokens);
    }

    /**
     * Returns a copy that streams {@code tokensPerSecond} token chunks a second ({@code 0} = unlimited).
     *
     * @param tokensPerSecond the new value
     * @return the changed copy
     */
    public SimulatorOptions withDefaultTokensPerSecond(int tokensPerSecond) {
        return new SimulatorOptions(host, port, seed, defaultTimeToFirstToken, tokensPerSecond, defaultOutputTokens);
    }

    /**
     * Returns a copy that answers with {@code outputTokens} tokens unless a cap applies.
     *
     * @param outputTokens the new value
     * @return the changed copy
     */
    public SimulatorOptions withDefaultOutputTokens(int outputTokens) {
        return new SimulatorOptions(host, port, seed, defaultTimeToFirstToken, defaultTokensPerSecond, outputTokens);
    }
}
