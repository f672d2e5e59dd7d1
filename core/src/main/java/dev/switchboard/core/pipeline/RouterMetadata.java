package dev.switchboard.core.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * What routing did for one request, for a client that opted in with {@code X-OpenRouter-Metadata:
 * enabled}: OpenRouter's {@code openrouter_metadata} object.
 *
 * @param requested the model id the client asked for, variant included
 * @param strategy  {@code direct} for one model, {@code fallback} when a {@code models} list was sent
 * @param attempt   which attempt answered (1 for the first), or how many were made when none did
 * @param total     the endpoints the plan held
 * @param endpoints the plan's endpoints in order, the answering one selected
 * @param attempts  every attempt made, with its status
 * @param byok      whether the attempt that answered carried the workspace's own key
 */
public record RouterMetadata(
        String requested,
        String strategy,
        int attempt,
        int total,
        List<Endpoint> endpoints,
        List<AttemptMade> attempts,
        boolean byok) {
    public RouterMetadata {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(strategy, "strategy");
        endpoints = List.copyOf(endpoints);
        attempts = List.copyOf(attempts);
    }

    /** One endpoint of the plan. */
    public record Endpoint(String provider, String model, boolean selected) {}

    /** One attempt made. */
    public record AttemptMade(String provider, String model, int status) {}

    /** {@code available=N, selected=Provider}, OpenRouter's one-line summary. */
    public String summary() {
        String selected = endpoints.stream()
                .filter(Endpoint::selected)
                .map(Endpoint::provider)
                .findFirst()
                .orElse("none");
        return "available=" + endpoints.size() + ", selected=" + selected;
    }
}
