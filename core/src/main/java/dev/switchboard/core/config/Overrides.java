package dev.switchboard.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command-line options, which win over the environment and the file.
 *
 * @param allowNewDatabase {@code --allow-new-database}: true when given; false leaves the decision to
 *                         {@code SWITCHBOARD_ALLOW_NEW_DATABASE}
 */
public record Overrides(
        Optional<String> host, Optional<Integer> port, Optional<Path> dataDir, boolean allowNewDatabase) {
    public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty());

    public Overrides(Optional<String> host, Optional<Integer> port, Optional<Path> dataDir) {
        this(host, port, dataDir, false);
    }
}
