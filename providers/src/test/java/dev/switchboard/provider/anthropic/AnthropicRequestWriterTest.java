package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.AnthropicCalls.endpoint;
import static dev.switchboard.provider.anthropic.AnthropicCalls.json;
import static dev.switchboard.provider.anthropic.AnthropicCalls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Golden request bodies: what the adapter sends to {@code POST /v1/messages} for each kind of request. */
class AnthropicRequestWriterTest {
    private static final Endpoint UNCAPPED = endpoint("claude-sim", 0);

    @Test
    void writesAPlainRequestWithItsOutputLimitAlwaysSet() {
        String hello = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";

        assertThat(sent("{\"model\":\"acme/claude\"," + hello + "}", UNCAPPED))
                .isEqualTo(json("{\"model\":\"claude-sim\",\"max_tokens\":4096," + hello + "}"));
        assertThat(sent("{\"model\":\"acme/claude\"," + hello + "}", endpoint("claude-sim", 64000))
                        .path("max_tokens")
                        .asLong())
                .as("the endpoint's output cap")
                .isEqualTo(64000);
        assertThat(sent("{\"model\":\"acme/claude\",\"max_completion_tokens\":300," + hello + "}", UNCAPPED)
                        .path("max_tokens")
                        .asLong())
                .isEqualTo(300);
    }

    @Test
    void hoistsSystemAndDeveloperMessagesIntoSystemBlocks() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[
                  {"role":"system","content":"Be brief"},
                  {"role":"user","content":"Hi"},
                  {"role":"developer","content":[{"type":"text","text":"Use French","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"Salut"},
                  {"role":"user","content":"Again"}]}
                """, UNCAPPED);

        assertThat(body.get("system")).isEqualTo(json("""
                        [{"type":"text","text":"Be brief"},
                         {"type":"text","text":"Use French","cache_control":{"type":"ephemeral"}}]
                        """));
        assertThat(body.get("messages")).isEqualTo(json("""
                        [{"role":"user","content":"Hi"},{"role":"assistant","content":"Salut"},
                         {"role":"user","content":"Again"}]
                        """));
    }

    @Test
    void mergesConsecutiveTurnsOfOneRole() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[
                  {"role":"user","content":"a"},{"role":"user","content":"b"},
                  {"role":"assistant","content":"c"},{"role":"assistant","content":"d"},
                  {"role":"user","content":"e"}]}
                """, UNCAPPED);

        assertThat(body.get("messages")).isEqualTo(json("""
                        [{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
                         {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]},
                         {"role":"user","content":"e"}]
                        """));
    }

