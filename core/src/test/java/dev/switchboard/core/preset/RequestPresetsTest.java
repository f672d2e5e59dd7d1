package dev.switchboard.core.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a preset and a request body combine: the request wins field by field, tools are unioned. */
class RequestPresetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PresetRegistry registry = new PresetRegistry(new InMemoryPresetStore(), JSON, Clock.systemUTC());
    private final RequestPresets presets = new RequestPresets(registry);

    @BeforeEach
    void createPresets() {
        registry.addVersion("house", PresetConfig.fromChatCompletions(object("""
                        {"model":"acme/a","models":["acme/b"],"temperature":0.3,"max_tokens":3,
                         "reasoning":{"effort":"low"},"provider":{"sort":"price"},
                         "tools":[{"type":"function","function":{"name":"one","description":"preset"}},
                                  {"type":"openrouter:web_search"},
                                  {"type":"function","function":{"name":"two","description":"preset"}}],
                         "messages":[{"role":"system","content":"Be kind."},
                                     {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
                                     {"role":"user","content":"dropped"}],
                         "stream":true,"user":"dropped"}
                        """)), "creator");
    }

    @Test
    void aBodyNamingNoPresetIsLeftAsItIs() {
        ObjectNode body = object("{\"model\":\"acme/a\",\"messages\":[]}");
        ObjectNode before = body.deepCopy();

        assertThat(presets.apply(body)).isEmpty();
        assertThat(body).isEqualTo(before);
    }

    @Test
    void thePresetFillsEveryFieldTheRequestLeavesOut() {
        ObjectNode body =
                applied("{\"model\":\"@preset/house\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(body.path("model").asText()).isEqualTo("acme/a");
        assertThat(body.path("models").path(0).asText()).isEqualTo("acme/b");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("provider").path("sort").asText()).isEqualTo("price");
        assertThat(body.has("stream")).as("not kept by the preset").isFalse();
        assertThat(body.has("user")).isFalse();
        assertThat(body.path("messages").path(0))
                .isEqualTo(object("{\"role\":\"system\",\"content\":\"Be kind.\\n\\nBe brief.\"}"));
        assertThat(body.path("messages")).hasSize(2);
    }

    @Test
    void aFieldTheRequestSetsWinsWholeAndANullOneDoesNot() {
        ObjectNode body = applied("""
                {"model":"acme/z","preset":"house","temperature":null,"provider":{"order":["x"]},
                 "max_completion_tokens":9,"reasoning_effort":"high","messages":[]}
                """);

        assertThat(body.path("model").asText()).isEqualTo("acme/z");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("provider")).isEqualTo(object("{\"order\":[\"x\"]}"));
        assertThat(body.has("max_tokens"))
                .as("the request set the same setting by its other name")
                .isFalse();
        assertThat(body.has("reasoning")).isFalse();
        assertThat(body.has("preset")).isFalse();
    }

    @Test
    void aModelWithAPresetSuffixKeepsItsModel() {
        ObjectNode body = applied("{\"model\":\"acme/z:nitro@preset/house\",\"messages\":[]}");

        assertThat(body.path("model").asText()).isEqualTo("acme/z:nitro");
        assertThat(body.path("models").path(0).asText()).isEqualTo("acme/b");
    }

    @Test
    void toolsAreUnionedWithTheRequestsReplacingThePresetsInPlace() {
        ObjectNode body = applied("""
                {"model":"@preset/house","messages":[],
                 "tools":[{"type":"function","function":{"name":"three"}},
                          {"type":"function","function":{"name":"one","description":"request"}},
                          {"type":"openrouter:web_search","parameters":{"max_results":2}}]}
                """);

        JsonNode tools = body.path("tools");
        assertThat(tools).hasSize(4);
        assertThat(tools.path(0).path("function").path("description").asText()).isEqualTo("request");
        assertThat(tools.path(1).path("parameters").path("max_results").asInt())
                .as("a server tool is the same tool by its type")
                .isEqualTo(2);
        assertThat(tools.path(2).path("function").path("name").asText()).isEqualTo("two");
        assertThat(tools.path(3).path("function").path("name").asText()).isEqualTo("three");
    }

    @Test
    void serverToolsWithANameAreToldApartByIt() {
        registry.addVersion("advised", PresetConfig.fromChatCompletions(object("""
                        {"tools":[{"type":"openrouter:advisor","parameters":{"name":"a"}}]}""")), "creator");

        ObjectNode body = applied("""
                {"model":"acme/a@preset/advised","messages":[],
                 "tools":[{"type":"openrouter:advisor","parameters":{"name":"b"}}]}
                """);

        assertThat(body.path("tools").findValuesAsText("name")).containsExactly("a", "b");
    }

    @Test
    void theRequestsOwnSystemMessageKeepsThePresetsOut() {
        ObjectNode body = applied("""
                {"model":"@preset/house","messages":[{"role":"user","content":"hi"},
                 {"role":"developer","content":"mine"}]}
                """);

        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("hi");
    }

    @Test
    void aBarePromptGetsTheSystemPromptBeforeIt() {
        ObjectNode body = applied("{\"model\":\"@preset/house\",\"prompt\":\"Continue\"}");

        assertThat(body.has("prompt")).isFalse();
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("system", "user");
        assertThat(body.path("messages").path(1).path("content").asText()).isEqualTo("Continue");
    }

    @Test
    void theCachedPresetIsNeverChangedByARequest() {
        applied(
                        "{\"model\":\"@preset/house\",\"messages\":[],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"x\"}}]}")
                .withArray("models")
                .add("acme/mutated");
        ObjectNode again = applied("{\"model\":\"@preset/house\",\"messages\":[]}");

        assertThat(again.path("models")).hasSize(1);
        assertThat(again.path("tools")).hasSize(3);
    }

    @Test
    void refusesWhatCannotBeResolved() {
        assertError("{\"model\":\"@preset/missing\",\"messages\":[]}", ErrorType.NOT_FOUND);
        assertError("{\"model\":\"@preset/\",\"messages\":[]}", ErrorType.INVALID_REQUEST);
        assertError("{\"model\":\"acme/a\",\"preset\":[\"house\"],\"messages\":[]}", ErrorType.INVALID_REQUEST);
        assertError(
                "{\"model\":\"acme/a@preset/house\",\"preset\":\"other\",\"messages\":[]}", ErrorType.INVALID_REQUEST);
        assertThat(presets.apply(object("{\"model\":\"acme/a@preset/house\",\"preset\":\"house\",\"messages\":[]}")))
                .isPresent();
    }

    @Test
    void aPresetCannotNameAnotherPresetNorHoldANonTextSystemPrompt() {
        for (String body : new String[] {
            "{\"model\":\"@preset/house\"}",
            "{\"models\":[\"acme/a@preset/house\"]}",
            "{\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}"
        }) {
            assertThatThrownBy(() -> PresetConfig.fromChatCompletions(object(body)))
                    .as(body)
                    .isInstanceOfSatisfying(
                            GatewayException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
        }
        assertThat(PresetConfig.fromChatCompletions(object("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")))
                .isEqualTo(new PresetConfig(Optional.empty(), JSON.createObjectNode()));
    }

    private void assertError(String body, ErrorType type) {
        assertThatThrownBy(() -> presets.apply(object(body)))
                .as(body)
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.type()).isEqualTo(type));
    }

    private ObjectNode applied(String json) {
        ObjectNode body = object(json);
        assertThat(presets.apply(body)).isPresent();
        return body;
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
