package dev.switchboard.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.SpendAlert;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.server.http.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers spend alerts: a log line for each, and, when {@code alerts.webhook_url} is set, a POST of its
 * JSON signed with HMAC-SHA256.
 *
 * <p>Design note. Alerts are raised on request threads as requests settle, so raising one only offers it
 * to a bounded queue ({@value #QUEUE} alerts; beyond that they are logged and dropped, never blocking a
 * request). One virtual thread posts them in order. A delivery that fails (no connection, a timeout, a
 * status other than 2xx) is tried again after {@code retry_backoff}, doubled each time, five attempts in
 * all; then it is logged as lost. The receiver checks {@code X-Switchboard-Signature: sha256=<hex>},
 * the HMAC of {@code <X-Switchboard-Timestamp>.<body>} under the shared secret, and may refuse old
 * timestamps to stop replays. Nothing in an alert is secret: key hashes, amounts, times.
 *
 * <p>Thread-safe.
 */
public final class WebhookAlerts implements Consumer<SpendAlert>, AutoCloseable {
    static final int QUEUE = 1000;
    static final int ATTEMPTS = 5;
    private static final System.Logger LOG = System.getLogger(WebhookAlerts.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> url;
    private final Optional<String> secret;
    private final Duration backoff;
    private final ObjectMapper json;
    private final Clock clock;
    private final BlockingQueue<SpendAlert> queue = new ArrayBlockingQueue<>(QUEUE);
    private final HttpClient client;
    private final Thread sender;

    public WebhookAlerts(GatewayConfig.Alerts config, ObjectMapper json, Clock clock) {
        this.url = config.webhookUrl();
        this.secret = config.secret();
        this.backoff = config.retryBackoff();
        this.json = json;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.sender = Thread.ofVirtual().name("switchboard-alerts").start(this::send);
    }

    @Override
    public void accept(SpendAlert alert) {
        LOG.log(
                Level.WARNING,
                "spend alert: {0} {1} crossed {2}% ({3} of {4} USD)",
                alert.subject(),
                shortId(alert),
                alert.percent(),
                alert.spent().toPlainString(),
                alert.limit().toPlainString());
        if (url.isPresent() && !queue.offer(alert)) {
            LOG.log(
                    Level.WARNING,
                    "spend alert queue full; the webhook misses an alert of {0} {1}",
                    alert.subject(),
                    shortId(alert));
        }
    }

    private static String shortId(SpendAlert alert) {
        return alert.subject().equals("key") && alert.id().length() > 12
                ? alert.id().substring(0, 12)
                : alert.id();
    }

    private void send() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                deliver(queue.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(SpendAlert alert) throws InterruptedException {
        byte[] body = Json.bytes(json, body(alert));
        Duration wait = backoff;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(url.orElseThrow())
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Switchboard")
                    .header("X-Switchboard-Timestamp", timestamp)
                    .header("X-Switchboard-Signature", "sha256=" + signature(timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status / 100 == 2) {
                    return;
                }
                LOG.log(
                        Level.WARNING,
                        "spend alert webhook answered {0} (attempt {1} of {2})",
                        status,
                        attempt,
                        ATTEMPTS);
            } catch (IOException e) {
                LOG.log(
                        Level.WARNING,
                        "spend alert webhook failed: {0} (attempt {1} of {2})",
                        e.getClass().getSimpleName(),
                        attempt,
                        ATTEMPTS);
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
        LOG.log(
                Level.ERROR,
                "spend alert of {0} {1} at {2}% not delivered after {3} attempts",
                alert.subject(),
                shortId(alert),
                alert.percent(),
                ATTEMPTS);
    }

    private ObjectNode body(SpendAlert alert) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", "spend_threshold");
        out.put("subject", alert.subject());
        out.put(alert.subject().equals("key") ? "key_hash" : "workspace_id", alert.id());
        out.put("percent", alert.percent());
        Json.putMoney(out, "limit", alert.limit());
        Json.putMoney(out, "spent", alert.spent());
        out.put("period_start", alert.periodStart().toString());
        out.put("at", alert.at().toString());
        return out;
    }

    /** Hex HMAC-SHA256 of {@code timestamp.body} under the secret. */
    String signature(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }

    @Override
    public void close() {
        sender.interrupt();
        client.close();
    }
}
