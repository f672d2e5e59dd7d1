package dev.switchboard.core.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GenerationRecordJsonTest {
    static final GenerationRecord FULL = new GenerationRecord(
            "gen-full",
            Instant.parse("2025-03-19T12:34:56.123456789Z"),
            "k".repeat(64),
            "acme/chat-priced",
            "mock",
            "Mock \"Cloud\" \u00e9\u4e2d",
            "chatcmpl-abc",
            true,
            true,
            "length",
            "max_tokens",
            1200,
            345,
            1024,
            64,
            new BigDecimal("0.001234567890123456789000"),
            1500,
            1400,
            100,
            Optional.of("https://app.example/\u0000x"),
            Optional.of("My App \ud83d\ude80"),
            Optional.of("user-42"),
            200,
            Optional.of("timeout"),
            true,
            List.of(
                    new ProviderResponse(
                            "down",
                            "Down",
                            "acme/chat-priced",
                            Optional.empty(),
                            503,
                            12,
                            Optional.of("provider_error"),
                            Optional.of("provider_5xx"),
                            false),
                    new ProviderResponse(
                            "mock",
                            "Mock",
                            "acme/chat-priced",
                            Optional.of("chatcmpl-abc"),
                            200,
                            1488,
                            Optional.empty(),
                            true)),
            Optional.of("650e8400-e29b-41d4-a716-446655440001"),
            "ws-7",
            List.of("cli-agent", "programming-app"),
            true,
            Optional.of(new BigDecimal("0.00123000")),
            Optional.of(new BigDecimal("-0.000375")));
    static final GenerationRecord EMPTY = new GenerationRecord(
            "gen-failed",
            Instant.parse("2025-03-19T12:00:00Z"),
            "k",
            "acme/x",
            "",
            "",
            "",
            false,
            false,
            null,
            null,
            0,
            0,
            0,
            0,
            BigDecimal.ZERO,
            3,
            0,
            -1,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            400,
            Optional.of("invalid_request"),
            false,
            List.of());

    @Test
    void everyFieldRoundTripsExactly() throws IOException {
        for (GenerationRecord record : List.of(FULL, EMPTY)) {
            GenerationRecord back = GenerationRecordJson.read(GenerationRecordJson.write(record));

            assertThat(back).isEqualTo(record);
            assertThat(back.cost().scale()).isEqualTo(record.cost().scale());
        }
    }

    @Test
    void aRecordOfAnEarlierVersionIsInTheDefaultWorkspaceWithoutCategoriesBYOKOrDiscount() throws IOException {
        String json = new String(GenerationRecordJson.write(EMPTY), StandardCharsets.UTF_8);
        String earlier = json.replace(",\"workspace_id\":\"default\",\"is_byok\":false", "");
        assertThat(earlier).doesNotContain("workspace_id").doesNotContain("is_byok");

        GenerationRecord back = GenerationRecordJson.read(earlier.getBytes(StandardCharsets.UTF_8));

        assertThat(back).isEqualTo(EMPTY);
        assertThat(back.workspaceId()).isEqualTo("default");
    }

    @Test
    void fieldsOfALaterVersionAreSkipped() throws IOException {
        String json = new String(GenerationRecordJson.write(EMPTY), StandardCharsets.UTF_8);
        String later = json.replace("{\"id\"", "{\"later\":{\"nested\":[1,{\"x\":2}]},\"id\"");

        assertThat(GenerationRecordJson.read(later.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EMPTY);
    }

    @Test
    void aRecordWithoutARequiredFieldOrWithAWrongTypeIsRefused() {
        String json = new String(GenerationRecordJson.write(EMPTY), StandardCharsets.UTF_8);
        for (String damaged : List.of(
                json.replace("\"cost\":\"0\",", ""),
                json.replace("\"status\":400", "\"status\":\"x\""),
                json.replace("\"created_at\":\"2025-03-19T12:00:00Z\"", "\"created_at\":\"yesterday\""),
                json.replace("\"cost\":\"0\"", "\"cost\":\"zero\""),
                json.substring(0, json.length() - 1),
                "[]",
                "")) {
            assertThatThrownBy(() -> GenerationRecordJson.read(damaged.getBytes(StandardCharsets.UTF_8)))
                    .as(damaged)
                    .isInstanceOf(IOException.class);
        }
    }
}
