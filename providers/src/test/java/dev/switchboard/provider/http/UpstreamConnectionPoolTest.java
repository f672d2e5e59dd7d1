package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.core.upstream.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The gateway's upstream connection pool: connections are reused, an upstream closing idle connections
 * at any moment never fails a request, and idle connections are closed after the idle timeout.
 */
class UpstreamConnectionPoolTest {
    private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void servesThousandsOfRequestsWhileTheUpstreamClosesIdleConnectionsAtRandom() throws Exception {
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(0.2, 3);
                UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            int workers = 8;
            int requestsEach = 500;
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < workers; w++) {
                    var unused = clients.submit(() -> {
                        for (int i = 0; i < requestsEach; i++) {
                            try {
                                assertThat(call(http, upstream)).isEqualTo("{\"ok\":true}");
                                ok.incrementAndGet();
                            } catch (UpstreamException | IOException | AssertionError e) {
                                failures.add(String.valueOf(e));
                            }
                            // a gap as long as the upstream's idle pauses, so that its closes land at every moment
                            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        }
                        return null;
                    });
                }
            }
            int requests = workers * requestsEach;

            assertThat(failures).as("spurious failures").isEmpty();
            assertThat(ok).hasValue(requests);
            assertThat(upstream.closedIdle())
                    .as("idle connections the upstream closed")
                    .isGreaterThan(100);
        }
    }

    @Test
    void neverSendsARequestTwiceWhenANewConnectionEndsBeforeTheAnswer() throws Exception {
        try (KeepAliveUpstream upstream = KeepAliveUpstream.droppingEveryRequest();
                UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> call(http, upstream))
                    .isInstanceOf(UpstreamException.class)
                    .hasMessage("The connection to test closed before the response was complete");

            assertThat(upstream.requests()).isEqualTo(1);
        }
    }

    @Test
    void reusesAConnectionForSequentialRequests() throws Exception {
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(0, 0);
                UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            for (int i = 0; i < 200; i++) {
                assertThat(call(http, upstream)).isEqualTo("{\"ok\":true}");
            }

            assertThat(upstream.connections()).isEqualTo(1);
            assertThat(http.connectionsOpened()).isEqualTo(1);
            assertThat(http.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void closesConnectionsIdleForLongerThanTheTimeout() throws Exception {
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(0, 0);
                UpstreamHttp http =
                        new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMillis(200), 8)) {
            assertThat(call(http, upstream)).isEqualTo("{\"ok\":true}");
            assertThat(http.idleConnections()).isEqualTo(1);

            // the sweeper runs every second
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (http.idleConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(http.idleConnections()).isZero();

            assertThat(call(http, upstream)).isEqualTo("{\"ok\":true}");
            assertThat(http.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfIdleConnectionsPerUpstream() throws Exception {
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(0, 0);
                UpstreamHttp http =
                        new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30), 4)) {
            UpstreamHttp.Response[] open = new UpstreamHttp.Response[10];
            for (int i = 0; i < open.length; i++) {
                open[i] = http.postJson(upstream.uri(), Map.of(), BODY, CallControl.start(), "test");
            }
            for (UpstreamHttp.Response response : open) {
                try (response;
                        InputStream in = response.body()) {
                    in.readAllBytes();
                }
            }

            assertThat(http.connectionsOpened()).isEqualTo(10);
            assertThat(http.idleConnections()).isEqualTo(4);
        }
    }

    private static String call(UpstreamHttp http, KeepAliveUpstream upstream) throws IOException {
        try (UpstreamHttp.Response response =
                        http.postJson(upstream.uri(), Map.of(), BODY, CallControl.start(), "test");
                InputStream in = response.body()) {
            assertThat(response.status()).isEqualTo(200);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
