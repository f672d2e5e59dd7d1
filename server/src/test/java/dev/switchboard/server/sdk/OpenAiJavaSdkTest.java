package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.CompletionUsage;
import dev.switchboard.server.testing.GatewayHarness;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) against a real gateway, used exactly as
 * an application would, with the SDK's strict response validation on: answers, streams through
 * keep-alive comments, tool calls, errors as the SDK's typed exceptions, and every base-URL spelling a
 * user is likely to configure.
 */
class OpenAiJavaSdkTest {
    private static GatewayHarness gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
        client = client(gateway.baseUrl().toString(), gateway.apiKey());
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    /** No retries: a 5xx must surface at once, and a retry would hide a second request from the assertions. */
    private static OpenAIClient client(String baseUrl, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(key)
                .maxRetries(0)
                .responseValidation(true)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String prompt, long maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage(prompt)
                .maxCompletionTokens(maxTokens);
    }

    @Test
    void fallsBackThroughAModelsListSentAsAnExtraBodyField() {
        // the SDK needs a model; OpenRouter's docs put the fallbacks next to it, in extra body fields
        ChatCompletion completion = client.chat()
                .completions()
                .create(ask("acme/offline", "Say hello", 5)
                        .putAdditionalBodyProperty("models", JsonValue.from(List.of("acme/chat-small")))
                        .putAdditionalBodyProperty(
                                "provider", JsonValue.from(java.util.Map.of("sort", "price", "allow_fallbacks", true)))
                        .build());

        assertThat(completion.model()).as("the model that answered").isEqualTo("acme/chat-small");
        assertThat(completion.choices().getFirst().message().content()).isPresent();
    }

