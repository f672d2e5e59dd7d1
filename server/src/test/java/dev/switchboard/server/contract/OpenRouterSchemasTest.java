package dev.switchboard.server.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schemas of OpenRouter's spec that the gateway's responses must satisfy, checked with the
 * hand-written samples under {@code src/test/resources/contract/}: each sample passes, and a typical
 * mistake fails with a message that names the field.
 */
class OpenRouterSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each test fails, rather than skips, when the spec is missing. */
    private final OpenApiContract spec = OpenApiContract.require();

    private static JsonNode read(String name) {
        try (InputStream in = OpenRouterSchemasTest.class.getResourceAsStream("/contract/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode sample(String name) {
        return (ObjectNode) read(name);
    }

    private static ObjectNode firstStreamChunk() {
        return (ObjectNode) read("chat-stream-chunks.json").get(0);
    }

    private static ObjectNode data(ObjectNode body) {
        return (ObjectNode) body.get("data");
    }

    private static ObjectNode firstChoice(ObjectNode body) {
        return (ObjectNode) body.withArray("choices").get(0);
    }

    @Test
    void chatResultMatchesSchemaAndChatCompletions200() {
        ObjectNode result = sample("chat-result.json");
        spec.assertValid("ChatResult", result);
        spec.assertValidResponse("post", "/chat/completions", 200, result);
    }

    @Test
    void chatResultNeedsSystemFingerprintKeyAndKnownFinishReason() {
        ObjectNode result = sample("chat-result.json");
        result.remove("system_fingerprint");
        firstChoice(result).put("finish_reason", "end_turn");
        ((ObjectNode) result.get("usage")).remove("total_tokens");

        assertThat(spec.violations("ChatResult", result))
                .containsExactly(
                        "$.choices[0].finish_reason: does not have a value in the enumeration"
                                + " [\"tool_calls\", \"stop\", \"length\", \"content_filter\", \"error\", null]",
                        "$.usage: required property 'total_tokens' not found",
                        "$: required property 'system_fingerprint' not found");
    }

    @Test
    void everyChunkOfAStreamIncludingTheUsageChunkMatchesChatStreamChunk() {
        JsonNode chunks = read("chat-stream-chunks.json");
        assertThat(chunks).hasSize(4);
        chunks.forEach(chunk -> spec.assertValid("ChatStreamChunk", chunk));
    }

    @Test
    void streamChunkRejectsNullSystemFingerprintUnlikeChatResult() {
        ObjectNode chunk = firstStreamChunk();
        chunk.putNull("system_fingerprint");

        assertThat(spec.violations("ChatStreamChunk", chunk))
                .containsExactly("$.system_fingerprint: null found, string expected");
    }

    @Test
    void streamChunkNeedsChoicesDeltaAndFinishReasonKey() {
        ObjectNode chunk = firstStreamChunk();
        ObjectNode choice = firstChoice(chunk);
        choice.remove("delta");
        choice.remove("finish_reason");
        chunk.remove("created");

        assertThat(spec.violations("ChatStreamChunk", chunk))
                .containsExactly(
                        "$.choices[0]: required property 'delta' not found",
                        "$.choices[0]: required property 'finish_reason' not found",
                        "$: required property 'created' not found");
    }

    @Test
    void midStreamErrorChunkNeedsNumericCodeAndKnownErrorType() {
        ObjectNode chunk = sample("chat-stream-error-chunk.json");
        spec.assertValid("ChatStreamChunk", chunk);

        ObjectNode error = (ObjectNode) chunk.get("error");
        error.put("code", "server_error");
        ((ObjectNode) error.get("metadata")).put("error_type", "upstream_error");
        assertThat(spec.violations("ChatStreamChunk", chunk))
                .containsExactly(
                        "$.error.code: string found, integer expected",
                        "$.error.metadata.error_type: does not have a value in the enumeration"
                                + " [\"context_length_exceeded\", \"max_tokens_exceeded\", \"token_limit_exceeded\","
                                + " \"string_too_long\", \"authentication\", \"permission_denied\", \"payment_required\","
                                + " \"rate_limit_exceeded\", \"provider_overloaded\", \"provider_unavailable\","
                                + " \"invalid_request\", \"invalid_prompt\", \"not_found\", \"precondition_failed\","
                                + " \"payload_too_large\", \"unprocessable\", \"content_policy_violation\", \"refusal\","
                                + " \"invalid_image\", \"image_too_large\", \"image_too_small\","
                                + " \"unsupported_image_format\", \"image_not_found\", \"image_download_failed\","
                                + " \"server\", \"timeout\", \"unmapped\"]");
    }

    @Test
    void modelsListMatchesSchemaAndGetModels200() {
        ObjectNode models = sample("models-list.json");
        spec.assertValid("ModelsListResponse", models);
        spec.assertValidResponse("get", "/models", 200, models);
    }

    @Test
    void modelsListNeedsTotalCountLinksAndDecimalStringPrices() {
        ObjectNode models = sample("models-list.json");
        models.remove("total_count");
        models.remove("links");
        ObjectNode model = (ObjectNode) models.withArray("data").get(0);
        ((ObjectNode) model.get("pricing")).put("prompt", 0.00000015);
        model.remove("supported_voices");
        model.withArray("supported_parameters").add("n");

        assertThat(spec.violations("ModelsListResponse", models))
                .containsExactly(
                        "$.data[0].pricing.prompt: number found, string expected",
                        "$.data[0].supported_parameters[11]: does not have a value in the enumeration"
                                + " [\"temperature\", \"top_p\", \"top_k\", \"min_p\", \"top_a\", \"frequency_penalty\","
                                + " \"presence_penalty\", \"repetition_penalty\", \"max_tokens\","
                                + " \"max_completion_tokens\", \"logit_bias\", \"logprobs\", \"top_logprobs\","
                                + " \"prediction\", \"seed\", \"response_format\", \"structured_outputs\", \"stop\","
                                + " \"tools\", \"tool_choice\", \"parallel_tool_calls\", \"include_reasoning\","
                                + " \"reasoning\", \"reasoning_effort\", \"web_search_options\", \"verbosity\"]",
                        "$.data[0]: required property 'supported_voices' not found",
                        "$: required property 'links' not found",
                        "$: required property 'total_count' not found");
    }

    @Test
    void modelEndpointsMatchListEndpointsResponseAndTheirOperation() {
        ObjectNode body = sample("model-endpoints.json");
        spec.assertValid("ListEndpointsResponse", data(body));
        spec.assertValidResponse("get", "/models/{author}/{slug}/endpoints", 200, body);
    }

    @Test
    void endpointsNeedDescriptionAndAProviderNameFromTheSpecEnum() {
        ObjectNode listing = data(sample("model-endpoints.json"));
        listing.remove("description");
        ((ObjectNode) listing.withArray("endpoints").get(0)).put("provider_name", "Local vLLM");

        assertThat(spec.violations("ListEndpointsResponse", listing))
                .hasSize(2)
                .anySatisfy(violation -> assertThat(violation)
                        .startsWith("$.endpoints[0].provider_name: does not have a value in the enumeration"))
                .contains("$: required property 'description' not found");
    }

    @Test
    void providersListMatchesGetProviders200() {
        ObjectNode providers = sample("providers.json");
        spec.assertValidResponse("get", "/providers", 200, providers);

        ObjectNode first = (ObjectNode) providers.withArray("data").get(0);
        first.remove("privacy_policy_url");
        first.put("headquarters", "USA");
        assertThat(spec.responseViolations("get", "/providers", 200, providers))
                .hasSize(2)
                .contains("$.data[0]: required property 'privacy_policy_url' not found")
                .anySatisfy(violation -> assertThat(violation)
                        .startsWith("$.data[0].headquarters: does not have a value in the enumeration"));
    }

    @Test
    void currentKeyMatchesGetKey200IncludingFieldsTheSdkAlsoNeeds() {
        spec.assertValidResponse("get", "/key", 200, sample("key.json"));
    }

    @Test
    void currentKeyNeedsRateLimitNullableLimitAndDateTimeExpiry() {
        ObjectNode key = sample("key.json");
        data(key).remove("rate_limit");
        data(key).remove("limit");
        data(key).put("usage", "25.75");
        data(key).put("expires_at", "2026-12-31");

        assertThat(spec.responseViolations("get", "/key", 200, key))
                .containsExactly(
                        "$.data.expires_at: does not match the date-time pattern must be a valid RFC 3339 date-time",
                        "$.data.usage: string found, number expected",
                        "$.data: required property 'limit' not found",
                        "$.data: required property 'rate_limit' not found");
    }

    @Test
    void keyListMatchesGetKeys200AndNeedsWorkspaceId() {
        ObjectNode keys = sample("keys-list.json");
        spec.assertValidResponse("get", "/keys", 200, keys);

        ((ObjectNode) keys.withArray("data").get(0)).remove("workspace_id");
        assertThat(spec.responseViolations("get", "/keys", 200, keys))
                .containsExactly("$.data[0]: required property 'workspace_id' not found");
    }

    @Test
    void createdKeyMatchesPostKeys201WithItsSecret() {
        ObjectNode created = sample("key-created.json");
        spec.assertValidResponse("post", "/keys", 201, created);

        created.remove("key");
        assertThat(spec.responseViolations("post", "/keys", 201, created))
                .containsExactly("$: required property 'key' not found");
        assertThatThrownBy(() -> spec.responseViolations("post", "/keys", 200, created))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("POST /keys documents no response 200; it has [201, ");
    }

    @Test
    void keyByHashSharesTheKeyObjectAndDeleteConfirms() {
        ObjectNode single = JSON.createObjectNode().set("data", data(sample("key-created.json")));
        spec.assertValidResponse("get", "/keys/{hash}", 200, single);
        spec.assertValidResponse("patch", "/keys/{hash}", 200, single);

        assertThatCode(() -> spec.assertValidResponse(
                        "delete", "/keys/{hash}", 200, JSON.createObjectNode().put("deleted", true)))
                .doesNotThrowAnyException();
        assertThat(spec.responseViolations(
                        "delete", "/keys/{hash}", 200, JSON.createObjectNode().put("deleted", false)))
                .containsExactly("$.deleted: must be the constant value 'true'");
    }

    @Test
    void generationMatchesSchemaAndGetGeneration200() {
        ObjectNode generation = sample("generation.json");
        spec.assertValid("GenerationResponse", generation);
        spec.assertValidResponse("get", "/generation", 200, generation);
    }

    @Test
    void generationNeedsEveryNullableKeyAndAKnownDataRegion() {
        ObjectNode generation = sample("generation.json");
        data(generation).remove("workspace_id");
        data(generation).put("data_region", "eu");

        assertThat(spec.violations("GenerationResponse", generation))
                .containsExactly(
                        "$.data.data_region: does not have a value in the enumeration [\"global\", \"europe\", \"us\"]",
                        "$.data: required property 'workspace_id' not found");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "BadRequestResponse",
                "UnauthorizedResponse",
                "PaymentRequiredResponse",
                "ForbiddenResponse",
                "NotFoundResponse",
                "RequestTimeoutResponse",
                "PayloadTooLargeResponse",
                "UnprocessableEntityResponse",
                "TooManyRequestsResponse",
                "InternalServerResponse",
                "BadGatewayResponse",
                "ServiceUnavailableResponse",
                "EdgeNetworkTimeoutResponse",
                "ProviderOverloadedResponse",
                "ConflictResponse",
                "GoneResponse"
            })
    void errorEnvelopeMatchesEveryErrorSchema(String schemaName) {
        ObjectNode error = sample("error.json");
        spec.assertValid(schemaName, error);

        ((ObjectNode) error.get("error")).put("code", "payment_required");
        ((ObjectNode) error.get("error")).remove("message");
        assertThat(spec.violations(schemaName, error))
                .containsExactly(
                        "$.error.code: string found, integer expected",
                        "$.error: required property 'message' not found");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404, 408, 413, 422, 429, 500, 502, 503, 524, 529})
    void everyErrorStatusOfChatCompletionsTakesTheEnvelope(int status) {
        ObjectNode error = sample("error.json");
        ((ObjectNode) error.get("error")).put("code", status);
        spec.assertValidResponse("post", "/chat/completions", status, error);
    }
}
