package dev.switchboard.server.storage;

import dev.switchboard.server.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** {@code GET /health} and {@code GET /metrics} of a test gateway (at the root, not under {@code /api/v1}), and its database file. */
final class RootEndpoints {
    private RootEndpoints() {}

    static HttpResponse<String> health(GatewayHarness gateway) {
        return get(gateway, "/health");
    }

    /** The Prometheus text of {@code /metrics}. */
    static String scrape(GatewayHarness gateway) {
        return get(gateway, "/metrics").body();
    }

    /** The value of an unlabelled metric in {@code /metrics}. */
    static double metric(GatewayHarness gateway, String name) {
        return scrape(gateway)
                .lines()
                .filter(line -> line.startsWith(name + " "))
                .findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    static Path database(GatewayHarness gateway) {
        return gateway.dataDirectory().resolve("switchboard.db");
    }

    private static HttpResponse<String> get(GatewayHarness gateway, String path) {
        URI uri = URI.create(gateway.baseUrl().toString().replace("/api/v1", path));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
