package dev.switchboard.core.generation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A generation record as one JSON object, field for field, for the {@link GenerationJournal} (and its
 * attempts as a JSON array, for stores that keep them in one column). Lossless: the cost keeps its
 * scale, the creation time its nanoseconds, and absent values stay absent. Fields a later version
 * adds are skipped by an older one; a field this version needs and does not find is an
 * {@link IOException}. Written and read with Jackson's streaming API, so no tree is built.
 */
public final class GenerationRecordJson {
    // buffers from a shared pool, not a thread-local: on virtual threads that means new ones per request
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .build();

    private GenerationRecordJson() {}

    /** The record as UTF-8 JSON. */
    public static byte[] write(GenerationRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(r, out);
        return out.toByteArray();
    }

    /** Writes the record as UTF-8 JSON to {@code out}, after what it holds. */
    public static void write(GenerationRecord r, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("created_at", r.createdAt().toString());
            g.writeStringField("key_hash", r.keyHash());
            g.writeStringField("model", r.model());
            g.writeStringField("provider_slug", r.providerSlug());
            g.writeStringField("provider_name", r.providerName());
            g.writeStringField("upstream_id", r.upstreamId());
            g.writeBooleanField("streamed", r.streamed());
            g.writeBooleanField("cancelled", r.cancelled());
            optional(g, "finish_reason", Optional.ofNullable(r.finishReason()));
            optional(g, "native_finish_reason", Optional.ofNullable(r.nativeFinishReason()));
            g.writeNumberField("tokens_prompt", r.tokensPrompt());
            g.writeNumberField("tokens_completion", r.tokensCompletion());
            g.writeNumberField("tokens_cached", r.tokensCached());
            g.writeNumberField("tokens_reasoning", r.tokensReasoning());
            g.writeStringField("cost", r.cost().toPlainString());
            g.writeNumberField("latency_ms", r.latencyMs());
            g.writeNumberField("generation_ms", r.generationMs());
            g.writeNumberField("ttft_ms", r.ttftMs());
            optional(g, "http_referer", r.httpReferer());
            optional(g, "app_title", r.appTitle());
            optional(g, "user", r.user());
            g.writeNumberField("status", r.status());
            optional(g, "error_type", r.errorType());
            g.writeBooleanField("usage_estimated", r.usageEstimated());
            g.writeFieldName("attempts");
            writeAttempts(g, r.attempts());
            optional(g, "preset_id", r.presetId());
            g.writeStringField("workspace_id", r.workspaceId());
            if (!r.appCategories().isEmpty()) {
                g.writeArrayFieldStart("app_categories");
                for (String category : r.appCategories()) {
                    g.writeString(category);
                }
                g.writeEndArray();
            }
            g.writeBooleanField("is_byok", r.byok());
            optional(g, "upstream_inference_cost", r.upstreamInferenceCost().map(BigDecimal::toPlainString));
            optional(g, "cache_discount", r.cacheDiscount().map(BigDecimal::toPlainString));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** The record in {@code json} (UTF-8). */
    public static GenerationRecord read(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.read(name, p);
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            return f.record();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IOException("a generation record with a malformed value", e);
        }
    }

