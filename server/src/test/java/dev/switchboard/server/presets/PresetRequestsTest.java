package dev.switchboard.server.presets;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chat requests that name a preset, through a real gateway to the upstream simulator, each way
 * OpenRouter allows ({@code @preset/slug}, {@code preset} beside a model, {@code author/model@preset/slug}),
 * with what reached the upstream showing how the preset and the request were merged.
 */
class PresetRequestsTest {
    private static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"preset's\",\"parameters\":{\"type\":\"object\"}}}";
    private static final String TIME = "{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
            + "\"description\":\"preset's\",\"parameters\":{\"type\":\"object\"}}}";
    private static final String HOUSE = "{\"model\":\"acme/chat-small\",\"temperature\":0.3,\"max_tokens\":3,"
            + "\"tools\":[" + WEATHER + "," + TIME + "],"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"Answer in French.\"}]}";
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static GatewayHarness gateway;
    private static String houseId;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
        houseId = create("house", HOUSE).path("id").asText();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aPresetAsTheModelSuppliesTheModelSettingsToolsAndSystemPrompt() {
        HttpResponse<String> response = chat("{\"model\":\"@preset/house\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(response).path("model").asText()).isEqualTo("acme/chat-small");
        JsonNode sent = lastUpstreamBody();
        assertThat(sent.path("model").asText()).isEqualTo("chat-small");
        assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(3);
        assertThat(sent.path("tools").findValuesAsText("name")).containsExactly("get_weather", "get_time");
        assertThat(sent.path("messages")).hasSize(2);
        assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Answer in French.");
        assertThat(sent.path("messages").path(1).path("content").asText()).isEqualTo("hi");
        assertThat(sent.has("preset")).isFalse();
        assertThat(generation(response).path("preset_id").asText()).isEqualTo(houseId);
    }

    @Test
    void aPresetFieldBesideAModelYieldsToTheRequestAndUnionsTheTools() {
        HttpResponse<String> response = chat("""
                {"model":"acme/chat-small","preset":"house","temperature":0.9,
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}},
                          {"type":"function","function":{"name":"get_time","description":"request's",
                           "parameters":{"type":"object"}}}],
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}
                """);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = lastUpstreamBody();
        assertThat(sent.path("temperature").decimalValue())
                .as("the request's value wins")
                .isEqualByComparingTo("0.9");
        assertThat(sent.path("max_tokens").asInt())
                .as("the preset fills what the request left out")
                .isEqualTo(3);
        JsonNode tools = sent.path("tools");
        assertThat(tools.findValuesAsText("name"))
                .as("the preset's tools in their order, the request's get_time in its place, then the request's own")
                .containsExactly("get_weather", "get_time", "lookup");
        assertThat(tools.path(1).path("function").path("description").asText()).isEqualTo("request's");
        assertThat(sent.path("messages"))
                .as("the request's own system message, and no second one")
                .hasSize(2);
        assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(sent.has("preset")).isFalse();
        assertThat(generation(response).path("preset_id").asText()).isEqualTo(houseId);
    }

    @Test
    void aModelWithAPresetSuffixKeepsThatModelAndTheRestOfThePreset() {
        HttpResponse<String> response = chat("{\"model\":\"acme/chat-priced@preset/house\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(response).path("model").asText()).isEqualTo("acme/chat-priced");
        JsonNode sent = lastUpstreamBody();
        assertThat(sent.path("model").asText()).isEqualTo("chat-priced");
        assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("Answer in French.");
        assertThat(generation(response).path("preset_id").asText()).isEqualTo(houseId);
    }

    @Test
    void thePresetsFallbackModelsServeWhenItsModelCannot() {
        create("with-fallback", "{\"model\":\"acme/offline\",\"models\":[\"acme/chat-small\"],\"max_tokens\":2}");

        HttpResponse<String> response = chat("{\"model\":\"@preset/with-fallback\"," + HI + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(response).path("model").asText()).isEqualTo("acme/chat-small");
    }

    @Test
    void thePresetsProviderPreferencesApplyUnlessTheRequestSetsItsOwn() {
        create("nowhere", "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"provider\":{\"only\":[\"nobody\"]}}");

        HttpResponse<String> filtered = chat("{\"model\":\"@preset/nowhere\"," + HI + "}");
        HttpResponse<String> overridden =
                chat("{\"model\":\"@preset/nowhere\",\"provider\":{\"sort\":\"price\"}," + HI + "}");

        assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(404);
        assertThat(GatewayHarness.json(filtered)
                        .path("error")
                        .path("availability")
                        .path("excluded_by")
                        .path(0)
                        .asText())
                .isEqualTo("allowed_providers");
        assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
    }

    @Test
    void aNewVersionIsUsedByTheNextRequest() {
        create("changing", "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"temperature\":0.1}");
        assertThat(chat("{\"model\":\"@preset/changing\"," + HI + "}").statusCode())
                .isEqualTo(200);
        assertThat(lastUpstreamBody().path("temperature").decimalValue()).isEqualByComparingTo("0.1");

        create("changing", "{\"model\":\"acme/chat-small\",\"max_tokens\":2,\"temperature\":0.6}");
        assertThat(chat("{\"model\":\"@preset/changing\"," + HI + "}").statusCode())
                .isEqualTo(200);

        assertThat(lastUpstreamBody().path("temperature").decimalValue()).isEqualByComparingTo("0.6");
    }

    @Test
    void aStreamedRequestCanNameAPreset() {
        StreamedResponse streamed =
                gateway.stream("{\"model\":\"@preset/house\",\"stream\":true," + HI + "}", Map.of());

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(lastUpstreamBody().path("messages").path(0).path("content").asText())
                .isEqualTo("Answer in French.");
    }

    @Test
    void anUnknownPresetIsNotFoundAndAMalformedReferenceIsRefused() {
        HttpResponse<String> unknown = chat("{\"model\":\"@preset/no-such-preset\"," + HI + "}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        JsonNode error = GatewayHarness.json(unknown).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(404);
        assertThat(error.path("message").asText()).contains("no-such-preset");

        assertThat(chat("{\"model\":\"acme/chat-small\",\"preset\":\"no-such-preset\"," + HI + "}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(chat("{\"model\":\"@preset/Not_A_Slug\"," + HI + "}").statusCode())
                .isEqualTo(400);
        assertThat(chat("{\"model\":\"acme/chat-small\",\"preset\":7," + HI + "}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(chat("{\"model\":\"acme/chat-small@preset/house\",\"preset\":\"other\"," + HI + "}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aPresetWithoutAModelNeedsOneFromTheRequest() {
        create("settings-only", "{\"temperature\":0.2,\"max_tokens\":2}");

        HttpResponse<String> withoutModel = chat("{\"model\":\"@preset/settings-only\"," + HI + "}");
        HttpResponse<String> withModel = chat("{\"model\":\"acme/chat-small@preset/settings-only\"," + HI + "}");

        assertThat(withoutModel.statusCode()).as(withoutModel.body()).isEqualTo(400);
        assertThat(GatewayHarness.json(withoutModel)
                        .path("error")
                        .path("metadata")
                        .path("param")
                        .asText())
                .isEqualTo("model");
        assertThat(withModel.statusCode()).as(withModel.body()).isEqualTo(200);
        assertThat(lastUpstreamBody().path("temperature").decimalValue()).isEqualByComparingTo("0.2");
    }

    private static JsonNode create(String slug, String body) {
        HttpResponse<String> response =
                gateway.send("POST", "/presets/" + slug + "/chat/completions", ADMIN_KEY, body, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response).path("data");
    }

    private static HttpResponse<String> chat(String body) {
        return gateway.post("/chat/completions", body);
    }

    private static JsonNode lastUpstreamBody() {
        return gateway.simulator().stats().lastRequestBody().orElseThrow();
    }

    private static JsonNode generation(HttpResponse<String> response) {
        String id = GatewayHarness.json(response).path("id").asText();
        return GatewayHarness.json(gateway.get("/generation?id=" + id, gateway.apiKey()))
                .path("data");
    }
}
