package dev.switchboard.core.routing;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import java.util.Objects;

/** One planned upstream call: this model, through this endpoint of this provider. */
public record Attempt(Model model, Endpoint endpoint, Provider provider) {
    public Attempt {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(provider, "provider");
    }
}