    /** The attempts as a JSON array of objects, in order, their fields named as {@code GET /generation} names them. */
    public static void writeAttempts(JsonGenerator g, List<ProviderResponse> attempts) throws IOException {
        g.writeStartArray();
        for (ProviderResponse a : attempts) {
            g.writeStartObject();
            g.writeStringField("provider_slug", a.providerSlug());
            g.writeStringField("provider_name", a.providerName());
            g.writeStringField("model", a.model());
            optional(g, "upstream_id", a.upstreamId());
            g.writeNumberField("status", a.status());
            g.writeNumberField("latency_ms", a.latencyMs());
            optional(g, "error_type", a.errorType());
            optional(g, "left_because", a.leftBecause());
            g.writeBooleanField("billed", a.billed());
            if (a.byok()) {
                g.writeBooleanField("is_byok", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The attempts of an array written by {@link #writeAttempts}, the parser on its {@code START_ARRAY}. */
    public static List<ProviderResponse> readAttempts(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        List<ProviderResponse> attempts = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            attempts.add(attempt(p));
        }
        expect(p.currentToken(), JsonToken.END_ARRAY);
        return attempts;
    }

    /** A parser over {@code json}, for {@link #readAttempts}. */
    public static JsonParser parser(String json) throws IOException {
        return JSON.createParser(json);
    }

    /** A generator writing to {@code out}, for {@link #writeAttempts}. */
    public static JsonGenerator generator(Writer out) throws IOException {
        return JSON.createGenerator(out);
    }

    private static ProviderResponse attempt(JsonParser p) throws IOException {
        String slug = null;
        String name = null;
        String model = null;
        Optional<String> upstreamId = Optional.empty();
        int status = 0;
        long latencyMs = 0;
        Optional<String> errorType = Optional.empty();
        Optional<String> leftBecause = Optional.empty();
        boolean billed = false;
        boolean byok = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "provider_slug" -> slug = text(p);
                case "provider_name" -> name = text(p);
                case "model" -> model = text(p);
                case "upstream_id" -> upstreamId = Optional.of(text(p));
                case "status" -> status = p.getIntValue();
                case "latency_ms" -> latencyMs = p.getLongValue();
                case "error_type" -> errorType = Optional.of(text(p));
                case "left_because" -> leftBecause = Optional.of(text(p));
                case "billed" -> billed = p.getBooleanValue();
                case "is_byok" -> byok = p.getBooleanValue();
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        if (slug == null || name == null || model == null) {
            throw new IOException("an attempt without its provider or model");
        }
        return new ProviderResponse(
                slug, name, model, upstreamId, status, latencyMs, errorType, leftBecause, billed, byok);
    }

    /** The fields of one record as they are read, in any order. */
    private static final class Fields {
        private @Nullable String id;
        private @Nullable Instant createdAt;
        private @Nullable String keyHash;
        private @Nullable String model;
        private @Nullable String providerSlug;
        private @Nullable String providerName;
        private @Nullable String upstreamId;
        private boolean streamed;
        private boolean cancelled;
        private @Nullable String finishReason;
        private @Nullable String nativeFinishReason;
        private long tokensPrompt;
        private long tokensCompletion;
        private long tokensCached;
        private long tokensReasoning;
        private @Nullable BigDecimal cost;
        private long latencyMs;
        private long generationMs;
        private long ttftMs;
        private Optional<String> httpReferer = Optional.empty();
        private Optional<String> appTitle = Optional.empty();
        private Optional<String> user = Optional.empty();
        private int status;
        private Optional<String> errorType = Optional.empty();
        private boolean usageEstimated;
        private List<ProviderResponse> attempts = List.of();
        private Optional<String> presetId = Optional.empty();
        private String workspaceId = GenerationRecord.DEFAULT_WORKSPACE;
        private List<String> appCategories = List.of();
        private boolean byok;
        private Optional<BigDecimal> upstreamInferenceCost = Optional.empty();
        private Optional<BigDecimal> cacheDiscount = Optional.empty();

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "id" -> id = text(p);
                case "created_at" -> createdAt = Instant.parse(text(p));
                case "key_hash" -> keyHash = text(p);
                case "model" -> model = text(p);
                case "provider_slug" -> providerSlug = text(p);
                case "provider_name" -> providerName = text(p);
                case "upstream_id" -> upstreamId = text(p);
                case "streamed" -> streamed = p.getBooleanValue();
                case "cancelled" -> cancelled = p.getBooleanValue();
                case "finish_reason" -> finishReason = text(p);
                case "native_finish_reason" -> nativeFinishReason = text(p);
                case "tokens_prompt" -> tokensPrompt = p.getLongValue();
                case "tokens_completion" -> tokensCompletion = p.getLongValue();
                case "tokens_cached" -> tokensCached = p.getLongValue();
                case "tokens_reasoning" -> tokensReasoning = p.getLongValue();
                case "cost" -> cost = new BigDecimal(text(p));
                case "latency_ms" -> latencyMs = p.getLongValue();
                case "generation_ms" -> generationMs = p.getLongValue();
                case "ttft_ms" -> ttftMs = p.getLongValue();
                case "http_referer" -> httpReferer = Optional.of(text(p));
                case "app_title" -> appTitle = Optional.of(text(p));
                case "user" -> user = Optional.of(text(p));
                case "status" -> status = p.getIntValue();
                case "error_type" -> errorType = Optional.of(text(p));
                case "usage_estimated" -> usageEstimated = p.getBooleanValue();
                case "attempts" -> attempts = readAttempts(p);
                case "preset_id" -> presetId = Optional.of(text(p));
                case "workspace_id" -> workspaceId = text(p);
                case "app_categories" -> appCategories = texts(p);
                case "is_byok" -> byok = p.getBooleanValue();
                case "upstream_inference_cost" -> upstreamInferenceCost = Optional.of(new BigDecimal(text(p)));
                case "cache_discount" -> cacheDiscount = Optional.of(new BigDecimal(text(p)));
                default -> p.skipChildren();
            }
        }

        GenerationRecord record() throws IOException {
            if (id == null
                    || createdAt == null
                    || keyHash == null
                    || model == null
                    || providerSlug == null
                    || providerName == null
                    || upstreamId == null
                    || cost == null) {
                throw new IOException("a generation record without one of its required fields");
            }
            return new GenerationRecord(
                    id,
                    createdAt,
                    keyHash,
                    model,
                    providerSlug,
                    providerName,
                    upstreamId,
                    streamed,
                    cancelled,
                    finishReason,
                    nativeFinishReason,
                    tokensPrompt,
                    tokensCompletion,
                    tokensCached,
                    tokensReasoning,
                    cost,
                    latencyMs,
                    generationMs,
                    ttftMs,
                    httpReferer,
                    appTitle,
                    user,
                    status,
                    errorType,
                    usageEstimated,
                    attempts,
                    presetId,
                    workspaceId,
                    appCategories,
                    byok,
                    upstreamInferenceCost,
                    cacheDiscount);
        }
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    /** The strings of the array the parser is on; anything else is an {@link IOException}. */
    private static List<String> texts(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            values.add(p.getText());
        }
        expect(p.currentToken(), JsonToken.END_ARRAY);
        return values;
    }

    /** The current value as a string; a value of another type is an {@link IOException}. */
    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IOException("expected a string, found " + p.currentToken());
        }
        return p.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
