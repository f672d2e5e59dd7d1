package dev.switchboard.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test instrument: bearer keys the simulator refuses, each with the status it answers them with, as a
 * provider answers a revoked key (401), an account out of quota (402, 429) or a key without access (403).
 * Set by tests through {@link UpstreamSimulator#refuseCredential}; empty unless a test set it, so that
 * by default the simulator takes any key. Thread-safe.
 */
final class CredentialRefusals {
    private static final String BEARER = "Bearer ";

    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

    /** The status a refused key is answered with, after a wait. */
    record Refusal(int status, Duration after) {}

    void refuse(String bearerKey, int status, Duration after) {
        refused.put(bearerKey, new Refusal(status, after));
    }

    void accept(String bearerKey) {
        refused.remove(bearerKey);
    }

    /** How to answer a request with this {@code Authorization} value; empty when it is taken. */
    Optional<Refusal> refusalFor(Optional<String> authorization) {
        if (refused.isEmpty() || authorization.isEmpty() || !authorization.get().startsWith(BEARER)) {
            return Optional.empty();
        }
        return Optional.ofNullable(refused.get(authorization.get().substring(BEARER.length())));
    }
}
