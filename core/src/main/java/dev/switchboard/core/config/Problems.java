package dev.switchboard.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects configuration problems so that all of them are reported together. Each is attributed to
 * where its value came from ({@link Provenance}): the file, or the environment variable or
 * command-line option that replaced the file's value; and a value built from unset {@code ${VAR}}
 * references says which.
 */
final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();
    private final Provenance provenance;

    Problems(Provenance provenance) {
        this.provenance = provenance;
    }

    void add(String source, String path, String reason) {
        List<String> unset = provenance.unsetReferences(source, path);
        String explained = unset.isEmpty() ? reason : reason + " (" + unsetVariables(unset) + ")";
        list.add(new ConfigProblem(provenance.origin(source, path), path, explained));
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }

    private static String unsetVariables(List<String> variables) {
        return variables.size() == 1
                ? "environment variable " + variables.getFirst() + " is unset"
                : "environment variables " + String.join(", ", variables) + " are unset";
    }
}
