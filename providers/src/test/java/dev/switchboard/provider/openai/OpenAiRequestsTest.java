package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Endpoint ANY_PARAMETER = endpoint(List.of());
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void rewritesTheModelToTheEndpointsUpstreamName() {
        ObjectNode body = body(request("{\"model\":\"acme/chat\"," + MESSAGES + "}"), ANY_PARAMETER);

        assertThat(body.path("model").asText()).isEqualTo("chat-upstream-v2");
    }

    @Test
    void forwardsMessagesAndUnknownFieldsAsSent() {
        ChatRequest request = request("""
                {"model":"acme/chat","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"name":"bob"}],
                 "max_tokens":12,"vendor_knob":{"depth":3,"list":[1,2]},"simulator":{"ttft_ms":5},"logit_bias":{"50256":-100}}
                """);

        ObjectNode body = body(request, ANY_PARAMETER);

        assertThat(body.path("messages")).isEqualTo(source(request).path("messages"));
        assertThat(body.path("vendor_knob")).isEqualTo(json("{\"depth\":3,\"list\":[1,2]}"));
        assertThat(body.path("simulator").path("ttft_ms").asInt()).isEqualTo(5);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(12);
        assertThat(body.path("logit_bias").path("50256").asInt()).isEqualTo(-100);
    }

    @Test
    void addsNothingTheClientDidNotSend() {
        ObjectNode body = body(request("{\"model\":\"acme/chat\"," + MESSAGES + "}"), ANY_PARAMETER);

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages");
    }

    @Test
    void removesTheGatewaysOwnFields() {
        ChatRequest request = request("{\"model\":\"acme/chat\"," + MESSAGES + """
                ,"models":["acme/other"],"route":"fallback","provider":{"only":["x"]},"plugins":[],"transforms":["middle-out"],
                 "usage":{"include":true},"preset":"p","session_id":"s","debug":{"echo_upstream_body":true},"trace":{},
                 "include_reasoning":true,"reasoning":{"max_tokens":100},"stop_server_tools_when":"x","x_search_filter":{}}
                """);

        ObjectNode body = body(request, ANY_PARAMETER);

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages");
    }

    @Test
    void keepsSamplingParametersWhenTheEndpointDeclaresNoList() {
        ObjectNode body = body(
                request(
                        "{\"model\":\"acme/chat\"," + MESSAGES
                                + ",\"temperature\":0.2,\"top_k\":40,\"seed\":7,\"min_p\":0.1,\"tool_choice\":\"auto\",\"tools\":[]}"),
                ANY_PARAMETER);

        assertThat(fieldNames(body)).contains("temperature", "top_k", "seed", "min_p", "tool_choice", "tools");
    }

    @Test
    void dropsSamplingParametersTheEndpointDoesNotList() {
        Endpoint strict = endpoint(List.of("temperature", "max_tokens"));

        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES
                        + ",\"temperature\":0.2,\"top_k\":40,\"seed\":7,\"tools\":[],\"tool_choice\":\"auto\",\"parallel_tool_calls\":true,"
                        + "\"max_tokens\":9,\"vendor_knob\":1,\"response_format\":{\"type\":\"json_object\"}}"),
                strict);

        assertThat(fieldNames(body))
                .containsExactlyInAnyOrder("model", "messages", "temperature", "max_tokens", "vendor_knob");
    }

    @Test
    void keepsToolChoiceAndParallelCallsWhereverToolsAreSupported() {
        Endpoint tools = endpoint(List.of("tools"));

        ObjectNode body = body(
                request(
                        "{\"model\":\"acme/chat\"," + MESSAGES
                                + ",\"tools\":[],\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"temperature\":1}"),
                tools);

        assertThat(fieldNames(body))
                .containsExactlyInAnyOrder("model", "messages", "tools", "tool_choice", "parallel_tool_calls");
    }

    @Test
    void carriesReasoningEffortAsOpenAisParameter() {
        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"reasoning\":{\"effort\":\"high\"}}"),
                ANY_PARAMETER);

        assertThat(body.has("reasoning")).isFalse();
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
    }

    @Test
    void explicitReasoningEffortWinsOverTheReasoningObject() {
        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES
                        + ",\"reasoning_effort\":\"low\",\"reasoning\":{\"effort\":\"high\"}}"),
                ANY_PARAMETER);

        assertThat(body.path("reasoning_effort").asText()).isEqualTo("low");
    }

    @Test
    void streamAsksForUsage() {
        ObjectNode body = body(request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"stream\":true}"), ANY_PARAMETER);

        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options")).isEqualTo(json("{\"include_usage\":true}"));
    }

    @Test
    void streamKeepsTheClientsOtherStreamOptionsAndOverridesIncludeUsage() {
        ObjectNode body = body(
                request(
                        "{\"model\":\"acme/chat\"," + MESSAGES
                                + ",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_obfuscation\":false}}"),
                ANY_PARAMETER);

        assertThat(body.path("stream_options"))
                .isEqualTo(json("{\"include_usage\":true,\"include_obfuscation\":false}"));
    }

    @Test
    void nonStreamingRequestGetsNoStreamOptions() {
        ObjectNode body = body(request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"stream\":false}"), ANY_PARAMETER);

        assertThat(body.has("stream_options")).isFalse();
    }

    @Test
    void dropsStreamOptionsTheClientSentWithoutAStream() {
        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES
                        + ",\"stream\":false,\"stream_options\":{\"include_usage\":true}}"),
                ANY_PARAMETER);

        assertThat(body.has("stream_options")).isFalse();
    }

    @Test
    void keepsReasoningEffortWhereTheEndpointSupportsReasoning() {
        String client = "{\"model\":\"acme/chat\"," + MESSAGES + ",\"reasoning_effort\":\"low\"}";

        ObjectNode reasoning = body(request(client), endpoint(List.of("max_tokens", "reasoning", "tools")));
        ObjectNode plain = body(request(client), endpoint(List.of("max_tokens", "tools")));

        assertThat(reasoning.path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(plain.has("reasoning_effort"))
                .as("dropped where reasoning is not supported")
                .isFalse();
    }

    @Test
    void forwardsTheTokenLimitFieldsAsSentByDefault() {
        ChatRequest request =
                request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"max_tokens\":9,\"max_completion_tokens\":12}");

        assertThat(body(request, ANY_PARAMETER)).isEqualTo(body(request, ANY_PARAMETER, MaxTokensField.AS_SENT));
        ObjectNode body = body(request, ANY_PARAMETER, MaxTokensField.AS_SENT);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(9);
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void renamesMaxTokensToMaxCompletionTokensWhenTheProviderWantsThat() {
        ChatRequest request = request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"max_tokens\":300}");
        ObjectNode before = source(request).deepCopy();

        ObjectNode body = body(request, ANY_PARAMETER, MaxTokensField.MAX_COMPLETION_TOKENS);

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages", "max_completion_tokens");
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(300);
        assertThat(source(request)).as("the client's body is not modified").isEqualTo(before);
    }

    @Test
    void keepsMaxCompletionTokensWhenTheProviderWantsThat() {
        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"max_completion_tokens\":40}"),
                ANY_PARAMETER,
                MaxTokensField.MAX_COMPLETION_TOKENS);

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages", "max_completion_tokens");
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void configuredTokenLimitFieldWinsWhenTheClientSentBoth() {
        ChatRequest request =
                request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"max_tokens\":9,\"max_completion_tokens\":12}");

        ObjectNode completion = body(request, ANY_PARAMETER, MaxTokensField.MAX_COMPLETION_TOKENS);
        ObjectNode tokens = body(request, ANY_PARAMETER, MaxTokensField.MAX_TOKENS);

        assertThat(fieldNames(completion)).containsExactlyInAnyOrder("model", "messages", "max_completion_tokens");
        assertThat(completion.path("max_completion_tokens").asInt()).isEqualTo(12);
        assertThat(fieldNames(tokens)).containsExactlyInAnyOrder("model", "messages", "max_tokens");
        assertThat(tokens.path("max_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void renamesMaxCompletionTokensToMaxTokensForServersThatKnowOnlyThat() {
        ObjectNode body = body(
                request("{\"model\":\"acme/chat\"," + MESSAGES + ",\"max_completion_tokens\":64}"),
                ANY_PARAMETER,
                MaxTokensField.MAX_TOKENS);

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages", "max_tokens");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void addsNoTokenLimitTheClientDidNotSend() {
        for (MaxTokensField field : MaxTokensField.values()) {
            ObjectNode body = body(request("{\"model\":\"acme/chat\"," + MESSAGES + "}"), ANY_PARAMETER, field);

            assertThat(fieldNames(body)).as(field.configName()).containsExactlyInAnyOrder("model", "messages");
        }
    }

    @Test
    void neverModifiesTheClientsBody() {
        ChatRequest request = request("{\"model\":\"acme/chat\"," + MESSAGES + """
                ,"stream":true,"stream_options":{"include_usage":false,"x":1},"provider":{"order":["a"]},
                 "reasoning":{"effort":"high"},"top_k":3,"tools":[{"type":"function","function":{"name":"f"}}],"vendor":{"a":[1]}}
                """);
        ObjectNode before = source(request).deepCopy();

        ObjectNode body = body(request, endpoint(List.of("temperature")));
        body.put("model", "changed");
        ((ObjectNode) body.path("stream_options")).put("mutated", true);

        assertThat(source(request)).isEqualTo(before);
    }

    private static ChatRequest request(String body) {
        return AdapterCalls.request(body);
    }

    /** The client's body as the request kept it. */
    private static ObjectNode source(ChatRequest request) {
        return request.source()
                .orElseThrow()
                .as(WireFormat.OPENAI_CHAT, ObjectNode.class)
                .orElseThrow();
    }

    private static ObjectNode body(ChatRequest request, Endpoint endpoint) {
        return OpenAiRequests.body(source(request), request.stream(), endpoint);
    }

    private static ObjectNode body(ChatRequest request, Endpoint endpoint, MaxTokensField field) {
        return OpenAiRequests.body(source(request), request.stream(), endpoint, field);
    }

    private static Endpoint endpoint(List<String> supportedParameters) {
        return new Endpoint(
                "acme-cloud",
                "chat-upstream-v2",
                Pricing.of("0.000001", "0.000002"),
                8192,
                0,
                "unknown",
                supportedParameters);
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
