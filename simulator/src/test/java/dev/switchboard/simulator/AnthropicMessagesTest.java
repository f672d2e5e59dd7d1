package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks the simulator's {@code /v1/messages} makes, as Anthropic makes them, each answered in Anthropic's error envelope. */
class AnthropicMessagesTest {
    private static UpstreamSimulator simulator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        simulator = UpstreamSimulator.start(SimulatorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no max_tokens|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "an OpenAI field|{\"model\":\"m\",\"max_tokens\":5,\"stream_options\":{},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "two user turns|{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}",
                "a system role|{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"a\"}]}",
                "an empty text block|{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"}]}]}",
                "an unanswered tool use|{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},{\"role\":\"user\",\"content\":\"b\"}]}",
                "a forged thinking signature|{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}]},{\"role\":\"user\",\"content\":\"b\"}]}",
                "a budget above max_tokens|{\"model\":\"m\",\"max_tokens\":1500,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
                "a blank stop sequence|{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[\" \"],\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"
            })
    void refusesWhatAnthropicRefuses(String what, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(body, true);

        assertThat(response.statusCode()).as(what).isEqualTo(400);
        JsonNode error = SimulatorClient.json(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"true,200", "false,401"})
    void wantsAnApiKey(boolean withKey, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = post(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}", withKey);

        assertThat(response.statusCode()).isEqualTo(status);
    }

    private static HttpResponse<String> post(String body, boolean withKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.rootUrl() + "/v1/messages"))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withKey) {
            request.header("x-api-key", "sk-ant-test");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
