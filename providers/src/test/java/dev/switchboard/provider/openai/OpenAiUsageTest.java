package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.model.response.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class OpenAiUsageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsOpenAisUsageWithDetails() {
        JsonNode usage = json("""
                {"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                 "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":128,"audio_tokens":0}}
                """);

        assertThat(OpenAiUsage.parse(usage)).contains(new TokenUsage(1200, 300, 1024, 0, 128));
    }

    @Test
    void readsCacheWritesReportedByCompatibleServers() {
        assertThat(
                        OpenAiUsage.parse(
                                json(
                                        "{\"prompt_tokens\":100,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cache_write_tokens\":60}}")))
                .contains(new TokenUsage(100, 1, 0, 60, 0));
    }

    @Test
    void missingDetailsCountAsZero() {
        assertThat(OpenAiUsage.parse(json("{\"prompt_tokens\":5,\"completion_tokens\":7}")))
                .contains(new TokenUsage(5, 7, 0, 0, 0));
        assertThat(OpenAiUsage.parse(json("{}"))).contains(TokenUsage.ZERO);
        assertThat(OpenAiUsage.parse(
                        json("{\"prompt_tokens\":5,\"completion_tokens\":7,\"prompt_tokens_details\":null}")))
                .contains(new TokenUsage(5, 7, 0, 0, 0));
    }

    @Test
    void absentOrNonObjectUsageIsNoUsage() {
        assertThat(OpenAiUsage.parse(null)).isEmpty();
        assertThat(OpenAiUsage.parse(json("{\"u\":null}").get("u"))).isEmpty();
        assertThat(OpenAiUsage.parse(json("{\"u\":42}").get("u"))).isEmpty();
        assertThat(OpenAiUsage.parse(json("{\"u\":[1]}").get("u"))).isEmpty();
    }

    @Test
    void clampsImpossibleCountsInsteadOfFailing() {
        JsonNode usage = json("""
                {"prompt_tokens":10,"completion_tokens":-3,
                 "prompt_tokens_details":{"cached_tokens":50},"completion_tokens_details":{"reasoning_tokens":9}}
                """);

        assertThat(OpenAiUsage.parse(usage)).contains(new TokenUsage(10, 0, 10, 0, 0));
    }

    @Test
    void ignoresCountsThatAreNotNumbers() {
        assertThat(OpenAiUsage.parse(json("{\"prompt_tokens\":\"12\",\"completion_tokens\":true}")))
                .contains(TokenUsage.ZERO);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
