package dev.switchboard.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that all of them are reported together. */
final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    void add(String source, String path, String reason) {
        list.add(new ConfigProblem(source, path, reason));
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }
}
