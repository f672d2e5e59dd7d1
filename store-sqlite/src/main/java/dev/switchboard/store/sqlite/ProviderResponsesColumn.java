package dev.switchboard.store.sqlite;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.switchboard.core.generation.GenerationRecordJson;
import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.storage.StorageException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A record's attempts in the {@code provider_responses} column: a JSON array with one object per attempt,
 * in attempt order ({@link GenerationRecordJson#writeAttempts}). NULL (records stored before the column
 * existed) reads as no attempts.
 */
final class ProviderResponsesColumn {
    private ProviderResponsesColumn() {}

    /** The column's value: null for no attempts. */
    static @Nullable String write(List<ProviderResponse> attempts) {
        if (attempts.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(128 * attempts.size());
        try (JsonGenerator g = GenerationRecordJson.generator(out)) {
            GenerationRecordJson.writeAttempts(g, attempts);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /** The attempts a column value holds. */
    static List<ProviderResponse> read(String column) {
        if (column == null) {
            return List.of();
        }
        try (JsonParser p = GenerationRecordJson.parser(column)) {
            p.nextToken();
            return GenerationRecordJson.readAttempts(p);
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.FAILED,
                    "a stored generation record's provider_responses column is not what this version writes",
                    e);
        }
    }
}
