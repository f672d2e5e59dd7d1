package dev.switchboard.server.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.OpenApi31;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Validates JSON against a schema in OpenRouter's OpenAPI 3.1 document, of which a copy is kept with
 * the tests ({@code src/test/resources/contract/openrouter-openapi.yaml}; its origin, date and
 * license are in {@code SOURCE.md} beside it). Thread-safe once built: compiled schemas are cached
 * per JSON pointer in a concurrent map and are immutable after compilation.
 *
 * <h2>How it validates</h2>
 * The YAML is read once into a tree and handed to networknt json-schema-validator 3 as the JSON
 * document {@value #DOCUMENT_IRI}. Every check is the schema {@code {"$ref": "<that IRI>#<pointer>"}},
 * so each {@code $ref: '#/components/schemas/X'} inside the spec resolves against the whole document,
 * and inline response schemas under {@code /paths} are reachable the same way. The JSON to check is
 * handed over as text: the validator reads Jackson 3 trees, the gateway and its tests use Jackson 2. The dialect is the
 * OpenAPI 3.1 base dialect (JSON Schema 2020-12 plus {@code discriminator}, {@code example},
 * {@code xml}, {@code externalDocs}); every other unknown keyword ({@code x-*}, the document's own
 * {@code openapi}/{@code info}/{@code paths}) is a silent annotation. On top of plain 2020-12:
 * <ul>
 *   <li>{@code discriminator} is honoured: a {@code oneOf} reports only the mapped branch's errors;</li>
 *   <li>{@code format} is asserted (the schemas we emit use only {@code date-time}); formats the
 *       validator does not know ({@code double}, {@code int32}, {@code wav}) are ignored;</li>
 *   <li>3.0-style {@code nullable: true} beside a single {@code type} admits null: the document is
 *       handed over with it rewritten as {@code type: [T, 'null']}, as the validator no longer
 *       knows the keyword. The snapshot never uses it: it writes {@code type: [T, 'null']},
 *       {@code enum: [..., null]} or {@code anyOf: [..., {type: 'null'}]}.</li>
 * </ul>
 *
 * <h2>The schemas the gateway must satisfy, and what each one requires</h2>
 * "null ok" means the key must be present but may be null; other listed keys must be present and
 * non-null. Optional fields are still type-checked when present.
 * <ul>
 *   <li>{@code ChatResult} = ({@code post}, {@code /chat/completions}, 200): {@code id},
 *       {@code choices[]}, {@code created} (integer), {@code model}, {@code object}
 *       ("chat.completion"), {@code system_fingerprint} (null ok). Each choice: {@code index},
 *       {@code finish_reason} (tool_calls|stop|length|content_filter|error, null ok),
 *       {@code message.role} ("assistant"). {@code usage}, when present: {@code prompt_tokens},
 *       {@code completion_tokens}, {@code total_tokens}.</li>
 *   <li>{@code ChatStreamChunk}: every SSE {@code data:} payload of the same operation (its
 *       text/event-stream schema {@code ChatStreamingResponse} is only {@code {data: ChatStreamChunk}}):
 *       {@code id}, {@code choices[]} (may be empty), {@code created}, {@code model}, {@code object}
 *       ("chat.completion.chunk"). Each choice: {@code index}, {@code delta} (object),
 *       {@code finish_reason} (null ok). {@code system_fingerprint} is optional but string-only:
 *       null is rejected here, unlike in {@code ChatResult}. A mid-stream {@code error} needs
 *       {@code code} (integer) and {@code message}; its {@code metadata} needs {@code error_type}.</li>
 *   <li>{@code ModelsListResponse} = ({@code get}, {@code /models}, 200): {@code data[]},
 *       {@code total_count}, {@code links.next} (null ok). Each {@code Model}: {@code id},
 *       {@code canonical_slug}, {@code name}, {@code created}, {@code pricing.prompt} and
 *       {@code .completion} (decimal strings), {@code context_length} (null ok),
 *       {@code architecture} ({@code modality} null ok, {@code input_modalities},
 *       {@code output_modalities}), {@code top_provider.is_moderated}, {@code per_request_limits}
 *       (null ok), {@code supported_parameters} (enum values), {@code default_parameters} (null
 *       ok), {@code supported_voices} (null ok), {@code links.details}.</li>
 *   <li>{@code ListEndpointsResponse}: the {@code data} of ({@code get},
 *       {@code /models/{author}/{slug}/endpoints}, 200): {@code id}, {@code name}, {@code created},
 *       {@code description}, {@code architecture} (as above plus {@code tokenizer} and
 *       {@code instruct_type}, null ok), {@code endpoints[]}. Each endpoint: {@code name},
 *       {@code model_id}, {@code model_name}, {@code context_length}, {@code pricing.prompt} and
 *       {@code .completion}, {@code provider_name} (a closed enum), {@code tag},
 *       {@code quantization}, {@code max_completion_tokens}, {@code max_prompt_tokens},
 *       {@code uptime_last_30m}, {@code uptime_last_5m}, {@code uptime_last_1d},
 *       {@code latency_last_30m}, {@code throughput_last_30m} (all null ok),
 *       {@code supported_parameters}, {@code supports_implicit_caching}.</li>
 *   <li>({@code get}, {@code /providers}, 200), inline: {@code data[]} of {@code name},
 *       {@code slug}, {@code privacy_policy_url} (null ok).</li>
 *   <li>({@code get}, {@code /key}, 200), inline: {@code data} with {@code label}, {@code limit},
 *       {@code limit_remaining}, {@code limit_reset}, {@code creator_user_id} (null ok),
 *       {@code usage}, {@code usage_daily}, {@code usage_weekly}, {@code usage_monthly},
 *       {@code byok_usage}, {@code byok_usage_daily}, {@code byok_usage_weekly},
 *       {@code byok_usage_monthly}, {@code is_free_tier}, {@code is_management_key},
 *       {@code is_provisioning_key}, {@code include_byok_in_limit},
 *       {@code rate_limit {requests, interval, note}}.</li>
 *   <li>({@code get}, {@code /keys}, 200), ({@code post}, {@code /keys}, <b>201</b>),
 *       ({@code get}/{@code patch}, {@code /keys/{hash}}, 200), inline: {@code data} (an array for
 *       the list) of key objects with {@code hash}, {@code name}, {@code label}, {@code disabled},
 *       {@code limit}, {@code limit_remaining}, {@code limit_reset}, {@code updated_at},
 *       {@code creator_user_id} (null ok), {@code include_byok_in_limit}, {@code usage},
 *       {@code usage_daily}, {@code usage_weekly}, {@code usage_monthly}, {@code byok_usage},
 *       {@code byok_usage_daily}, {@code byok_usage_weekly}, {@code byok_usage_monthly},
 *       {@code created_at}, {@code workspace_id}; the 201 also needs the top-level secret
 *       {@code key}. ({@code delete}, {@code /keys/{hash}}, 200) is {@code {"deleted": true}}.</li>
 *   <li>{@code GenerationResponse} = ({@code get}, {@code /generation}, 200): {@code data} with
 *       42 required keys, most null ok; non-null: {@code id}, {@code total_cost}, {@code created_at},
 *       {@code model}, {@code origin}, {@code usage}, {@code is_byok}, {@code data_region}
 *       (global|europe|us).</li>
 *   <li>Errors: there is no single {@code ErrorResponse}. Every error status has its own,
 *       identically shaped schema ({@code BadRequestResponse}, {@code UnauthorizedResponse},
 *       {@code PaymentRequiredResponse}, {@code ForbiddenResponse}, {@code NotFoundResponse},
 *       {@code RequestTimeoutResponse}, {@code PayloadTooLargeResponse},
 *       {@code UnprocessableEntityResponse}, {@code TooManyRequestsResponse},
 *       {@code InternalServerResponse}, {@code BadGatewayResponse},
 *       {@code ServiceUnavailableResponse}, {@code EdgeNetworkTimeoutResponse},
 *       {@code ProviderOverloadedResponse}, {@code ConflictResponse}, {@code GoneResponse}):
 *       {@code error.code} (integer) and {@code error.message}; {@code error.metadata} and
 *       {@code user_id} are optional (null ok).</li>
 * </ul>
 * Extra properties are allowed everywhere on these paths except inside
 * {@code Model.default_parameters}. The official SDKs are stricter than this snapshot (see
 * {@code openrouter-api.md}, Appendix B): {@code GET /key} data also needs
 * {@code allowed_data_regions}, {@code free_model_daily_requests {limit, remaining, used}},
 * {@code organization_id} and {@code workspace_id}; this class checks only the spec.
 */
public final class OpenApiContract {

    /** System property naming a spec file to use instead of the kept copy (a newer one, say). */
    public static final String SPEC_PROPERTY = "switchboard.openapi";
    /** Environment variable naming such a file; read when the system property is not set. */
    public static final String SPEC_ENV = "SWITCHBOARD_OPENAPI_SPEC";
    /** The copy kept with the tests, on the test classpath. */
    static final String SPEC_RESOURCE = "/contract/openrouter-openapi.yaml";
    /** A fake address: the validator resolves every reference against it and never goes online. */
    static final String DOCUMENT_IRI = "https://switchboard.test/openrouter-openapi.json";

    private static final int MAX_JSON_IN_FAILURE = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI source;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final ConcurrentMap<String, Schema> schemasByPointer = new ConcurrentHashMap<>();

    private OpenApiContract(URI source, JsonNode document) {
        this.source = source;
        this.document = document;
        this.registry = registryServing(document);
    }

    /**
     * The spec of this JVM, parsed once on first use, from {@link #location}: the file named by
     * system property {@value #SPEC_PROPERTY} or environment variable {@value #SPEC_ENV}, else the
     * kept copy. Empty when that file or copy does not exist; one that exists but does not parse is
     * an error.
     */
    public static Optional<OpenApiContract> load() {
        return Holder.LOADED;
    }

    /**
     * The spec of this JVM; without one, an {@link AssertionError} that says where it was looked for.
     * A missing spec fails the calling test: contract tests must never pass by not running.
     */
    public static OpenApiContract require() {
        return load().orElseThrow(() -> new AssertionError(missing(configuredLocation())));
    }

    /** Parses the spec at {@code spec} (YAML or JSON); for fixtures and explicit paths. */
    public static OpenApiContract parse(Path spec) {
        return parse(spec.toUri());
    }

    private static OpenApiContract parse(URI spec) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        YAMLMapper yaml =
                new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
        try (InputStream in = spec.toURL().openStream()) {
            return new OpenApiContract(spec, yaml.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAPI spec " + spec, e);
        }
    }

    /** Where this contract was read from. */
    public URI source() {
        return source;
    }

    /**
     * Every violation of {@code #/components/schemas/<schemaName>} by {@code json}, each as
     * {@code "path: message"} with a JSON path such as {@code $.choices[0].index}, sorted; empty
     * when valid.
     *
     * @throws IllegalArgumentException if the spec has no such schema
     */
    public List<String> violations(String schemaName, JsonNode json) {
        return validate(schemaPointer(schemaName), json);
    }

    /**
     * Every violation by {@code body} of the {@code application/json} schema of the response
     * documented for {@code status} (else its {@code NXX} range, else {@code default}) of the
     * operation {@code method path}, where {@code path} is written as in the spec
     * ({@code /keys/{hash}}).
     *
     * @throws IllegalArgumentException if the spec documents no such operation, response or schema
     */
    public List<String> responseViolations(String method, String path, int status, JsonNode body) {
        return validate(responseSchemaPointer(method, path, status), body);
    }

    /** Throws an {@link AssertionError} listing every violation and the JSON, unless it is valid. */
    public void assertValid(String schemaName, JsonNode json) {
        failOnViolations("schema " + schemaName, violations(schemaName, json), json);
    }

    /**
     * Throws an {@link AssertionError} listing every violation and the body unless {@code body} is
     * a valid {@code application/json} response of {@code method path} with {@code status}, as in
     * {@code assertValidResponse("get", "/key", 200, body)}.
     */
    public void assertValidResponse(String method, String path, int status, JsonNode body) {
        String subject = method.toUpperCase(Locale.ROOT) + " " + path + " " + status + " response";
        failOnViolations(subject, responseViolations(method, path, status, body), body);
    }

    private List<String> validate(String pointer, JsonNode json) {
        Objects.requireNonNull(json, "json (use NullNode for a JSON null)");
        Schema schema = schemasByPointer.computeIfAbsent(pointer, this::compile);
        return schema.validate(json.toString(), InputFormat.JSON).stream()
                .map(OpenApiContract::describe)
                .sorted()
                .toList();
    }

    private Schema compile(String pointer) {
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
        schema.initializeValidators();
        return schema;
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + ": " + error.getMessage();
    }

    private String schemaPointer(String schemaName) {
        String pointer = "/components/schemas/" + escape(schemaName);
        if (document.at(pointer).isMissingNode()) {
            throw new IllegalArgumentException(
                    "no schema " + schemaName + " in " + source + "; similar names: " + similarSchemaNames(schemaName));
        }
        return pointer;
    }

    private List<String> similarSchemaNames(String schemaName) {
        String wanted = schemaName.toLowerCase(Locale.ROOT);
        List<String> similar = new ArrayList<>();
        document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            String candidate = name.toLowerCase(Locale.ROOT);
            if (candidate.contains(wanted) || wanted.contains(candidate)) {
                similar.add(name);
            }
        });
        return similar.stream().limit(12).toList();
    }

    /** Status, then its range, then default; the response itself may be a local {@code $ref}. */
    private String responseSchemaPointer(String method, String path, int status) {
        String operation = "/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode responses = document.at(operation + "/responses");
        if (!responses.isObject()) {
            throw new IllegalArgumentException(
                    "no operation " + method.toUpperCase(Locale.ROOT) + " " + path + " in " + source);
        }
        String key = Stream.of(Integer.toString(status), status / 100 + "XX", "default")
                .filter(responses::has)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(method.toUpperCase(Locale.ROOT) + " " + path
                        + " documents no response " + status + "; it has " + names(responses)));
        String response = followLocalRefs(operation + "/responses/" + escape(key));
        String schema = response + "/content/application~1json/schema";
        if (document.at(schema).isMissingNode()) {
            throw new IllegalArgumentException(method.toUpperCase(Locale.ROOT) + " " + path + " "
                    + key + " has no application/json schema; content types: "
                    + names(document.at(response + "/content")));
        }
        return schema;
    }

    private String followLocalRefs(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 16; hops++) {
            String ref = document.at(current).path("$ref").asText("");
            if (!ref.startsWith("#/")) {
                return current;
            }
            current = ref.substring(1);
        }
        throw new IllegalStateException("$ref cycle at " + pointer + " in " + source);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Escapes one JSON pointer segment (RFC 6901). */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private void failOnViolations(String subject, List<String> violations, JsonNode json) {
        if (violations.isEmpty()) {
            return;
        }
        throw new AssertionError(violations.size() + " violation(s) of OpenRouter " + subject
                + " (" + source + "):\n  - " + String.join("\n  - ", violations)
                + "\nJSON:\n" + abbreviated(json));
    }

    private static String abbreviated(JsonNode json) {
        String text;
        try {
            text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            text = String.valueOf(json);
        }
        return text.length() <= MAX_JSON_IN_FAILURE
                ? text
                : text.substring(0, MAX_JSON_IN_FAILURE) + "\n... (" + text.length() + " chars in all)";
    }

    private static SchemaRegistry registryServing(JsonNode document) {
        String documentJson;
        try {
            documentJson = JSON.writeValueAsString(withNullableAsNullType(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the OpenAPI document", e);
        }
        Dialect dialect = Dialect.builder(OpenApi31.getInstance())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
        return SchemaRegistry.withDialect(
                dialect, builder -> builder.schemaRegistryConfig(config).schemas(Map.of(DOCUMENT_IRI, documentJson)));
    }

    /** A copy of {@code document} where each {@code nullable: true} beside a single type adds "null" to it. */
    private static JsonNode withNullableAsNullType(JsonNode document) {
        JsonNode copy = document.deepCopy();
        addNullTypeWhereNullable(copy);
        return copy;
    }

    private static void addNullTypeWhereNullable(JsonNode node) {
        if (node instanceof ObjectNode schema
                && schema.path("nullable").asBoolean(false)
                && schema.path("type").isTextual()) {
            schema.set(
                    "type",
                    JSON.createArrayNode().add(schema.get("type").asText()).add("null"));
        }
        node.forEach(OpenApiContract::addNullTypeWhereNullable);
    }

    /**
     * Where the spec is read from: the file named by the first setting given ({@code property}, then
     * {@code environment}; relative to {@code workingDirectory}), else {@code keptCopy}. A named file
     * wins even when it is missing, so that a mistyped setting fails instead of quietly testing
     * against the kept copy. Empty only when nothing is named and there is no kept copy.
     */
    static Optional<URI> location(String property, String environment, Path workingDirectory, Optional<URI> keptCopy) {
        return Stream.of(property, environment)
                .filter(setting -> setting != null && !setting.isBlank())
                .findFirst()
                .map(setting ->
                        workingDirectory.resolve(setting.strip()).normalize().toUri())
                .or(() -> keptCopy);
    }

    /** The failure message for a spec not found at {@code location}. */
    static String missing(Optional<URI> location) {
        return location.map(uri -> "OpenRouter OpenAPI spec not found at " + uri)
                        .orElse("OpenRouter OpenAPI spec " + SPEC_RESOURCE + " is not on the test classpath")
                + "; the copy is kept in server/src/test/resources/contract/ (see SOURCE.md there), and "
                + SPEC_PROPERTY + " or " + SPEC_ENV + " may name another";
    }

    private static Optional<URI> configuredLocation() {
        return location(
                System.getProperty(SPEC_PROPERTY),
                System.getenv(SPEC_ENV),
                Path.of("").toAbsolutePath(),
                keptCopy());
    }

    private static Optional<URI> keptCopy() {
        return Optional.ofNullable(OpenApiContract.class.getResource(SPEC_RESOURCE))
                .map(url -> {
                    try {
                        return url.toURI();
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException("unusable classpath location " + url, e);
                    }
                });
    }

    /** Whether the spec at {@code location} can be read: a file must exist; a resource found does. */
    static boolean exists(URI location) {
        return !"file".equals(location.getScheme()) || Files.isRegularFile(Path.of(location));
    }

    /** Lazily parses the spec once per JVM (class initialisation is the lock). */
    private static final class Holder {
        static final Optional<OpenApiContract> LOADED =
                configuredLocation().filter(OpenApiContract::exists).map(OpenApiContract::parse);
    }
}
