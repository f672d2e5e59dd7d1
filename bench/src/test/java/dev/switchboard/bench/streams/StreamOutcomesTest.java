package dev.switchboard.bench.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FixedUpstream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each way a stream can end is told apart, from fixed answers on a loopback port. */
class StreamOutcomesTest {
    private static final String TOKEN = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word\"}}]}";
    private static final String CHUNKED_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void streamWithEveryEventAndDoneCompletes() throws Exception {
        try (FixedUpstream upstream = FixedUpstream.streaming(TOKEN, TOKEN)) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.COMPLETED);
        }
    }

    @Test
    void chunkedStreamWithEveryEventAndDoneCompletes() throws Exception {
        String body = "data: " + TOKEN + "\n\ndata: " + TOKEN + "\n\ndata: [DONE]\n\n";
        try (FixedUpstream upstream = raw(CHUNKED_HEAD + chunks(body, 7) + "0\r\n\r\n")) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.COMPLETED);
        }
    }

    @Test
    void refusedConnectionIsAConnectError() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertOutcome(URI.create("http://127.0.0.1:" + port + "/v1"), StreamOutcome.CONNECT);
    }

    @Test
    void statusOtherThan2xxIsNon2xx() throws Exception {
        try (FixedUpstream upstream = FixedUpstream.answering(429, "application/json", "{\"error\":{}}")) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.NON_2XX);
        }
    }

    @Test
    void errorChunkIsAnInBandError() throws Exception {
        try (FixedUpstream upstream =
                FixedUpstream.streaming(TOKEN, "{\"error\":{\"code\":502,\"message\":\"gone\"}}")) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.IN_BAND_ERROR);
        }
    }

    @Test
    void connectionEndingBeforeTheLastChunkIsAnEarlyClose() throws Exception {
        String body = "data: " + TOKEN + "\n\n";
        try (FixedUpstream upstream = raw(CHUNKED_HEAD + chunks(body, 100))) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.EARLY_CLOSE);
        }
    }

    @Test
    void bodyEndingWithoutDoneIsMissingDone() throws Exception {
        String body = "data: " + TOKEN + "\n\ndata: " + TOKEN + "\n\n";
        try (FixedUpstream upstream = raw(CHUNKED_HEAD + chunks(body, 100) + "0\r\n\r\n")) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.MISSING_DONE);
        }
    }

    @Test
    void doneAfterTooFewContentEventsIsMissingEvents() throws Exception {
        try (FixedUpstream upstream = FixedUpstream.streaming(TOKEN)) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.MISSING_EVENTS);
        }
    }

    @Test
    void answerThatIsNotHttpIsMalformed() throws Exception {
        try (FixedUpstream upstream = raw("SSH-2.0-OpenSSH\r\n\r\n")) {
            assertOutcome(upstream.baseUrl(), StreamOutcome.MALFORMED);
        }
    }

    @Test
    void silenceLongerThanTheReadTimeoutIsATimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertOutcome(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1"), StreamOutcome.TIMEOUT);
        }
    }

    private static void assertOutcome(URI url, StreamOutcome expected) throws InterruptedException {
        StreamsOptions options = StreamsOptions.parse(
                "--url", url.toString(),
                "--key", "sk-test",
                "--streams", "1",
                "--events", "2",
                "--interval-ms", "50",
                "--read-timeout-ms", "300",
                "--connect-timeout-ms", "1000");
        StreamsReport report = StreamsRun.run(options, new PrintStream(OutputStream.nullOutputStream()));

        assertThat(report.number("started")).isEqualTo(1);
        if (expected == StreamOutcome.COMPLETED) {
            assertThat(report.number("completed")).as(report.summaryLine()).isEqualTo(1);
            assertThat(report.errors()).isZero();
        } else {
            assertThat(report.number("errors_" + expected.key()))
                    .as(report.summaryLine())
                    .isEqualTo(1);
            assertThat(report.errors()).isEqualTo(1);
        }
    }

    private static FixedUpstream raw(String response) {
        return FixedUpstream.sendingRaw(response.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code body} in chunks of {@code size} bytes, without the last (empty) chunk. */
    static String chunks(String body, int size) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i += size) {
            String part = body.substring(i, Math.min(body.length(), i + size));
            out.append(Integer.toHexString(part.length()))
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return out.toString();
    }
}
