package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.names.ModelAlias;
import dev.switchboard.core.routing.names.ModelNames;
import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model fields of a chat body before it is read: URI parameters, aliases, the forced model. */
class OpenAiModelFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final OpenAiModelFields PLAIN = new OpenAiModelFields(ModelNames.NONE);
    private static final OpenAiModelFields ALIASING = new OpenAiModelFields(new ModelNames(
            List.of(ModelAlias.compile("gpt-(.*)", "openai/gpt-$1"), ModelAlias.compile("cheap", "acme/small")),
            Optional.empty()));

    @Test
    void aBodyWithoutParametersOrNamesToApplyIsLeftUntouched() {
        JsonNode body = json("{\"model\":\"acme/chat\",\"models\":[\"acme/other\"],\"temperature\":1," + HI + "}");
        JsonNode before = body.deepCopy();

        assertThat(PLAIN.rewrite(body)).isSameAs(body).isEqualTo(before);
    }

    @Test
    void uriParametersBecomeRequestParametersAndWinOverTheBody() {
        ChatRequest request = read(
                PLAIN,
                "{\"model\":\"acme/chat?temperature=0.2&top_p=0.9&seed=7&logprobs=true&verbosity=low\","
                        + "\"temperature\":1.5," + HI + "}");

        assertThat(request.model()).isEqualTo("acme/chat");
        assertThat(request.sampling().temperature()).contains(new BigDecimal("0.2"));
        assertThat(request.sampling().topP()).contains(new BigDecimal("0.9"));
        assertThat(request.sampling().seed()).contains(new BigDecimal("7"));
        assertThat(request.sampling().logprobs()).contains(true);
        JsonNode source = request.source()
                .orElseThrow()
                .as(
                        dev.switchboard.model.chat.WireFormat.OPENAI_CHAT,
                        com.fasterxml.jackson.databind.node.ObjectNode.class)
                .orElseThrow();
        assertThat(source.path("verbosity").asText()).isEqualTo("low");
        assertThat(source.path("model").asText()).isEqualTo("acme/chat");
    }

    @Test
    void anOutputLimitInTheIdReplacesBothOfItsNamesInTheBody() {
        JsonNode body = PLAIN.rewrite(json("{\"model\":\"acme/chat?max_tokens=50\",\"max_completion_tokens\":900,"
                + "\"max_tokens\":800," + HI + "}"));

        assertThat(body.path("max_tokens").asLong()).isEqualTo(50);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(OpenAiChatRequests.read(body, Attribution.NONE).maxTokens()).hasValue(50);
    }

    @Test
    void reasoningEffortInTheIdWinsOverTheReasoningObject() {
        ChatRequest request = read(
                PLAIN, "{\"model\":\"acme/chat?reasoning_effort=high\",\"reasoning\":{\"effort\":\"low\"}," + HI + "}");

        assertThat(request.reasoning().orElseThrow().effort()).contains("high");
    }

    @Test
    void parametersAreCheckedLikeBodyFields() {
        assertThat(refused(PLAIN, "acme/chat?temperature=3"))
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("`temperature` must be between 0 and 2"))
                .satisfies(e -> assertThat(e.metadata()).containsEntry("param", "temperature"));
        assertThat(refused(PLAIN, "acme/chat?max_tokens=0").getMessage()).contains("at least 1");
        assertThat(refused(PLAIN, "acme/chat?top_p=high").getMessage())
                .isEqualTo("Model parameter `top_p` must be a number, not 'high'");
        assertThat(refused(PLAIN, "acme/chat?seed=1.5").getMessage()).contains("`seed` must be an integer");
        assertThat(refused(PLAIN, "acme/chat?logprobs=yes").getMessage()).contains("true or false");
        GatewayException unknown = refused(PLAIN, "acme/chat?temprature=1");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.getMessage())
                .contains("Unknown model parameter `temprature`")
                .contains("temperature");
        assertThat(unknown.metadata()).containsEntry("param", "model");
    }

    @Test
    void parametersAreAcceptedOnThePrimaryModelOnly() {
        GatewayException fallback = catchThrowableOfType(
                GatewayException.class,
                () -> PLAIN.rewrite(
                        json("{\"model\":\"acme/chat\",\"models\":[\"acme/other?temperature=1\"]," + HI + "}")));
        ChatRequest modelsOnly = read(PLAIN, "{\"models\":[\"acme/chat?temperature=0.5\",\"acme/other\"]," + HI + "}");

        assertThat(fallback.metadata()).containsEntry("param", "models[0]");
        assertThat(fallback.getMessage()).contains("primary model only");
        assertThat(modelsOnly.model()).isEqualTo("acme/chat");
        assertThat(modelsOnly.fallbackModels()).containsExactly("acme/other");
        assertThat(modelsOnly.sampling().temperature()).contains(new BigDecimal("0.5"));
    }

    @Test
    void aliasesApplyToTheModelAndEveryFallbackWithoutTheirParameters() {
        ChatRequest request = read(
                ALIASING, "{\"model\":\"gpt-4o?temperature=0.3\",\"models\":[\"cheap\",\"acme/as-is\"]," + HI + "}");

        assertThat(request.model()).isEqualTo("openai/gpt-4o");
        assertThat(request.fallbackModels()).containsExactly("acme/small", "acme/as-is");
        assertThat(request.sampling().temperature()).contains(new BigDecimal("0.3"));
    }

    @Test
    void aForcedModelReplacesTheModelAndDropsTheFallbacksButKeepsTheParameters() {
        OpenAiModelFields forcing = new OpenAiModelFields(
                new ModelNames(List.of(ModelAlias.compile(".*", "acme/never")), Optional.of("acme/forced")));

        ChatRequest request = read(
                forcing,
                "{\"model\":\"gpt-4o?temperature=0.1\",\"models\":[\"acme/other\"],\"route\":\"fallback\"," + HI + "}");
        ChatRequest modelsOnly = read(forcing, "{\"models\":[\"acme/a\",\"acme/b\"]," + HI + "}");

        assertThat(request.model()).isEqualTo("acme/forced");
        assertThat(request.fallbackModels()).isEmpty();
        assertThat(request.sampling().temperature()).contains(new BigDecimal("0.1"));
        assertThat(modelsOnly.model()).isEqualTo("acme/forced");
        assertThat(modelsOnly.fallbackModels()).isEmpty();
    }

    @Test
    void fieldsOfTheWrongTypeAreLeftForTheReaderToRefuse() {
        JsonNode body = json("{\"model\":5,\"models\":[7,\"a?b\"]," + HI + "}");

        GatewayException e = catchThrowableOfType(GatewayException.class, () -> read(PLAIN, body.toString()));

        assertThat(e.metadata()).containsEntry("param", "models[1]");
        assertThat(ALIASING.rewrite(json("[1]"))).isEqualTo(json("[1]"));
    }

    private static GatewayException refused(OpenAiModelFields fields, String model) {
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> read(fields, "{\"model\":\"" + model + "\"," + HI + "}"));
        assertThat(e).as("refused: " + model).isNotNull();
        return e;
    }

    private static ChatRequest read(OpenAiModelFields fields, String body) {
        return OpenAiChatRequests.read(fields.rewrite(json(body)), Attribution.NONE);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
