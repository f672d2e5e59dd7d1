package dev.switchboard.server.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;

/** The mechanics of {@link OpenApiContract}, on a small fixture spec that is always present. */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenApiContract fixture;

    @BeforeAll
    static void parseFixture() throws URISyntaxException {
        fixture = OpenApiContract.parse(Path.of(OpenApiContractTest.class
                .getResource("/contract/fixture-openapi.yaml")
                .toURI()));
    }

    private static ObjectNode thing() throws IOException {
        return (ObjectNode) JSON.readTree("""
        {"id": "t1", "colour": "red", "note": null, "legacy_note": null, "size": null,
         "created_at": "2025-08-24T10:30:00Z", "weight": 1.5, "unknown_extra": {"kept": true},
         "parts": [{"kind": "bolt", "length": 3}, {"kind": "nut", "thread": "M6"}]}
        """);
    }

    @Test
    void acceptsValidInstanceThroughNestedRefsAndAnnotationKeywords() throws IOException {
        assertThat(fixture.violations("Thing", thing())).isEmpty();
        assertThatCode(() -> fixture.assertValid("Thing", thing())).doesNotThrowAnyException();
    }

    @Test
    void reportsEachViolationWithItsJsonPath() throws IOException {
        ObjectNode thing = thing();
        thing.remove("id");
        thing.put("colour", "blue");
        thing.put("size", "large");

        assertThat(fixture.violations("Thing", thing))
                .containsExactlyInAnyOrder(
                        "$: required property 'id' not found",
                        "$.colour: does not have a value in the enumeration [\"red\", \"green\"]",
                        "$.size: string found, integer expected",
                        "$.size: string found, null expected");
    }

    @Test
    void admitsNullInAllThreeStylesButNotWhereUndeclared() throws IOException {
        ObjectNode thing = thing();
        thing.putNull("id");
        thing.putNull("colour");

        assertThat(fixture.violations("Thing", thing))
                .containsExactlyInAnyOrder(
                        "$.id: null found, string expected",
                        "$.colour: null found, string expected",
                        "$.colour: does not have a value in the enumeration [\"red\", \"green\"]");
    }

    @Test
    void treatsLegacyNullableAsAllowingNullOnly() throws IOException {
        ObjectNode thing = thing();
        thing.put("legacy_note", 7);

        assertThat(fixture.violations("Thing", thing))
                .containsExactly("$.legacy_note: integer found, [string, null] expected");
    }

    @Test
    void checksOnlyTheBranchTheDiscriminatorSelects() throws IOException {
        ObjectNode thing = thing();
        ((ObjectNode) thing.withArray("parts").get(1)).remove("thread");

        assertThat(fixture.violations("Thing", thing))
                .contains("$.parts[1]: required property 'thread' not found")
                .doesNotContain("$.parts[1]: required property 'length' not found");
    }

    @Test
    void assertsDateTimeFormatButIgnoresUnknownFormats() throws IOException {
        ObjectNode thing = thing();
        thing.put("created_at", "yesterday");
        thing.put("weight", 1e300);

        assertThat(fixture.violations("Thing", thing))
                .singleElement()
                .asString()
                .startsWith("$.created_at: does not match the date-time pattern");
    }

    @Test
    void failureListsEveryViolationAndTheJson() throws IOException {
        ObjectNode thing = thing();
        thing.remove("id");
        thing.put("created_at", "yesterday");

        assertThatThrownBy(() -> fixture.assertValid("Thing", thing))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("2 violation(s) of OpenRouter schema Thing (")
                .hasMessageContaining("\n  - $: required property 'id' not found")
                .hasMessageContaining("\n  - $.created_at: does not match the date-time pattern")
                .hasMessageContaining("\"unknown_extra\" : {");
    }

    @Test
    void rejectsUnknownSchemaNameNamingSimilarOnes() {
        assertThatThrownBy(() -> fixture.violations("thin", JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no schema thin in ")
                .hasMessageContaining("similar names: [Thing]");
    }

    @Test
    void escapesSchemaNamesAsPointerSegments() {
        assertThat(fixture.violations("odd/name~1", JSON.getNodeFactory().textNode("x")))
                .isEmpty();
        assertThat(fixture.violations("odd/name~1", JSON.getNodeFactory().numberNode(1)))
                .containsExactly("$: integer found, string expected");
    }

    @Test
    void validatesResponseOfTemplatedPathByExactStatus() throws IOException {
        ObjectNode body = JSON.createObjectNode().set("data", thing());
        assertThatCode(() -> fixture.assertValidResponse("GET", "/things/{id}", 200, body))
                .doesNotThrowAnyException();

        ((ObjectNode) body.get("data")).remove("parts");
        assertThatThrownBy(() -> fixture.assertValidResponse("get", "/things/{id}", 200, body))
                .hasMessageStartingWith("1 violation(s) of OpenRouter GET /things/{id} 200 response")
                .hasMessageContaining("$.data: required property 'parts' not found");
    }

    @Test
    void fallsBackToStatusRangeThroughResponseRefThenToDefault() throws IOException {
        JsonNode problem = JSON.readTree("{\"error\": {\"code\": 404, \"message\": \"no such thing\"}}");
        assertThat(fixture.responseViolations("get", "/things/{id}", 404, problem))
                .isEmpty();
        assertThat(fixture.responseViolations("get", "/things/{id}", 503, problem))
                .containsExactly("$: required property 'unexpected' not found");
    }

    @Test
    void rejectsUndocumentedOperationStatusOrContentType() {
        JsonNode body = JSON.createObjectNode();
        assertThatThrownBy(() -> fixture.responseViolations("post", "/things/{id}", 200, body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no operation POST /things/{id} in ");
        assertThatThrownBy(() -> fixture.responseViolations("delete", "/things/{id}", 200, body))
                .hasMessage("DELETE /things/{id} documents no response 200; it has [204, 410]");
        assertThatThrownBy(() -> fixture.responseViolations("delete", "/things/{id}", 410, body))
                .hasMessage("DELETE /things/{id} 410 has no application/json schema; content types: [text/plain]");
    }

    @Test
    void givesSameAnswersToConcurrentCallers() throws Exception {
        ObjectNode invalid = thing();
        invalid.remove("id");
        JsonNode validPart = invalid.get("parts").get(0);
        List<String> expected = fixture.violations("Thing", invalid);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> results = IntStream.range(0, 64)
                    .mapToObj(i -> executor.submit(() ->
                            i % 2 == 0 ? fixture.violations("Thing", invalid) : fixture.violations("Part", validPart)))
                    .toList();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? expected : List.of());
            }
        }
    }

    @Test
    void readsTheFileNamedByPropertyThenEnvironmentElseTheKeptCopy(@TempDir Path root) {
        Path module = root.resolve("main/server");
        Optional<URI> kept = Optional.of(URI.create("file:/kept/openrouter-openapi.yaml"));

        assertThat(OpenApiContract.location("/x/spec.yaml", " rel/spec.yaml ", module, kept))
                .contains(Path.of("/x/spec.yaml").toUri());
        assertThat(OpenApiContract.location(null, " rel/spec.yaml ", module, kept))
                .contains(module.resolve("rel/spec.yaml").toUri());
        assertThat(OpenApiContract.location(" ", "", module, kept)).isEqualTo(kept);
        assertThat(OpenApiContract.location(null, null, module, Optional.empty()))
                .isEmpty();
    }

    @Test
    void aNamedFileThatIsMissingIsNotReplacedByTheKeptCopy(@TempDir Path root) throws IOException {
        Optional<URI> kept = Optional.of(Files.writeString(root.resolve("kept.yaml"), "openapi: '3.1.0'\n")
                .toUri());

        Optional<URI> location = OpenApiContract.location("missing.yaml", null, root, kept);

        assertThat(location).contains(root.resolve("missing.yaml").toUri());
        assertThat(OpenApiContract.exists(location.orElseThrow())).isFalse();
        assertThat(OpenApiContract.exists(kept.orElseThrow())).isTrue();
    }

    @Test
    void aMissingSpecIsAFailureThatSaysWhereItWasLookedFor() {
        URI missing = URI.create("file:/nowhere/openrouter-openapi.yaml");

        assertThat(OpenApiContract.missing(Optional.of(missing)))
                .startsWith("OpenRouter OpenAPI spec not found at file:/nowhere/openrouter-openapi.yaml;")
                .contains(
                        "server/src/test/resources/contract/",
                        "SOURCE.md",
                        OpenApiContract.SPEC_PROPERTY,
                        OpenApiContract.SPEC_ENV);
        assertThat(OpenApiContract.missing(Optional.empty())).contains(OpenApiContract.SPEC_RESOURCE);
    }

    @Test
    void keepsOpenRoutersMitLicensedSpecOnTheTestClasspath() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        JsonNode kept;
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream(OpenApiContract.SPEC_RESOURCE)) {
            assertThat(in).as("the kept copy " + OpenApiContract.SPEC_RESOURCE).isNotNull();
            kept = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build()).readTree(in);
        }

        assertThat(kept.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(kept.path("info").path("title").asText()).isEqualTo("OpenRouter API");
        assertThat(kept.path("info").path("license").path("name").asText()).isEqualTo("MIT");
        assertThat(OpenApiContractTest.class.getResource("/contract/SOURCE.md"))
                .as("its origin and license")
                .isNotNull();
    }

    @Test
    void namesItsSource() {
        assertThat(fixture.source().getPath()).endsWith("/contract/fixture-openapi.yaml");
        ArrayNode notAnObject = JSON.createArrayNode();
        assertThat(fixture.violations("Problem", notAnObject)).containsExactly("$: array found, object expected");
    }
}
