package dev.switchboard.server.storage;

import static dev.switchboard.server.storage.RootEndpoints.database;
import static dev.switchboard.server.storage.RootEndpoints.health;
import static dev.switchboard.server.storage.RootEndpoints.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.StreamedResponse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A real SQLite database that refuses writes (defect D8; a trigger stands in for a full disk, which
 * needs root to arrange): clients get a clear 503 in OpenRouter's envelope with {@code Retry-After},
 * never a 500; chat requests are refused while the records waiting in memory are at their bound, the
 * records of requests already running are still taken, and every record is stored once the database
 * works again.
 */
class FailingDatabaseTest {
    private static final String CHAT =
            "{\"model\":\"acme/chat-small\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** A stream of 15 tokens at 5 a second: about 3 s in flight. */
    private static final String SLOW_STREAM =
            "{\"model\":\"acme/chat-small\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}],\"simulator\":{\"output_tokens\":15,\"tokens_per_second\":5}}";

    @Test
    void aKeyWriteTheDatabaseRefusesGets503NotA500() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            refuseInserts(database(gateway), "api_keys");

            HttpResponse<String> response =
                    gateway.send("POST", "/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"x\"}", Map.of());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            JsonNode error = GatewayHarness.json(response).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText())
                    .contains("cannot use its database")
                    .doesNotContain(gateway.dataDirectory().toString());
            assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("storage_unavailable");
            assertThat(error.path("metadata").path("reason").asText()).isEqualTo("failed");
            assertThat(response.headers().firstValue("Retry-After")).contains("5");

            allowInserts(database(gateway), "api_keys");
            HttpResponse<String> after =
                    gateway.send("POST", "/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"x\"}", Map.of());
            assertThat(after.statusCode())
                    .as("works again once the database does")
                    .isEqualTo(201);
        }
    }

    @Test
    void refusesNewChatRequestsWhileTheBacklogIsFullAndStoresEveryRecordOnceTheDatabaseWorks() throws Exception {
        try (GatewayHarness gateway =
                GatewayHarness.start(Map.of("SWITCHBOARD_STORAGE_MAX_PENDING_RECORDS", "3"), "")) {
            Path file = database(gateway);
            refuseInserts(file, "generations");
            List<String> ids = new ArrayList<>();
            ids.add(chat(gateway, CHAT));
            long received = gateway.simulator().stats().requestsReceived();
            CompletableFuture<StreamedResponse> slow =
                    CompletableFuture.supplyAsync(() -> gateway.stream(SLOW_STREAM, Map.of()));
            awaitTrue(() -> gateway.simulator().stats().requestsReceived() > received, "the slow request is running");
            ids.add(chat(gateway, CHAT));
            ids.add(chat(gateway, CHAT));
            awaitTrue(() -> metric(gateway, "switchboard_generation_backlog") >= 3, "3 records wait");

            HttpResponse<String> refused = gateway.post("/chat/completions", CHAT);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            JsonNode error = GatewayHarness.json(refused).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(503);
            assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("storage_unavailable");
            assertThat(error.path("metadata").path("reason").asText()).isEqualTo("backlog_full");
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
            assertThat(refused.headers().firstValue("X-Generation-Id"))
                    .as("refused before routing: no record")
                    .isEmpty();
            HttpResponse<String> unhealthy = health(gateway);
            assertThat(unhealthy.statusCode()).isEqualTo(503);
            assertThat(GatewayHarness.json(unhealthy).findValuesAsText("code"))
                    .contains("generation_writes_failing", "backlog_full");
            assertThat(metric(gateway, "switchboard_generation_refused_total")).isEqualTo(1);
            assertThat(metric(gateway, "switchboard_generation_writes_failing")).isEqualTo(1);
            assertThat(metric(gateway, "switchboard_generation_backlog_limit")).isEqualTo(3);
            assertThat(metric(gateway, "switchboard_generation_write_failures_total"))
                    .isPositive();

            StreamedResponse streamed = slow.get();
            assertThat(streamed.status()).isEqualTo(200);
            ids.add(streamed.header("X-Generation-Id"));
            awaitTrue(
                    () -> metric(gateway, "switchboard_generation_backlog") == 4,
                    "the running request left its record");
            assertThat(gateway.get("/generation?id=" + ids.getLast(), gateway.apiKey())
                            .statusCode())
                    .isEqualTo(200);

            allowInserts(file, "generations");
            awaitTrue(() -> metric(gateway, "switchboard_generation_backlog") == 0, "the backlog drains");
            assertThat(health(gateway).statusCode()).isEqualTo(200);
            ids.add(chat(gateway, CHAT));
            awaitTrue(() -> metric(gateway, "switchboard_generation_backlog") == 0, "the last record is stored");
            assertThat(storedIds(file)).containsAll(ids);
        }
    }

    private static String chat(GatewayHarness gateway, String body) {
        HttpResponse<String> response = gateway.post("/chat/completions", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("X-Generation-Id").orElseThrow();
    }

    /** Makes every insert into {@code table} fail, as a full disk would, until {@link #allowInserts}. */
    static void refuseInserts(Path database, String table) throws SQLException {
        execute(
                database,
                "CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table
                        + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }

    static void allowInserts(Path database, String table) throws SQLException {
        execute(database, "DROP TRIGGER refuse_" + table);
    }

    private static List<String> storedIds(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT id FROM generations")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    private static void execute(Path database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
