package dev.switchboard.bench.streams;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} pairs of a command line; every option must be read once or it is unknown. */
final class Arguments {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    Arguments(String... args) {
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            if (values.put(args[i], args[i + 1]) != null) {
                throw new IllegalArgumentException(args[i] + " given twice");
            }
        }
    }

    Optional<String> value(String name) {
        used.add(name);
        return Optional.ofNullable(values.get(name));
    }

    int number(String name, int fallback) {
        return value(name).map(v -> parse(name, v)).orElse(fallback);
    }

    double decimal(String name, double fallback) {
        try {
            return value(name).map(Double::parseDouble).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number", e);
        }
    }

    void requireAllUsed() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            }
        }
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got " + value, e);
        }
    }
}
