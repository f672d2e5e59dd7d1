package dev.switchboard.core.routing.health;

import java.util.Objects;

/** One endpoint of one model: health is kept per pair, since a provider may serve one model well and another not. */
public record EndpointKey(String modelId, String endpointSlug) {
    public EndpointKey {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(endpointSlug, "endpointSlug");
    }
}
