package dev.switchboard.core.error;

import java.util.List;
import java.util.Objects;

/**
 * Why a request could not be served by any endpoint: OpenRouter's {@code error.availability} object.
 * Clients branch on {@link #code} ({@code model_not_found}, {@code no_endpoints}, ...) and retry only
 * when {@link #retryable}.
 */
public record Availability(String code, boolean retryable, List<String> requestedModels, List<String> excludedBy) {
    public Availability {
        Objects.requireNonNull(code, "code");
        requestedModels = List.copyOf(requestedModels);
        excludedBy = List.copyOf(excludedBy);
    }

    /** An availability that no routing filter caused. */
    public Availability(String code, boolean retryable, List<String> requestedModels) {
        this(code, retryable, requestedModels, List.of());
    }
}
