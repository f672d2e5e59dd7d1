package dev.switchboard.core.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Stored prompts and completions, for the workspaces and keys that opted in to input/output logging;
 * nothing else is ever stored of a request's content. Thread-safe; failures are thrown as
 * {@link StorageException}.
 */
public interface IoLogStore {
    /** Stores one request's content; a second entry for the same generation is ignored. */
    void insert(Entry entry);

    Optional<Entry> find(String generationId);

    /** False when there was none. */
    boolean delete(String generationId);

    /** Deletes every entry made before {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff);

    /**
     * One request's content.
     *
     * @param input     the request body as the gateway read it (JSON), possibly cut
     * @param output    the generated text, reasoning and tool-call arguments, possibly cut
     * @param truncated whether either was cut at the configured bound
     */
    record Entry(
            String generationId,
            Instant createdAt,
            String keyHash,
            String workspaceId,
            String input,
            String output,
            boolean truncated) {
        public Entry {
            Objects.requireNonNull(generationId, "generationId");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(keyHash, "keyHash");
            Objects.requireNonNull(workspaceId, "workspaceId");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }

        @Override
        public String toString() {
            return "Entry[generationId=" + generationId + "]"; // never the content
        }
    }
}
