package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimulatorClient.chat;
import static dev.switchboard.simulator.SimulatorClient.events;
import static dev.switchboard.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolCallTest {

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
    void callsTheFirstToolWhenToolChoiceIsRequired() throws Exception {
        ObjectNode request = withTools(chat("weather in Oslo?"));
        request.put("tool_choice", "required");
        JsonNode choice = json(client.post(request).body()).path("choices").get(0);

        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode message = choice.path("message");
        assertThat(message.path("content").isNull()).isTrue();
        JsonNode call = message.path("tool_calls").get(0);
        assertThat(message.path("tool_calls")).hasSize(1);
        assertThat(call.path("id").asText()).startsWith("call_sim_");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        JsonNode arguments = json(call.path("function").path("arguments").asText());
        assertThat(arguments.fieldNames()).toIterable().containsExactly("city", "days", "unit");
        assertThat(arguments.path("city").isTextual()).isTrue();
        assertThat(arguments.path("days").isInt()).isTrue();
        assertThat(arguments.path("unit").asText()).isEqualTo("celsius");
    }

    @Test
    void callsTheFunctionToolChoiceNames() throws Exception {
        ObjectNode request = withTools(chat("what time is it?"));
        request.putObject("tool_choice")
                .put("type", "function")
                .putObject("function")
                .put("name", "get_time");
        JsonNode call = json(client.post(request).body())
                .path("choices")
                .get(0)
                .path("message")
                .path("tool_calls")
                .get(0);

        assertThat(call.path("function").path("name").asText()).isEqualTo("get_time");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{}");
    }

    @Test
    void answersWithTextWhenToolChoiceIsAutoUnlessAControlAsksForACall() throws Exception {
        ObjectNode auto = withTools(chat("maybe a tool?"));
        auto.put("tool_choice", "auto");
        assertThat(json(client.post(auto).body())
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("stop");

        auto.putObject("simulator").put("tool_call", true);
        assertThat(json(client.post(auto).body())
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("tool_calls");
    }

    @Test
    void streamsAToolCallAsOpenAiDoes() throws Exception {
        ObjectNode request = withTools(chat("weather in Oslo?"));
        request.put("tool_choice", "required").put("stream", true);
        request.putObject("stream_options").put("include_usage", true);
        List<String> events = events(client.post(request).body());

        JsonNode first = delta(json(events.get(0)));
        assertThat(first.path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("content").isNull()).isTrue();
        JsonNode header = first.path("tool_calls").get(0);
        assertThat(header.fieldNames()).toIterable().containsExactly("index", "id", "type", "function");
        assertThat(header.path("id").asText()).startsWith("call_sim_");
        assertThat(header.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(header.path("function").path("arguments").asText()).isEmpty();

        int fragments = events.size() - 4; // opening, finish, usage, [DONE]
        StringBuilder arguments = new StringBuilder();
        for (String event : events.subList(1, 1 + fragments)) {
            JsonNode call = delta(json(event)).path("tool_calls").get(0);
            assertThat(call.fieldNames()).toIterable().containsExactly("index", "function");
            arguments.append(call.path("function").path("arguments").asText());
        }
        assertThat(fragments).isGreaterThan(1);
        assertThat(json(arguments.toString()).has("city")).isTrue();
        JsonNode finish = json(events.get(1 + fragments));
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(json(events.get(2 + fragments))
                        .path("usage")
                        .path("completion_tokens")
                        .asInt())
                .isEqualTo(fragments);
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    }

    private static ObjectNode withTools(ObjectNode request) {
        ObjectNode weather =
                request.putArray("tools").addObject().put("type", "function").putObject("function");
        weather.put("name", "get_weather");
        ObjectNode properties =
                weather.putObject("parameters").put("type", "object").putObject("properties");
        properties.putObject("city").put("type", "string");
        properties.putObject("days").put("type", "integer");
        properties
                .putObject("unit")
                .put("type", "string")
                .putArray("enum")
                .add("celsius")
                .add("fahrenheit");
        request.withArray("tools")
                .addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", "get_time")
                .putObject("parameters")
                .put("type", "object");
        return request;
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.path("choices").get(0).path("delta");
    }
}
