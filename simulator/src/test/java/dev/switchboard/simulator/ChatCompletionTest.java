package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionTest {

    private static UpstreamSimulator simulator;
    private static SimulatorClient client;

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
        client = new SimulatorClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void answersWithTheOpenAiCompletionShape() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> response = client.post(chat("Hello there"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-simulator")).hasValue("switchboard");
        JsonNode body = json(response.body());
        assertThat(body.fieldNames())
                .toIterable()
                .containsExactly("id", "object", "created", "model", "system_fingerprint", "choices", "usage");
        assertThat(body.path("id").asText()).startsWith("chatcmpl-sim-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong())
                .isBetween(before, Instant.now().getEpochSecond());
        assertThat(body.path("model").asText()).isEqualTo("sim-small");
        assertThat(body.path("system_fingerprint").asText()).isEqualTo("fp_simulator");
        JsonNode choice = body.path("choices").get(0);
        assertThat(body.path("choices")).hasSize(1);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("refusal").isNull()).isTrue();
        assertThat(choice.path("logprobs").isNull()).isTrue();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void countsOneCompletionTokenPerWordAndPromptTokensAsCharactersOverFour() throws Exception {
        ObjectNode request = chat("abcdefghi"); // 9 characters
        request.withArray("messages").addObject().put("role", "assistant").put("content", "xyz"); // 3 more
        JsonNode body = json(client.post(request).body());

        String content =
                body.path("choices").get(0).path("message").path("content").asText();
        assertThat(content.split(" ")).hasSize(16);
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(3); // ceil(12 / 4)
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(16);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(19);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt())
                .isZero();
        assertThat(usage.path("completion_tokens_details")
                        .path("reasoning_tokens")
                        .asInt())
                .isZero();
    }

    @Test
    void countsAtLeastOnePromptTokenAndReadsTextContentParts() throws Exception {
        ObjectNode request = chat("");
        request.withArray("messages")
                .addObject()
                .put("role", "user")
                .putArray("content")
                .addObject()
                .put("type", "text")
                .put("text", "12345");
        JsonNode usage = json(client.post(request).body()).path("usage");

        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(2); // ceil(5 / 4)
        assertThat(json(client.post(chat("")).body())
                        .path("usage")
                        .path("prompt_tokens")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void answersEqualRequestsWithEqualContent() throws Exception {
        assertThat(content(client.post(chat("same question")))).isEqualTo(content(client.post(chat("same question"))));
    }

    @Test
    void answersDifferentlyForAnotherSeedOrAnotherPrompt() throws Exception {
        String base = content(client.post(chat("same question")));
        ObjectNode reseeded = chat("same question");
        reseeded.putObject("simulator").put("seed", 7);

        assertThat(content(client.post(reseeded))).isNotEqualTo(base);
        assertThat(content(client.post(chat("another question")))).isNotEqualTo(base);
    }

    @Test
    void stopsAtMaxTokensWithFinishReasonLength() throws Exception {
        ObjectNode request = chat("cap me");
        request.put("max_tokens", 5);
        JsonNode body = json(client.post(request).body());

        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(content(body).split(" ")).hasSize(5);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void prefersMaxCompletionTokensOverMaxTokens() throws Exception {
        ObjectNode request = chat("cap me");
        request.put("max_tokens", 5).put("max_completion_tokens", 3);

        assertThat(content(json(client.post(request).body())).split(" ")).hasSize(3);
    }

    @Test
    void finishesWithStopWhenTheCapIsNotReached() throws Exception {
        ObjectNode request = chat("roomy");
        request.put("max_tokens", 100);
        JsonNode body = json(client.post(request).body());

        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(16);
    }

    @Test
    void billsHiddenReasoningTokensForReasoningModels() throws Exception {
        ObjectNode request = chat("think");
        request.put("model", "sim-reasoning");
        JsonNode body = json(client.post(request).body());

        assertThat(content(body).split(" ")).hasSize(16);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(16 + 8);
        assertThat(body.path("usage")
                        .path("completion_tokens_details")
                        .path("reasoning_tokens")
                        .asInt())
                .isEqualTo(8);
    }

    @Test
    void takesOutputAndReasoningLengthsFromControls() throws Exception {
        ObjectNode request = chat("think harder");
        request.put("model", "anything-goes");
        request.putObject("simulator").put("output_tokens", 4).put("reasoning_tokens", 6);
        JsonNode body = json(client.post(request).body());

        assertThat(body.path("model").asText()).isEqualTo("anything-goes");
        assertThat(content(body).split(" ")).hasSize(4);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(10);
        assertThat(body.path("usage")
                        .path("completion_tokens_details")
                        .path("reasoning_tokens")
                        .asInt())
                .isEqualTo(6);
    }

    @Test
    void acceptsBodiesOfSeveralMegabytes() throws Exception {
        HttpResponse<String> response = client.post(chat("x".repeat(4 * 1024 * 1024)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).path("usage").path("prompt_tokens").asInt())
                .isEqualTo(1024 * 1024);
    }

    @Test
    void rejectsBadJsonWithAnOpenAiError() throws Exception {
        HttpResponse<String> response = client.post("{\"model\": \"sim-small\", \"messages\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("code").isNull()).isTrue();
        assertThat(error.path("message").asText()).doesNotContain("sim-small");
    }

    @Test
    void rejectsARequestWithoutMessages() throws Exception {
        HttpResponse<String> response = client.post("{\"model\": \"sim-small\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("messages");
    }

    @Test
    void rejectsAnInvalidControlNamingIt() throws Exception {
        ObjectNode request = chat("hi");
        request.putObject("simulator").put("fault", "meteor_strike");
        HttpResponse<String> response = client.post(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText())
                .contains("fault", "X-Sim-Fault", "reset_mid_stream");
    }

    @Test
    void listsTheSimulatedModels() throws Exception {
        HttpResponse<String> response = client.get("/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-simulator")).hasValue("switchboard");
        JsonNode body = json(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly("sim-small", "sim-large", "sim-reasoning");
        assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
    }

    private static String content(HttpResponse<String> response) {
        return content(json(response.body()));
    }

    private static String content(JsonNode body) {
        return body.path("choices").get(0).path("message").path("content").asText();
    }
}