    @Test
    void aTurnWithNothingToSendDoesNotSplitTheTurnsAroundIt() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[
                  {"role":"user","content":"a"},
                  {"role":"assistant","content":"","reasoning":"unsigned thoughts"},
                  {"role":"user","content":"b"}]}
                """, UNCAPPED);

        assertThat(body.get("messages")).isEqualTo(json("""
                        [{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]
                        """));
    }

    @Test
    void sendsImagesByUrlAndInlineAndPdfsAsDocuments() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[{"role":"user","content":[
                  {"type":"text","text":"What are these?"},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"image_url","image_url":{"url":"data:application/pdf;base64,JVBERi0x"}},
                  {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0y"},
                   "cache_control":{"type":"ephemeral","ttl":"1h"}}]}]}
                """, UNCAPPED);

        assertThat(body.path("messages").get(0).get("content")).isEqualTo(json("""
                        [{"type":"text","text":"What are these?"},
                         {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
                         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                         {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}},
                         {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0y"},
                          "title":"report.pdf","cache_control":{"type":"ephemeral","ttl":"1h"}}]
                        """));
    }

    @Test
    void writesToolsAndEachToolChoice() {
        String tools = """
                "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                 {"type":"function","function":{"name":"now"},"cache_control":{"type":"ephemeral"}}]
                """;
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

        JsonNode body = sent("{\"model\":\"acme/claude\"," + hi + "," + tools + "}", UNCAPPED);

        assertThat(body.get("tools")).isEqualTo(json("""
                        [{"name":"get_weather","description":"Weather now",
                          "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                         {"name":"now","input_schema":{"type":"object","properties":{}},"cache_control":{"type":"ephemeral"}}]
                        """));
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(toolChoice(hi, tools, "\"tool_choice\":\"auto\"")).isEqualTo(json("{\"type\":\"auto\"}"));
        assertThat(toolChoice(hi, tools, "\"tool_choice\":\"required\"")).isEqualTo(json("{\"type\":\"any\"}"));
        assertThat(toolChoice(hi, tools, "\"tool_choice\":\"none\"")).isEqualTo(json("{\"type\":\"none\"}"));
        assertThat(toolChoice(hi, tools, "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"now\"}}"))
                .isEqualTo(json("{\"type\":\"tool\",\"name\":\"now\"}"));
        assertThat(toolChoice(hi, tools, "\"parallel_tool_calls\":false"))
                .isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        assertThat(toolChoice(hi, tools, "\"tool_choice\":\"required\",\"parallel_tool_calls\":false"))
                .isEqualTo(json("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    }

    @Test
    void answersParallelToolCallsWithOneUserTurnOfResultsFirst() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
                  {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"21C"}]},
                  {"role":"user","content":"Thanks"}]}
                """, UNCAPPED);

        assertThat(body.get("messages")).isEqualTo(json("""
                        [{"role":"user","content":"Weather in Paris and Rome?"},
                         {"role":"assistant","content":[
                           {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                           {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
                         {"role":"user","content":[
                           {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                           {"type":"tool_result","tool_use_id":"toolu_2","content":"21C"},
                           {"type":"text","text":"Thanks"}]}]
                        """));
    }

    @Test
    void sendsNoArgumentsAsAnEmptyObjectAndRefusesArgumentsThatAreNotAnObject() {
        String call = "{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"now\",\"arguments\":%s}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"noon\"}]}";

        assertThat(sent(call.formatted("\"\""), UNCAPPED)
                        .path("messages")
                        .get(1)
                        .path("content")
                        .get(0)
                        .get("input"))
                .isEqualTo(json("{}"));
        GatewayException refused = catchThrowableOfType(
                GatewayException.class,
                () -> AnthropicAdapter.requestBody(request(call.formatted("\"[1,2\"")), UNCAPPED));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("t1").doesNotContain("[1,2");
    }

    @Test
    void writesAJsonSchemaResponseFormatAsOutputConfig() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[{"role":"user","content":"A city, please"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,
                   "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}}
                """, UNCAPPED);

        assertThat(body.get("output_config")).isEqualTo(json("""
                        {"format":{"type":"json_schema",
                          "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}
                        """));
    }

    @Test
    void turnsReasoningIntoAThinkingBudgetBelowTheOutputLimit() {
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

        JsonNode high = sent(
                "{\"model\":\"acme/claude\",\"max_tokens\":10000,\"temperature\":0.5,\"top_k\":5,"
                        + "\"reasoning\":{\"effort\":\"high\"}," + hi + "}",
                UNCAPPED);
        assertThat(high.get("thinking")).isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":8000}"));
        assertThat(high.path("max_tokens").asLong()).isEqualTo(10000);
        assertThat(high.has("temperature")).as("thinking forbids a temperature").isFalse();
        assertThat(high.has("top_k")).isFalse();

        assertThat(sent("{\"model\":\"acme/claude\",\"reasoning\":{\"max_tokens\":500}," + hi + "}", UNCAPPED)
                        .get("thinking"))
                .as("the budget is at least 1024")
                .isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
        assertThat(sent("{\"model\":\"acme/claude\",\"reasoning\":{\"enabled\":true}," + hi + "}", UNCAPPED)
                        .get("thinking"))
                .as("medium effort of the default limit")
                .isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
        assertThat(sent("{\"model\":\"acme/claude\",\"reasoning\":{\"effort\":\"none\"}," + hi + "}", UNCAPPED)
                        .has("thinking"))
                .isFalse();

        JsonNode large = sent("{\"model\":\"acme/claude\",\"reasoning\":{\"max_tokens\":6000}," + hi + "}", UNCAPPED);
        assertThat(large.path("max_tokens").asLong())
                .as("a default limit is raised above the budget")
                .isEqualTo(6000 + 4096);

        GatewayException refused = catchThrowableOfType(
                GatewayException.class,
                () -> AnthropicAdapter.requestBody(
                        request("{\"model\":\"acme/claude\",\"max_tokens\":1500,\"reasoning\":{\"max_tokens\":2000},"
                                + hi + "}"),
                        UNCAPPED));
        assertThat(refused.status()).isEqualTo(400);
    }

    @Test
    void sendsSignedAnthropicReasoningBackFirstAndLeavesOutWhatAnthropicCannotVerify() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[
                  {"role":"user","content":"Weather?"},
                  {"role":"assistant","content":"Checking.","reasoning_details":[
                    {"type":"reasoning.text","text":"Call the tool.","signature":"c2ln","format":"anthropic-claude-v1"},
                    {"type":"reasoning.encrypted","data":"ZW5j","format":"anthropic-claude-v1"},
                    {"type":"reasoning.text","text":"from elsewhere","signature":"x","format":"openai-responses-v1"},
                    {"type":"reasoning.text","text":"unsigned"}],
                   "tool_calls":[{"id":"toolu_9","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"toolu_9","content":"sunny"}]}
                """, UNCAPPED);

        assertThat(body.path("messages").get(1).get("content")).isEqualTo(json("""
                        [{"type":"thinking","thinking":"Call the tool.","signature":"c2ln"},
                         {"type":"redacted_thinking","data":"ZW5j"},
                         {"type":"text","text":"Checking."},
                         {"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}]
                        """));
    }

    @Test
    void passesCacheControlOnBlocksAndAtTheTopLevel() {
        JsonNode body = sent("""
                {"model":"acme/claude","cache_control":{"type":"ephemeral","ttl":"1h"},"messages":[
                  {"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]},
                  {"role":"user","content":[{"type":"text","text":"Question","cache_control":{"type":"ephemeral","ttl":"5m"}}]}]}
                """, UNCAPPED);

        assertThat(body.get("cache_control")).isEqualTo(json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
        assertThat(body.path("system").get(0).get("cache_control")).isEqualTo(json("{\"type\":\"ephemeral\"}"));
        assertThat(body.path("messages").get(0).path("content").get(0).get("cache_control"))
                .isEqualTo(json("{\"type\":\"ephemeral\",\"ttl\":\"5m\"}"));
    }

    @Test
    void mapsStopAndSamplingAsAnthropicAcceptsThem() {
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

        JsonNode body = sent(
                "{\"model\":\"acme/claude\",\"stop\":[\"END\",\"  \"],\"temperature\":1.5,\"top_p\":0.9,\"top_k\":40,"
                        + "\"frequency_penalty\":0.5,\"seed\":7," + hi + "}",
                UNCAPPED);

        assertThat(body.get("stop_sequences")).isEqualTo(json("[\"END\"]"));
        assertThat(body.path("temperature").decimalValue()).isEqualByComparingTo("1");
        assertThat(body.has("top_p")).as("not together with a temperature").isFalse();
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.has("frequency_penalty")).isFalse();
        assertThat(body.has("seed")).isFalse();
        assertThat(sent("{\"model\":\"acme/claude\",\"top_p\":0.9," + hi + "}", UNCAPPED)
                        .path("top_p")
                        .decimalValue())
                .isEqualByComparingTo("0.9");
    }

    @Test
    void leavesOutOpenAiOnlyFieldsAndSendsAnthropicOnesAndTheEndUserOn() {
        JsonNode body = sent("""
                {"model":"acme/claude","messages":[{"role":"user","content":"hi"}],"user":"u-1",
                 "stream":true,"stream_options":{"include_usage":true},"metadata":{"k":"v"},"service_tier":"flex",
                 "provider":{"only":["anth"]},"container":"ctr_1"}
                """, UNCAPPED);

        assertThat(body.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("model", "max_tokens", "messages", "metadata", "stream", "container");
        assertThat(body.get("metadata"))
                .as("the end user, not OpenAI's metadata")
                .isEqualTo(json("{\"user_id\":\"u-1\"}"));
        assertThat(body.path("stream").asBoolean()).isTrue();
    }

    @Test
    void refusesAudioAndSeveralChoices() {
        GatewayException audio = catchThrowableOfType(
                GatewayException.class,
                () -> AnthropicAdapter.requestBody(
                        request(
                                "{\"model\":\"acme/claude\",\"messages\":[{\"role\":\"user\",\"content\":["
                                        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}]}]}"),
                        UNCAPPED));
        GatewayException choices = catchThrowableOfType(
                GatewayException.class,
                () -> AnthropicAdapter.requestBody(
                        request(
                                "{\"model\":\"acme/claude\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        UNCAPPED));

        assertThat(audio.status()).isEqualTo(400);
        assertThat(choices.status()).isEqualTo(400);
    }

    private static JsonNode toolChoice(String messages, String tools, String choice) {
        return sent("{\"model\":\"acme/claude\"," + messages + "," + tools + "," + choice + "}", UNCAPPED)
                .get("tool_choice");
    }

    /** The body as it goes on the wire, read back (so raw and decimal values compare as JSON). */
    private static JsonNode sent(String clientBody, Endpoint endpoint) {
        try {
            return AnthropicCalls.JSON.readTree(
                    AnthropicCalls.JSON.writeValueAsBytes(AnthropicAdapter.requestBody(request(clientBody), endpoint)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
