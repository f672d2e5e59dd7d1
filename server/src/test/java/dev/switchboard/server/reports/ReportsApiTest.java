package dev.switchboard.server.reports;

import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.keys.KeySecrets;
import dev.switchboard.server.contract.OpenApiContract;
import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /activity} and {@code GET /apps} after real requests through a gateway to the upstream
 * simulator, on a real SQLite file: activity per day and endpoint that agrees to the last digit with the
 * usage the clients were sent (checked against the OpenAPI spec's {@code ActivityResponse}), its filters
 * and the requests it refuses, and apps ranked by tokens with their titles and categories. Reports read
 * the aggregates, which a record reaches when the writer stores it, a few milliseconds after the
 * response; the tests wait for that, up to a bound.
 */
class ReportsApiTest {
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Duration STORED_WITHIN = Duration.ofSeconds(10);
    private static GatewayHarness gateway;
    private final OpenApiContract spec = OpenApiContract.require();

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void activityIsPerDayAndEndpointAndAgreesExactlyWithWhatClientsWereBilled() {
        String key = gateway.createKey("activity");
        List<JsonNode> usages = new ArrayList<>();
        usages.add(chat(key, "acme/chat-small", false, Map.of()));
        usages.add(chat(key, "acme/chat-small", true, Map.of()));
        usages.add(chat(key, "acme/chat-small", false, Map.of()));
        JsonNode priced = chat(key, "acme/chat-priced", false, Map.of());

        JsonNode body = awaitReport("/activity?api_key_hash=" + KeySecrets.hash(key), data -> requests(data) == 4);

        spec.assertValidResponse("get", "/activity", 200, body);
        JsonNode data = body.path("data");
        assertThat(data).hasSize(2);
        JsonNode small = item(data, "acme/chat-small");
        assertThat(small.path("date").asText()).isEqualTo(today().toString());
        assertThat(small.path("model_permaslug").asText()).isEqualTo("acme/chat-small");
        assertThat(small.path("endpoint_id").asText()).isEqualTo("mock:acme/chat-small");
        assertThat(small.path("provider_name").asText()).isEqualTo("Mock Cloud");
        assertThat(small.path("requests").asLong()).isEqualTo(3);
        assertThat(small.path("usage").decimalValue()).isEqualByComparingTo(sum(usages, "cost"));
        assertThat(small.path("prompt_tokens").asLong())
                .isEqualTo(sum(usages, "prompt_tokens").longValueExact());
        assertThat(small.path("completion_tokens").asLong())
                .isEqualTo(sum(usages, "completion_tokens").longValueExact());
        assertThat(small.path("reasoning_tokens").asLong()).isZero();
        assertThat(small.path("byok_usage_inference").decimalValue()).isZero();
        assertThat(small.has("workspace_id")).isFalse();
        JsonNode pricedItem = item(data, "acme/chat-priced");
        assertThat(pricedItem.path("usage").decimalValue())
                .isEqualByComparingTo(priced.path("cost").decimalValue())
                .isPositive();
    }

    @Test
    void activityIsFilteredByDateAndWorkspaceAndSplitPerWorkspaceOnRequest() {
        String key = gateway.createKey("filtered");
        chat(key, "acme/chat-small", false, Map.of());
        String byKey = "/activity?api_key_hash=" + KeySecrets.hash(key);
        awaitReport(byKey, data -> requests(data) == 1);

        assertThat(report(byKey + "&date=" + today()).path("data")).hasSize(1);
        assertThat(report(byKey + "&date=" + today().minusDays(30)).path("data"))
                .isEmpty();
        assertThat(report(byKey + "&workspace_id=default&user_id=user_abc").path("data"))
                .hasSize(1);
        assertThat(report(byKey + "&workspace_id=elsewhere").path("data")).isEmpty();
        JsonNode split = report(byKey + "&group_by=workspace");
        spec.assertValidResponse("get", "/activity", 200, split);
        assertThat(split.path("data").path(0).path("workspace_id").asText()).isEqualTo("default");
        assertThat(report("/activity").path("data").size())
                .as("every key, all workspaces")
                .isPositive();
    }

    @Test
    void refusesBadActivityParametersWithTheParameterNamed() {
        for (String[] bad : new String[][] {
            {"date=" + today().minusDays(31), "date"},
            {"date=" + today().plusDays(1), "date"},
            {"date=22-11-2026", "date"},
            {"api_key_hash=abc", "api_key_hash"},
            {"group_by=model", "group_by"},
            {"workspace_id=" + "w".repeat(300), "workspace_id"}
        }) {
            HttpResponse<String> response = gateway.get("/activity?" + bad[0], ADMIN_KEY);

            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            JsonNode error = json(response.body()).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("metadata").path("param").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }

    @Test
    void onlyManagementKeysReadReports() {
        for (String path : List.of("/activity", "/apps")) {
            assertThat(gateway.get(path, gateway.apiKey()).statusCode())
                    .as(path)
                    .isEqualTo(403);
            assertThat(gateway.get(path, null).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void appsAreRankedByTokensWithTheirTitleAndCategories() {
        String key = gateway.createKey("apps");
        Map<String, String> busy = Map.of(
                "HTTP-Referer", "https://busy.example.test/",
                "X-OpenRouter-Title", "Busy App",
                "X-OpenRouter-Categories", "cli-agent, Programming-App, game");
        Map<String, String> quiet = Map.of("HTTP-Referer", "https://quiet.example.test", "X-Title", "Quiet App");
        chat(key, "acme/chat-small", false, quiet);
        chat(key, "acme/chat-small", false, busy, 40);
        chat(key, "acme/chat-small", true, busy, 40);
        chat(key, "acme/chat-small", false, Map.of("X-OpenRouter-Title", "No referer, no app"));

        JsonNode body = awaitReport(
                "/apps?period=day",
                data -> apps(data, "https://busy.example.test") == 2 && apps(data, "https://quiet.example.test") == 1);

        assertThat(body.path("period").asText()).isEqualTo("day");
        assertThat(body.path("start_date").asText()).isEqualTo(today().toString());
        assertThat(body.path("end_date").asText()).isEqualTo(today().toString());
        List<String> ranked = body.path("data").findValuesAsText("app");
        assertThat(ranked).containsSubsequence("https://busy.example.test", "https://quiet.example.test");
        JsonNode first = app(body.path("data"), "https://busy.example.test");
        assertThat(first.path("title").asText()).isEqualTo("Busy App");
        assertThat(textValues(first.path("categories"))).containsExactly("cli-agent", "programming-app");
        assertThat(first.path("total_tokens").asLong())
                .isEqualTo(first.path("prompt_tokens").asLong()
                        + first.path("completion_tokens").asLong());
        assertThat(app(body.path("data"), "https://quiet.example.test")
                        .path("title")
                        .asText())
                .isEqualTo("Quiet App");
        assertThat(ranked).noneMatch(app -> app.contains("No referer"));
        JsonNode month = report("/apps?period=month&limit=1");
        assertThat(month.path("data")).hasSize(1);
        assertThat(month.path("start_date").asText())
                .isEqualTo(today().withDayOfMonth(1).toString());
        assertThat(report("/apps").path("period").asText()).isEqualTo("week");
    }

    @Test
    void refusesBadAppsParametersWithTheParameterNamed() {
        for (String[] bad : new String[][] {
            {"period=year", "period"}, {"limit=0", "limit"}, {"limit=501", "limit"}, {"date=tomorrow", "date"}
        }) {
            HttpResponse<String> response = gateway.get("/apps?" + bad[0], ADMIN_KEY);

            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(json(response.body())
                            .path("error")
                            .path("metadata")
                            .path("param")
                            .asText())
                    .as(bad[0])
                    .isEqualTo(bad[1]);
        }
    }

    /** Sends a chat request and returns the usage the client got. */
    private static JsonNode chat(String key, String model, boolean stream, Map<String, String> headers) {
        return chat(key, model, stream, headers, 3);
    }

    private static JsonNode chat(
            String key, String model, boolean stream, Map<String, String> headers, int outputTokens) {
        HttpResponse<String> response =
                gateway.send("POST", "/chat/completions", key, """
                {"model":"%s","stream":%s,"simulator":{"output_tokens":%d},
                 "messages":[{"role":"user","content":"Tell me something"}]}
                """.formatted(model, stream, outputTokens), headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (!stream) {
            return json(response.body()).path("usage");
        }
        List<String> chunks = response.body()
                .lines()
                .filter(line -> line.startsWith("data: {"))
                .toList();
        return json(chunks.getLast().substring("data: ".length())).path("usage");
    }

    /** The report at {@code path} once {@code ready} holds of its data, waiting for the records to be stored. */
    private static JsonNode awaitReport(String path, Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
        JsonNode body = report(path);
        while (!ready.test(body.path("data")) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            body = report(path);
        }
        assertThat(ready.test(body.path("data")))
                .as("the report within %s: %s", STORED_WITHIN, body)
                .isTrue();
        return body;
    }

    private static JsonNode report(String path) {
        HttpResponse<String> response = gateway.get(path, ADMIN_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    private static long requests(JsonNode data) {
        long requests = 0;
        for (JsonNode item : data) {
            requests += item.path("requests").asLong();
        }
        return requests;
    }

    private static long apps(JsonNode data, String app) {
        for (JsonNode item : data) {
            if (item.path("app").asText().equals(app)) {
                return item.path("requests").asLong();
            }
        }
        return 0;
    }

    private static JsonNode app(JsonNode data, String app) {
        return only(data, "app", app);
    }

    private static JsonNode item(JsonNode data, String model) {
        return only(data, "model", model);
    }

    private static JsonNode only(JsonNode data, String field, String value) {
        List<JsonNode> matching = new ArrayList<>();
        data.forEach(item -> {
            if (item.path(field).asText().equals(value)) {
                matching.add(item);
            }
        });
        assertThat(matching).as("%s %s in %s", field, value, data).hasSize(1);
        return matching.getFirst();
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static BigDecimal sum(List<JsonNode> usages, String field) {
        return usages.stream().map(usage -> usage.path(field).decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static JsonNode json(String text) {
        try {
            return EXACT.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
