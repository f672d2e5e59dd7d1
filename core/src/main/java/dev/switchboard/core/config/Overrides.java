package dev.switchboard.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command-line options, which win over the environment and the file.
 *
 * @param allowNewDatabase {@code --allow-new-database}: true when given; false leaves the decision to
 *                         {@code SWITCHBOARD_ALLOW_NEW_DATABASE}
 * @param defaultProvider  {@code --default-provider}: {@code routing.default_provider}
 * @param forceModel       {@code --force-model}: {@code routing.force_model}
 */
public record Overrides(
        Optional<String> host,
        Optional<Integer> port,
        Optional<Path> dataDir,
        boolean allowNewDatabase,
        Optional<String> defaultProvider,
        Optional<String> forceModel) {
    public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty());

    public Overrides(Optional<String> host, Optional<Integer> port, Optional<Path> dataDir, boolean allowNewDatabase) {
        this(host, port, dataDir, allowNewDatabase, Optional.empty(), Optional.empty());
    }

    public Overrides(Optional<String> host, Optional<Integer> port, Optional<Path> dataDir) {
        this(host, port, dataDir, false);
    }
}
