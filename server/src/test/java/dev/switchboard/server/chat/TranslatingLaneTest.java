package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The translating lane end to end: with {@code upstream.native_relay: false}, a request is written for
 * the provider from the canonical model and the answer from the canonical events, and the client gets
 * what the pass-through lane gives it for the same request (the simulator answers both alike).
 */
class TranslatingLaneTest {
    private static GatewayHarness translating;
    private static GatewayHarness passThrough;

    @BeforeAll
    static void start() {
        translating = GatewayHarness.start(Map.of(), "upstream:\n  native_relay: false\n");
        passThrough = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        translating.close();
        passThrough.close();
    }

    @ParameterizedTest(name = "tool_call={0}")
    @ValueSource(booleans = {false, true})
    void aWholeAnswerIsTheSameOnBothLanes(boolean toolCall) {
        JsonNode translated = GatewayHarness.json(answer(translating, toolCall));
        JsonNode passed = GatewayHarness.json(answer(passThrough, toolCall));

        JsonNode a = translated.path("choices").path(0);
        JsonNode b = passed.path("choices").path(0);
        assertThat(a.path("message").path("content"))
                .isEqualTo(b.path("message").path("content"));
        assertThat(a.path("finish_reason")).isEqualTo(b.path("finish_reason"));
        assertThat(a.path("message").path("tool_calls").size())
                .isEqualTo(b.path("message").path("tool_calls").size());
        assertThat(a.path("message").path("tool_calls").path(0).path("function"))
                .isEqualTo(b.path("message").path("tool_calls").path(0).path("function"));
        assertThat(translated.path("usage")).isEqualTo(passed.path("usage"));
        assertThat(translated.path("provider").asText()).isEqualTo("Mock Cloud");
        assertThat(translated.path("model").asText()).isEqualTo(GatewayHarness.MODEL);
    }

    @ParameterizedTest(name = "tool_call={0}")
    @ValueSource(booleans = {false, true})
    void aStreamSaysTheSameOnBothLanes(boolean toolCall) {
        StreamedResponse translated = translating.stream(body(true, toolCall), Map.of());
        StreamedResponse passed = passThrough.stream(body(true, toolCall), Map.of());

        assertThat(translated.status()).isEqualTo(200);
        assertThat(translated.dataLines().getLast()).isEqualTo("data: [DONE]");
        assertThat(text(translated.chunks())).isEqualTo(text(passed.chunks()));
        assertThat(arguments(translated.chunks())).isEqualTo(arguments(passed.chunks()));
        assertThat(translated.chunks().getLast().path("usage"))
                .isEqualTo(passed.chunks().getLast().path("usage"));
        assertThat(translated.chunks())
                .allSatisfy(c -> assertThat(c.path("id").asText()).startsWith("gen-"));
    }

    private static HttpResponse<String> answer(GatewayHarness gateway, boolean toolCall) {
        HttpResponse<String> response = gateway.post("/chat/completions", body(false, toolCall));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String body(boolean stream, boolean toolCall) {
        return "{\"model\":\"" + GatewayHarness.MODEL + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + (toolCall
                        ? "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
                        : "")
                + "\"simulator\":{\"output_tokens\":8,\"seed\":3" + (toolCall ? ",\"tool_call\":true" : "") + "}}";
    }

    private static String text(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(
                c.path("choices").path(0).path("delta").path("content").asText("")));
        return text.toString();
    }

    private static String arguments(List<JsonNode> chunks) {
        StringBuilder arguments = new StringBuilder();
        chunks.forEach(c -> c.path("choices")
                .path(0)
                .path("delta")
                .path("tool_calls")
                .forEach(call ->
                        arguments.append(call.path("function").path("arguments").asText(""))));
        return arguments.toString();
    }
}
