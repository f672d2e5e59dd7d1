package dev.switchboard.server.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A key crossing 50, 80 and 100 % of its limit is announced to the webhook once per threshold, signed
 * with the shared secret; a delivery the receiver fails is tried again.
 */
class SpendAlertWebhookTest {
    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static final String MODEL = """
              - id: acme/metered
                context_length: 8192
                endpoints:
                  - provider: mock
                    upstream_model: metered
                    pricing: { prompt: "0", completion: "0.000001" }
            """;

    private record Delivery(String body, String timestamp, String signature) {}

    @Test
    void crossingsArePostedOnceEachSignedAndRetried() throws Exception {
        List<Delivery> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // the first delivery fails once: it must come again
            int status = calls.incrementAndGet() == 1 ? 500 : 204;
            if (status == 204) {
                received.add(new Delivery(
                        new String(body, StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp"),
                        exchange.getRequestHeaders().getFirst("X-Switchboard-Signature")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String config = MODEL + "alerts:\n  webhook_url: http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook\n  secret: " + SECRET + "\n  retry_backoff: 50ms\n";
        try (GatewayHarness gateway = GatewayHarness.start(Map.of(), config)) {
            HttpResponse<String> created = gateway.send(
                    "POST",
                    "/keys",
                    GatewayHarness.ADMIN_KEY,
                    "{\"name\":\"watched\",\"limit\":\"0.00003\"}",
                    Map.of());
            String key = GatewayHarness.json(created).path("key").asText();
            String hash = GatewayHarness.json(created).path("data").path("hash").asText();
            for (int i = 0; i < 4; i++) { // 10 tokens each: 33 %, 66 %, 100 %, then refused
                gateway.send(
                        "POST",
                        "/chat/completions",
                        key,
                        "{\"model\":\"acme/metered\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                + "\"simulator\":{\"output_tokens\":10}}",
                        Map.of());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // nothing more may come

            assertThat(received).hasSize(3);
            assertThat(received.stream().map(d -> json(d.body()).path("percent").asInt()))
                    .containsExactly(50, 80, 100);
            for (Delivery delivery : received) {
                JsonNode alert = json(delivery.body());
                assertThat(alert.path("subject").asText()).isEqualTo("key");
                assertThat(alert.path("key_hash").asText()).isEqualTo(hash);
                assertThat(alert.path("limit").decimalValue()).isEqualByComparingTo("0.00003");
                assertThat(delivery.signature())
                        .isEqualTo("sha256=" + hmac(delivery.timestamp() + "." + delivery.body()));
            }
            assertThat(calls.get()).isEqualTo(4);
        } finally {
            receiver.stop(0);
        }
    }

    private static JsonNode json(String text) {
        return GatewayHarness.json(text);
    }

    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
