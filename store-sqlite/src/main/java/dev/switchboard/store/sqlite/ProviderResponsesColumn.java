package dev.switchboard.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.generation.ProviderResponse;
import dev.switchboard.core.storage.StorageException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A record's attempts in the {@code provider_responses} column: a JSON array with one object per attempt,
 * in attempt order, its fields named as {@code GET /generation} names them. NULL (records stored before
 * the column existed) reads as no attempts. Written and read with Jackson's streaming API, so that
 * storing a batch allocates no tree.
 */
final class ProviderResponsesColumn {
    private static final JsonFactory JSON = new JsonFactory();

    private ProviderResponsesColumn() {
    }

    /** The column's value: null for no attempts. */
    static String write(List<ProviderResponse> attempts) {
        if (attempts.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(128 * attempts.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (ProviderResponse a : attempts) {
                g.writeStartObject();
                g.writeStringField("provider_slug", a.providerSlug());
                g.writeStringField("provider_name", a.providerName());
                g.writeStringField("model", a.model());
                if (a.upstreamId().isPresent()) {
                    g.writeStringField("upstream_id", a.upstreamId().get());
                }
                g.writeNumberField("status", a.status());
                g.writeNumberField("latency_ms", a.latencyMs());
                if (a.errorType().isPresent()) {
                    g.writeStringField("error_type", a.errorType().get());
                }
                g.writeBooleanField("billed", a.billed());
                g.writeEndObject();
            }
            g.writeEndArray();
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
        try (JsonParser p = JSON.createParser(column)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<ProviderResponse> attempts = new ArrayList<>(2);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                attempts.add(attempt(p));
            }
            expect(p.currentToken(), JsonToken.END_ARRAY);
            return attempts;
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.FAILED,
                    "a stored generation record's provider_responses column is not what this version writes", e);
        }
    }

    private static ProviderResponse attempt(JsonParser p) throws IOException {
        String slug = null;
        String name = null;
        String model = null;
        Optional<String> upstreamId = Optional.empty();
        int status = 0;
        long latencyMs = 0;
        Optional<String> errorType = Optional.empty();
        boolean billed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "provider_slug" -> slug = p.getText();
                case "provider_name" -> name = p.getText();
                case "model" -> model = p.getText();
                case "upstream_id" -> upstreamId = Optional.of(p.getText());
                case "status" -> status = p.getIntValue();
                case "latency_ms" -> latencyMs = p.getLongValue();
                case "error_type" -> errorType = Optional.of(p.getText());
                case "billed" -> billed = p.getBooleanValue();
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        if (slug == null || name == null || model == null) {
            throw new IOException("an attempt without its provider or model");
        }
        return new ProviderResponse(slug, name, model, upstreamId, status, latencyMs, errorType, billed);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