    @Test
    void servesTheNitroVariantOfAModel() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ask("acme/chat-small:nitro", "Say hello", 3).build());

        assertThat(completion.model()).isEqualTo("acme/chat-small");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
    }

    @Test
    void namesAPresetAsTheModelAndGetsItsSettingsAndSystemPrompt() {
        HttpResponse<String> created =
                gateway.send("POST", "/presets/sdk-terse/chat/completions", GatewayHarness.ADMIN_KEY, """
                {"model":"acme/chat-small","temperature":0.2,
                 "messages":[{"role":"system","content":"Be terse."}]}
                """, Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        ChatCompletion completion = client.chat()
                .completions()
                .create(ask("@preset/sdk-terse", "Say hello", 4).build());

        assertThat(completion.model()).as("the preset's model answered").isEqualTo("acme/chat-small");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
        JsonNode sent = gateway.simulator().stats().lastRequestBody().orElseThrow();
        assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.2");
        assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Be terse.");
        assertThat(sent.path("messages").path(1).path("content").asText()).isEqualTo("Say hello");
    }

    @Test
    // OpenRouter's fields (cost, provider) are not in the SDK's typed model: a client reads them from its
    // extension map, an API the SDK marks deprecated and returns untyped
    @SuppressWarnings({"deprecation", "unchecked"})
    void readsANonStreamingAnswer() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ask("acme/chat-small", "Say hello", 5).build());

        assertThat(completion.id()).startsWith("gen-");
        assertThat(completion.model()).isEqualTo("acme/chat-small");
        assertThat(completion.choices()).hasSize(1);
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content())
                .hasValueSatisfying(text -> assertThat(text.split(" ")).hasSize(5));
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(5);
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + 5);
        // OpenRouter's extensions arrive as the SDK's additional properties.
        BigDecimal expectedCost = new BigDecimal("0.0000005")
                .multiply(BigDecimal.valueOf(usage.promptTokens()))
                .add(new BigDecimal("0.0000015").multiply(BigDecimal.valueOf(5)));
        assertThat(usage._additionalProperties().get("cost").convert(BigDecimal.class))
                .isEqualByComparingTo(expectedCost);
        assertThat(completion._additionalProperties().get("provider").asString())
                .contains("Mock Cloud");
    }

    @Test
    void streamsDeltasAndGetsTheUsageOnTheLastChunkThroughKeepAliveComments() {
        ChatCompletionCreateParams params = ask("acme/chat-small", "Tell me something", 4)
                .putAdditionalBodyProperty("simulator", JsonValue.from(Map.of("ttft_ms", 700)))
                .build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks).hasSizeGreaterThan(2);
        String text = chunks.stream()
                .flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse(""))
                .reduce("", String::concat);
        assertThat(text.split(" ")).hasSize(4);
        assertThat(chunks.stream().map(ChatCompletionChunk::id).distinct()).hasSize(1);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage())
                .hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(4));
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(chunks.get(chunks.size() - 2).choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.LENGTH);
    }

    @Test
    void readsAToolCall() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("acme/chat-small")
                        .addUserMessage("What is the weather in Oslo?")
                        .addTool(weatherTool())
                        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                        .build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call =
                choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).isNotBlank();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(GatewayHarness.json(call.function().arguments()).has("city")).isTrue();
    }

    @Test
    void assemblesAStreamedToolCall() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("acme/chat-small")
                .addUserMessage("What is the weather in Oslo?")
                .addTool(weatherTool())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion completion = accumulator.chatCompletion();
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call =
                choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode arguments = GatewayHarness.json(call.function().arguments());
        assertThat(arguments.path("city").isTextual()).isTrue();
        assertThat(completion.usage()).isPresent();
    }

    @Test
    void surfacesAnUnknownModelAsBadRequest() {
        BadRequestException e = catchThrowableOfType(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ask("acme/no-such-model", "hi", 2).build()));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.getMessage()).contains("acme/no-such-model");
        assertThat(e.body().toString()).contains("model_not_found");
    }

    @Test
    void surfacesABadKeyAsUnauthorized() {
        OpenAIClient stranger = client(gateway.baseUrl().toString(), "sk-sb-v1-not-a-key");
        try {
            UnauthorizedException e = catchThrowableOfType(
                    UnauthorizedException.class,
                    () -> stranger.chat()
                            .completions()
                            .create(ask("acme/chat-small", "hi", 2).build()));

            assertThat(e.statusCode()).isEqualTo(401);
        } finally {
            stranger.close();
        }
    }

    @Test
    void surfacesAManagementKeyUsedForInferenceAsPermissionDenied() {
        OpenAIClient admin = client(gateway.baseUrl().toString(), GatewayHarness.ADMIN_KEY);
        try {
            PermissionDeniedException e = catchThrowableOfType(
                    PermissionDeniedException.class,
                    () -> admin.chat()
                            .completions()
                            .create(ask("acme/chat-small", "hi", 2).build()));

            assertThat(e.statusCode()).isEqualTo(403);
        } finally {
            admin.close();
        }
    }

    @Test
    void surfacesNoMatchingEndpointAsNotFound() {
        ChatCompletionCreateParams params = ask("acme/chat-small", "hi", 2)
                .putAdditionalBodyProperty("provider", JsonValue.from(Map.of("only", List.of("nobody"))))
                .build();

        NotFoundException e = catchThrowableOfType(
                NotFoundException.class, () -> client.chat().completions().create(params));

        assertThat(e.statusCode()).isEqualTo(404);
    }

    @Test
    void surfacesAnUnreachableProviderAsBadGateway() {
        InternalServerException e = catchThrowableOfType(
                InternalServerException.class,
                () -> client.chat()
                        .completions()
                        .create(ask("acme/offline", "hi", 2).build()));

        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.body().toString()).doesNotContain("127.0.0.1");
    }

    @Test
    void surfacesAnUnavailableProviderAsServiceUnavailable() {
        InternalServerException e = catchThrowableOfType(
                InternalServerException.class,
                () -> client.chat()
                        .completions()
                        .create(ask("acme/locked", "hi", 2).build()));

        assertThat(e.statusCode()).isEqualTo(503);
    }

    @Test
    void surfacesAStreamErrorBeforeTheFirstTokenWithItsStatus() {
        ChatCompletionCreateParams params = ask("acme/offline", "hi", 2).build();

        assertThatThrownBy(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream =
                            client.chat().completions().createStreaming(params)) {
                        stream.stream().forEach(chunk -> {});
                    }
                })
                .isInstanceOfSatisfying(
                        InternalServerException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(502));
    }

    @Test
    void surfacesAnInBandStreamErrorAsAnSseException() {
        ChatCompletionCreateParams params = ask("acme/chat-small", "hi", 10)
                .putAdditionalBodyProperty(
                        "simulator", JsonValue.from(Map.of("fault", "reset_mid_stream", "fault_after_tokens", 2)))
                .build();
        List<String> received = new ArrayList<>();

        assertThatThrownBy(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream =
                            client.chat().completions().createStreaming(params)) {
                        stream.stream()
                                .forEach(c -> c.choices()
                                        .forEach(choice ->
                                                choice.delta().content().ifPresent(received::add)));
                    }
                })
                .isInstanceOf(SseException.class)
                .isInstanceOf(OpenAIServiceException.class);
        assertThat(String.join("", received)).isNotBlank();
    }

    @Test
    void worksWithEveryBaseUrlSpelling() {
        String root = "http://127.0.0.1:" + gateway.gateway().port();
        for (String baseUrl : List.of(root + "/api/v1/", root + "/v1", root + "/v1/")) {
            OpenAIClient other = client(baseUrl, gateway.apiKey());
            try {
                ChatCompletion completion = other.chat()
                        .completions()
                        .create(ask("acme/chat-small", "hi", 2).build());
                assertThat(completion.usage().orElseThrow().completionTokens())
                        .as(baseUrl)
                        .isEqualTo(2);

                List<ChatCompletionChunk> chunks = new ArrayList<>();
                try (StreamResponse<ChatCompletionChunk> stream = other.chat()
                        .completions()
                        .createStreaming(ask("acme/chat-small", "hi", 2).build())) {
                    stream.stream().forEach(chunks::add);
                }
                assertThat(chunks.getLast().usage()).as(baseUrl).isPresent();
            } finally {
                other.close();
            }
        }
    }

    private static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Current weather in a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
    }
}
