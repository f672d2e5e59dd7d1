package dev.switchboard.core.provider;

import java.util.Optional;

/** The adapters the gateway has, by {@code kind}. */
public interface ProviderAdapterRegistry {
    Optional<ProviderAdapter> forKind(String kind);
}
