package dev.switchboard.bench.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's HTTP and SSE reading, its event kinds, its schedule and its command line. */
class ResponseReadingTest {

    @Test
    void readsChunkedEventsWhateverTheReadsSplit() throws IOException {
        String body = ": keep-alive\n\ndata: {\"a\":1}\r\n\r\ndata: one\ndata: two\n\nevent: x\ndata: [DONE]\n\n";
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Other: y\r\n\r\n"
                + StreamOutcomesTest.chunks(body, 5) + "0\r\n\r\n";

        assertThat(events(response, true)).containsExactly("{\"a\":1}", "one\ntwo", "[DONE]");
        assertThat(events(response, false)).containsExactly("{\"a\":1}", "one\ntwo", "[DONE]");
    }

    @Test
    void readsCountedAndCloseDelimitedBodies() throws IOException {
        String body = "data: x\n\ndata: [DONE]\n\n";
        assertThat(events("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + "ignored", true))
                .containsExactly("x", "[DONE]");
        assertThat(events("HTTP/1.1 200 OK\r\n\r\n" + body, true)).containsExactly("x", "[DONE]");
    }

    @Test
    void chunkedBodyCutShortIsAnEarlyEnd() {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\ndata: x\n\n";
        assertThatThrownBy(() -> events(response, true)).isInstanceOf(EOFException.class);
    }

    @Test
    void tellsContentFromTheOtherChunks() {
        assertThat(kind("{\"choices\":[{\"delta\":{\"content\":\"word\"}}]}")).isEqualTo(EventKind.CONTENT);
        assertThat(kind("{\"choices\":[{\"delta\":{\"content\": \" w\"}}]}")).isEqualTo(EventKind.CONTENT);
        assertThat(kind("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"))
                .isEqualTo(EventKind.OTHER);
        assertThat(kind("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}"))
                .isEqualTo(EventKind.OTHER);
        assertThat(kind("{\"choices\":[],\"usage\":{\"total_tokens\":3}}")).isEqualTo(EventKind.OTHER);
        assertThat(kind("{\"error\":{\"code\":502},\"choices\":[{\"delta\":{\"content\":\"\"}}]}"))
                .isEqualTo(EventKind.ERROR);
        assertThat(kind("[DONE]")).isEqualTo(EventKind.DONE);
    }

    @Test
    void scheduleIsAnchoredAtTheFirstEventAndPacesContentOnly() {
        EventSchedule schedule = new EventSchedule(100);

        assertThat(schedule.delay(EventKind.OTHER, 1_000)).isZero(); // role chunk: the anchor
        assertThat(schedule.delay(EventKind.CONTENT, 1_002)).isEqualTo(2); // content 0, due at the anchor
        assertThat(schedule.delay(EventKind.CONTENT, 1_105)).isEqualTo(5); // content 1, due at +100
        assertThat(schedule.delay(EventKind.OTHER, 1_107)).isEqualTo(7); // usage: due with content 1
        assertThat(schedule.contentEvents()).isEqualTo(2);
    }

    @Test
    void eventBeforeItsTimeMovesTheScheduleEarlier() {
        EventSchedule schedule = new EventSchedule(100);

        assertThat(schedule.delay(EventKind.CONTENT, 1_030)).isZero(); // content 0 held up by 30
        assertThat(schedule.delay(EventKind.CONTENT, 1_100)).isEqualTo(-30); // content 1 on time: early by 30
        assertThat(schedule.delay(EventKind.CONTENT, 1_204)).isEqualTo(4); // content 2, by the moved schedule
        assertThat(schedule.delay(EventKind.OTHER, 1_209)).isEqualTo(9); // finish, due with content 2
    }

    @Test
    void commandLineDefaultsToSixtySecondStreamsOfTenEventsASecond() {
        StreamsOptions options = StreamsOptions.parse("--url", "http://127.0.0.1:8080/api/v1/", "--key", "sk-k");

        assertThat(options.streams()).isEqualTo(1000);
        assertThat(options.events()).isEqualTo(600);
        assertThat(options.intervalNanos()).isEqualTo(100_000_000L);
        String request = new String(options.request(), StandardCharsets.UTF_8);
        assertThat(request)
                .startsWith("POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
                .contains("Authorization: Bearer sk-k\r\n")
                .endsWith("\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count slowly.\"}],"
                        + "\"simulator\":{\"tokens_per_second\":10,\"output_tokens\":600}}");
        String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertThat(request).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        assertThat(options.toString()).doesNotContain("sk-k");
    }

    @Test
    void warmupIsShortStreamsToTheSameTargetWithNothingSampledOrWritten() {
        StreamsOptions options = StreamsOptions.parse(
                "--url",
                "http://127.0.0.1:8080/api/v1",
                "--key",
                "sk-k",
                "--pid",
                "7",
                "--out",
                "/tmp/x",
                "--label",
                "gw",
                "--warmup-streams",
                "50");

        StreamsOptions warmup = options.warmup();
        assertThat(warmup.streams()).isEqualTo(50);
        assertThat(warmup.events()).isEqualTo(StreamsOptions.WARMUP_EVENTS);
        assertThat(warmup.baseUrl()).isEqualTo(options.baseUrl());
        assertThat(warmup.label()).isEqualTo("gw-warmup");
        assertThat(warmup.pid()).isEmpty();
        assertThat(warmup.out()).isEmpty();
        assertThat(warmup.warmupStreams()).isZero();
    }

    @Test
    void commandLineRefusesWhatTheSimulatorCannotPace() {
        assertThatThrownBy(() -> StreamsOptions.parse("--url", "http://h:1/v1", "--key", "k", "--interval-ms", "30"))
                .hasMessageContaining("divide 1000");
        assertThatThrownBy(() -> StreamsOptions.parse("--url", "http://h:1/v1", "--key", "k", "--streems", "3"))
                .hasMessageContaining("unknown option --streems");
        assertThatThrownBy(() -> StreamsOptions.parse("--url", "http://h:1/v1")).hasMessageContaining("--key");
    }

    @Test
    void readsTheCpuTimeAfterACommandNameWithSpaces() {
        String stat = "42 (java thread (x)) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1000";
        assertThat(ProcessSample.cpuTicks(stat)).isEqualTo(325);
    }

    private static EventKind kind(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return EventKind.of(bytes, bytes.length);
    }

    private static List<String> events(String response, boolean byteByByte) throws IOException {
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        InputStream socket = byteByByte ? new OneByteAtATime(bytes) : new ByteArrayInputStream(bytes);
        ResponseInput in = new ResponseInput(socket, 16);
        SseScanner scanner = new SseScanner(new HttpBody(in, ResponseHead.read(in)));
        List<String> events = new ArrayList<>();
        while (scanner.next()) {
            events.add(new String(scanner.data(), 0, scanner.length(), StandardCharsets.UTF_8));
        }
        return events;
    }

    /** A socket whose every read returns one byte. */
    private static final class OneByteAtATime extends InputStream {
        private final ByteArrayInputStream bytes;

        OneByteAtATime(byte[] bytes) {
            this.bytes = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : bytes.read(b, off, 1);
        }
    }
}
