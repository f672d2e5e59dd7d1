package dev.switchboard.bench.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's short form, so that it cannot rot: 50 paced streams of 20 events 50 ms apart
 * through a real gateway over the real simulator (the configuration scripts/streams.sh uses), and
 * the same directly against the simulator. It checks what the harness counts, never how fast.
 */
class SlowStreamsTest {
    static final int STREAMS = 50;
    static final int EVENTS = 20;

    @TempDir
    static Path data;

    static PacedGateway target;

    @BeforeAll
    static void start() throws Exception {
        target = PacedGateway.start(data.resolve("data"));
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    @Test
    void everyStreamThroughTheGatewayGetsEveryEventAndDone(@TempDir Path out) throws Exception {
        StreamsReport report = run(target.gatewayUrl(), target.apiKey(), "gateway");

        assertCompleteRun(report);
        assertThat(report.number("rss_peak_mb")).isPositive();
        assertThat(report.number("threads_peak")).isPositive();
        assertThat(report.number("fds_peak")).isGreaterThanOrEqualTo(STREAMS);
        assertThat(report.summaryLine())
                .startsWith("SLOW-STREAMS label=gateway streams=50 opened=50 completed=50 errors=0 (connect=0 ")
                .contains(" content=1000/1000 done=50 ", " delay_ms p50=", " ttfb_ms p50=", " peak rss_mb=");
        assertResultFiles(report, out);
    }

    @Test
    void everyStreamStraightFromTheSimulatorGetsEveryEventAndDone() throws Exception {
        assertCompleteRun(run(target.simulatorUrl(), "sk-direct", "direct"));
    }

    private static void assertResultFiles(StreamsReport report, Path out) throws IOException {
        report.write(out);
        JsonNode json = new ObjectMapper().readTree(out.resolve("gateway.json").toFile());
        assertThat(json.path("completed").asLong()).isEqualTo(STREAMS);
        assertThat(json.path("errors").asLong()).isZero();
        List<String> tsv = Files.readAllLines(out.resolve("gateway.tsv"));
        assertThat(tsv).hasSize(2);
        assertThat(tsv.get(1).split("\t", -1)).hasSameSizeAs(tsv.get(0).split("\t", -1));
        assertThat(Files.readAllLines(out.resolve("gateway-samples.tsv"))).hasSizeGreaterThanOrEqualTo(3);
    }

    private static StreamsReport run(URI url, String key, String label) throws InterruptedException {
        StreamsOptions options = StreamsOptions.parse(
                "--url",
                url.toString(),
                "--key",
                key,
                "--streams",
                Integer.toString(STREAMS),
                "--events",
                Integer.toString(EVENTS),
                "--interval-ms",
                "50",
                "--ramp-per-second",
                "500",
                "--read-timeout-ms",
                "5000",
                "--pid",
                Long.toString(ProcessHandle.current().pid()),
                "--label",
                label);
        return StreamsRun.run(options, new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void assertCompleteRun(StreamsReport report) {
        assertThat(report.number("errors")).as(report.summaryLine()).isZero();
        assertThat(report.number("opened")).isEqualTo(STREAMS);
        assertThat(report.number("completed")).isEqualTo(STREAMS);
        assertThat(report.number("content_events")).isEqualTo((long) STREAMS * EVENTS);
        assertThat(report.number("done_events")).isEqualTo(STREAMS);
    }
}
