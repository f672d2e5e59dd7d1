package dev.switchboard.core.config;

import java.nio.file.Path;
import java.util.Optional;

/** Command-line options, which win over the environment and the file. */
public record Overrides(Optional<String> host, Optional<Integer> port, Optional<Path> dataDir) {
    public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty());
}
