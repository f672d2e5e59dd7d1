package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.AutoRouterOptions;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.PercentileThresholds;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.RouteSort;
import dev.switchboard.model.chat.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiChatRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void parsesAMinimalRequest() {
        ChatRequest request = parse("{\"model\":\"acme/chat\"," + HI + "}");

        assertThat(request.model()).isEqualTo("acme/chat");
        assertThat(request.stream()).isFalse();
        assertThat(request.maxTokens()).isEmpty();
        assertThat(request.provider()).isEqualTo(ProviderPreferences.NONE);
        assertThat(request.attribution()).isEqualTo(Attribution.NONE);
    }

    @Test
    void acceptsAUserOfTheMaximumLengthInCodePoints() {
        String user = "😀".repeat(Attribution.MAX_USER);

        assertThat(parse("{\"model\":\"acme/chat\"," + HI + ",\"user\":\"" + user + "\"}")
                        .attribution()
                        .user())
                .hasValue(user);
    }

    @Test
    void refusesAUserLongerThanOpenRoutersLimit() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class,
                () -> parse("{\"model\":\"acme/chat\"," + HI + ",\"user\":\"" + "u".repeat(Attribution.MAX_USER + 1)
                        + "\"}"));

        assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(e.getMessage()).isEqualTo("`user` must be at most 256 characters");
        assertThat(e.metadata()).containsEntry("param", "user");
    }

    @Test
    void keepsTheClientsBodyWithUnknownFields() {
        ObjectNode body =
                json("{\"model\":\"acme/chat\"," + HI + ",\"vendor_knob\":{\"depth\":3},\"temperature\":null}");
        ObjectNode before = body.deepCopy();

        ChatRequest request = OpenAiChatRequests.read(body, Attribution.NONE);

        assertThat(body(request)).isSameAs(body);
        assertThat(body(request)).isEqualTo(before);
        assertThat(body(request).path("vendor_knob").path("depth").asInt()).isEqualTo(3);
    }

    @Test
    void turnsABarePromptIntoOneUserMessage() {
        ChatRequest request = parse("{\"model\":\"acme/chat\",\"prompt\":\"Tell me a joke\"}");

        assertThat(body(request).has("prompt")).isFalse();
        assertThat(body(request).path("messages"))
                .isEqualTo(json("{\"m\":[{\"role\":\"user\",\"content\":\"Tell me a joke\"}]}")
                        .get("m"));
    }

    @Test
    void prefersMessagesOverPrompt() {
        ChatRequest request = parse("{\"model\":\"acme/chat\"," + HI + ",\"prompt\":\"ignored\"}");

        assertThat(body(request).path("messages")).hasSize(1);
        assertThat(body(request).path("messages").path(0).path("content").asText())
                .isEqualTo("hi");
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"max_tokens\":100,\"max_completion_tokens\":20}")
                        .maxTokens())
                .hasValue(20);
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"max_completion_tokens\":20,\"max_tokens\":100}")
                        .maxTokens())
                .hasValue(20);
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"max_tokens\":100}").maxTokens())
                .hasValue(100);
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"max_tokens\":null,\"max_completion_tokens\":7}")
                        .maxTokens())
                .hasValue(7);
    }

    @Test
    void readsStreamFlag() {
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"stream\":true}").stream())
                .isTrue();
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"stream\":false}").stream())
                .isFalse();
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"stream\":null}").stream())
                .isFalse();
    }

    @Test
    void readsProviderPreferencesWithSlugsInLowerCase() {
        ChatRequest request = parse(
                "{\"model\":\"m/x\"," + HI
                        + ",\"provider\":{\"only\":[\"OpenAI\",\"groq\"],\"ignore\":[\"Azure\"],\"order\":[\"groq\"],\"allow_fallbacks\":false}}");

        assertThat(request.provider().only()).containsExactly("openai", "groq");
        assertThat(request.provider().ignore()).containsExactly("azure");
        assertThat(request.provider().order()).containsExactly("groq");
    }

    @Test
    void readsEveryRoutingPreference() {
        ProviderPreferences prefs = parse("{\"model\":\"m/x\"," + HI + ",\"provider\":{\"allow_fallbacks\":false,"
                        + "\"require_parameters\":true,\"data_collection\":\"deny\",\"zdr\":true,"
                        + "\"quantizations\":[\"FP8\"],\"sort\":{\"by\":\"throughput\",\"partition\":\"none\"},"
                        + "\"preferred_min_throughput\":{\"p90\":50},\"preferred_max_latency\":2.5,"
                        + "\"max_price\":{\"prompt\":1,\"completion\":\"0.1\"},\"experimental\":1}}")
                .provider();

        assertThat(prefs.allowFallbacks()).isFalse();
        assertThat(prefs.requireParameters()).isTrue();
        assertThat(prefs.dataCollection()).isEqualTo(ProviderPreferences.DataCollection.DENY);
        assertThat(prefs.zdr()).isTrue();
        assertThat(prefs.quantizations()).containsExactly("fp8");
        assertThat(prefs.sort()).contains(new RouteSort(RouteSort.By.THROUGHPUT, RouteSort.Partition.NONE));
        assertThat(prefs.preferredMinThroughput().orElseThrow().p90()).hasValue(50);
        assertThat(prefs.preferredMinThroughput().orElseThrow().p50()).isEmpty();
        assertThat(prefs.preferredMaxLatency()).contains(PercentileThresholds.p50(2.5));
        assertThat(prefs.maxPrice().orElseThrow().prompt()).contains(new BigDecimal("1"));
        assertThat(prefs.maxPrice().orElseThrow().completion()).contains(new BigDecimal("0.1"));
        assertThat(prefs.extensions().get("experimental")).isPresent();
    }

    @Test
    void aSortStringSortsInsideEachModel() {
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"provider\":{\"sort\":\"latency\"}}")
                        .provider()
                        .sort())
                .contains(new RouteSort(RouteSort.By.LATENCY, RouteSort.Partition.MODEL));
    }

    @Test
    void exactoIsASortAsAStringOrAnObject() {
        assertThat(parse("{\"model\":\"m/x\"," + HI + ",\"provider\":{\"sort\":\"exacto\"}}")
                        .provider()
                        .sort())
                .contains(new RouteSort(RouteSort.By.EXACTO, RouteSort.Partition.MODEL));
        assertThat(parse("{\"model\":\"m/x\"," + HI
                                + ",\"provider\":{\"sort\":{\"by\":\"exacto\",\"partition\":\"none\"}}}")
                        .provider()
                        .sort())
                .contains(new RouteSort(RouteSort.By.EXACTO, RouteSort.Partition.NONE));
    }

    @Test
    void readsTheAutoRouterPlugin() {
        ChatRequest request = parse("{\"model\":\"openrouter/auto\"," + HI
                + ",\"plugins\":[{\"id\":\"context-compression\"},{\"id\":\"auto-router\","
                + "\"allowed_models\":[\"anthropic/*\",\" openai/gpt-6* \"],\"excluded_models\":[\"*-mini\"],"
                + "\"cost_tier\":\"xhigh\",\"pin_model\":\"anthropic/claude-opus-5\",\"cost_quality_tradeoff\":3}]}");

        assertThat(request.autoRouter())
                .isEqualTo(new AutoRouterOptions(
                        List.of("anthropic/*", "openai/gpt-6*"),
                        List.of("*-mini"),
                        Optional.of(AutoRouterOptions.CostTier.XHIGH),
                        Optional.of("anthropic/claude-opus-5")));
        assertThat(request.contextCompression()).contains(true);
    }

    @Test
    void anAbsentOrDisabledAutoRouterPluginLeavesTheDefaults() {
        assertThat(parse("{\"model\":\"openrouter/auto\"," + HI + "}").autoRouter())
                .isEqualTo(AutoRouterOptions.DEFAULTS);
        assertThat(parse("{\"model\":\"openrouter/auto\"," + HI
                                + ",\"plugins\":[{\"id\":\"auto-router\",\"enabled\":false,\"cost_tier\":\"max\"}]}")
                        .autoRouter())
                .isEqualTo(AutoRouterOptions.DEFAULTS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ,"plugins":[{"id":"context-compression"}]                    | true
            ,"plugins":[{"id":"context-compression","enabled":false}]    | false
            ,"plugins":[{"id":"web"}],"transforms":["middle-out"]        | true
            ,"transforms":[]                                             | false
            ,"transforms":["something-else"]                             | none
                                                                         | none
            """)
    void readsTheContextCompressionSetting(String fields, String expected) {
        ChatRequest request = parse("{\"model\":\"m/x\"," + HI + (fields == null ? "" : fields) + "}");

        assertThat(request.contextCompression())
                .isEqualTo(expected.equals("none") ? Optional.empty() : Optional.of(Boolean.parseBoolean(expected)));
    }

    @Test
    void modelsWithoutModelMakesTheFirstThePrimary() {
        ChatRequest request = parse("{" + HI + ",\"models\":[\"m/a\",\"m/b\",\"m/a\"],\"route\":\"fallback\"}");

        assertThat(request.model()).isEqualTo("m/a");
        assertThat(request.fallbackModels()).containsExactly("m/b");
    }

    @Test
    void modelIsTriedBeforeTheModelsList() {
        ChatRequest request = parse("{\"model\":\"m/b\"," + HI + ",\"models\":[\"m/a\",\"m/b\",\"m/c\"]}");

        assertThat(request.model()).isEqualTo("m/b");
        assertThat(request.fallbackModels()).containsExactly("m/a", "m/c");
    }

    @Test
    void tooManyModelsAreRefused() {
        String many = java.util.stream.IntStream.range(0, 17)
                .mapToObj(i -> "\"m/" + i + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> parse("{" + HI + ",\"models\":[" + many + "]}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.metadata()).containsEntry("param", "models");
    }

    @Test
    void combinesHeaderAttributionWithTheBodysUser() {
        ChatRequest request = OpenAiChatRequests.read(
                json("{\"model\":\"m/x\"," + HI + ",\"user\":\"user-42\"}"),
                Attribution.of("https://app.example", "My App", null));

        assertThat(request.attribution().httpReferer()).contains("https://app.example");
        assertThat(request.attribution().appTitle()).contains("My App");
        assertThat(request.attribution().user()).contains("user-42");
    }

    @Test
    void blankAttributionIsAbsent() {
        ChatRequest request = OpenAiChatRequests.read(
                json("{\"model\":\"m/x\"," + HI + ",\"user\":\" \"}"), Attribution.of("", " ", null));

        assertThat(request.attribution())
                .isEqualTo(new Attribution(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void acceptsEveryRoleAndContentShape() {
        ChatRequest request = parse("""
                {"model":"m/x","messages":[
                  {"role":"system","content":"s"},
                  {"role":"developer","content":"d"},
                  {"role":"user","content":[{"type":"text","text":"t"}]},
                  {"role":"assistant","content":null,"tool_calls":[]},
                  {"role":"tool","content":"r","tool_call_id":"c"},
                  {"role":"function","content":"f","name":"n"},
                  {"role":"assistant"}
                ],"temperature":2,"top_p":0,"seed":-1,"stop":["x"],"tool_choice":"auto","logprobs":true}
                """);

        assertThat(body(request).path("messages")).hasSize(7);
    }

    @Test
    void rejectsABodyThatIsNotAnObject() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> OpenAiChatRequests.read(JSON.readTree("[1,2]"), Attribution.NONE));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(catchThrowableOfType(GatewayException.class, () -> OpenAiChatRequests.read(null, Attribution.NONE))
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":[{"role":"user","content":"hi"}]}                                   | model
            {"model":null,"messages":[{"role":"user","content":"hi"}]}                      | model
            {"model":42,"messages":[{"role":"user","content":"hi"}]}                        | model
            {"model":"  ","messages":[{"role":"user","content":"hi"}]}                      | model
            {"model":"m/x"}                                                                 | messages
            {"model":"m/x","prompt":["not","a","string"]}                                   | messages
            {"model":"m/x","messages":{"role":"user"}}                                      | messages
            {"model":"m/x","messages":[]}                                                   | messages
            {"model":"m/x","messages":["hi"]}                                               | messages[0]
            {"model":"m/x","messages":[{"role":"user","content":"a"},{"content":"b"}]}      | messages[1].role
            {"model":"m/x","messages":[{"role":7,"content":"b"}]}                           | messages[0].role
            {"model":"m/x","messages":[{"role":"robot","content":"b"}]}                     | messages[0].role
            {"model":"m/x","messages":[{"role":"user","content":12}]}                       | messages[0].content
            {"model":"m/x","messages":[{"role":"user","content":{"text":"x"}}]}             | messages[0].content
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"temperature":"hot"} | temperature
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"temperature":2.5}   | temperature
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"temperature":-0.1}  | temperature
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"top_p":1.01}        | top_p
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"top_k":"ten"}       | top_k
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"seed":1.5}          | seed
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"n":"2"}             | n
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"stream":"yes"}      | stream
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"logprobs":1}        | logprobs
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"response_format":"json"} | response_format
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"stream_options":true}    | stream_options
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"tools":{}}          | tools
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"models":"m/y"}      | models
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"user":42}           | user
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"stop":5}            | stop
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"tool_choice":1}     | tool_choice
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_tokens":0}      | max_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_tokens":"10"}   | max_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_tokens":1.5}    | max_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_tokens":99999999999999999999} | max_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-1} | max_completion_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":5,"max_tokens":0} | max_tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":[]}       | provider
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"only":"openai"}} | provider.only
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"ignore":[1]}}   | provider.ignore
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"order":[null]}} | provider.order
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"allow_fallbacks":"no"}} | provider.allow_fallbacks
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"data_collection":"never"}} | provider.data_collection
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"zdr":1}} | provider.zdr
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"sort":"cheapest"}} | provider.sort
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"sort":"exact"}} | provider.sort
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"web"},{"id":"auto-router","cost_tier":"cheap"}]} | plugins[1].cost_tier
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","allowed_models":"anthropic/*"}]} | plugins[0].allowed_models
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","excluded_models":[""]}]} | plugins[0].excluded_models
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","allowed_models":[7]}]} | plugins[0].allowed_models
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","pin_model":"anthropic/*"}]} | plugins[0].pin_model
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","pin_model":"x/y","allowed_models":["anthropic/*"]}]} | plugins[0].pin_model
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","pin_model":"x/y","excluded_models":["x/*"]}]} | plugins[0].pin_model
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","enabled":"yes"}]} | plugins[0].enabled
            {"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"plugins":[{"id":"auto-router","cost_quality_tradeoff":11}]} | plugins[0].cost_quality_tradeoff
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"sort":{"by":"price","partition":"all"}}} | provider.sort.partition
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"sort":{"partition":"none"}}} | provider.sort.by
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"preferred_min_throughput":"fast"}} | provider.preferred_min_throughput
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"preferred_max_latency":{"p42":1}}} | provider.preferred_max_latency.p42
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"preferred_max_latency":-1}} | provider.preferred_max_latency
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"max_price":{"prompt":"cheap"}}} | provider.max_price.prompt
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"max_price":{"prompt":-1}}} | provider.max_price.prompt
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"max_price":{"tokens":1}}} | provider.max_price.tokens
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"quantizations":"fp8"}} | provider.quantizations
            {"messages":[{"role":"user","content":"hi"}],"models":[]}                       | model
            {"messages":[{"role":"user","content":"hi"}],"models":["m/x",""]}               | models
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"route":"sort"}      | route
            """)
    void rejectsWithA400NamingTheParameter(String body, String param) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> parse(body));

        assertThat(e).as("rejected").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(e.metadata()).containsEntry("param", param);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.getStackTrace())
                .as("hot-path rejections carry no stack trace")
                .isEmpty();
    }

    private ChatRequest parse(String body) {
        return OpenAiChatRequests.read(json(body), Attribution.NONE);
    }

    private static ObjectNode json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's body, as the request kept it for the pass-through lane. */
    private static ObjectNode body(ChatRequest request) {
        return request.source()
                .orElseThrow()
                .as(WireFormat.OPENAI_CHAT, ObjectNode.class)
                .orElseThrow();
    }
}
