package dev.switchboard.core.config;

/** One thing wrong with the configuration: where (file and path) and why. */
public record ConfigProblem(String source, String path, String reason) {
    @Override
    public String toString() {
        return source + ": " + (path.isEmpty() ? "" : path + ": ") + reason;
    }
}
