package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class Http10RequestReaderTest {
    private static final int MAX_HEADER_BYTES = 1024;

    @Test
    void rewritesTheHeadAsAnHttp11RequestThatClosesTheConnection() {
        String read = readAll("GET /health HTTP/1.0\r\nAccept: */*\r\nConnection: keep-alive\r\nKeep-Alive: 300\r\n"
                + "Expect: 100-continue\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Note: caf\u00e9\r\n\r\n");

        assertThat(read)
                .isEqualTo("GET /health HTTP/1.1\r\nAccept: */*\r\nX-Note: caf\u00e9\r\n"
                        + "Host: 127.0.0.1:8080\r\nConnection: close\r\n\r\n");
    }

    @Test
    void keepsTheHostTheClientSent() {
        assertThat(readAll("GET / HTTP/1.0\r\nhost: example.com\r\n\r\n"))
                .isEqualTo("GET / HTTP/1.1\r\nhost: example.com\r\nConnection: close\r\n\r\n");
    }

    @Test
    void passesTheDeclaredBodyAndThenReportsTheEndOfInput() {
        String read = readAll(
                "POST /x HTTP/1.0\r\nHost: h\r\nContent-Length: 5\r\n\r\n", "hel", "loGET /second HTTP/1.0\r\n\r\n");

        assertThat(read)
                .isEqualTo("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    }

    @Test
    void reportsTheEndOfInputAfterAHeadWithoutBody() {
        assertThat(readAll("GET / HTTP/1.0\r\nHost: h\r\n\r\nGET /second HTTP/1.0\r\n\r\n"))
                .isEqualTo("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    @Test
    void reportsTheEndOfInputOnceTheResponseIsWrittenWhole() {
        AtomicBoolean answered = new AtomicBoolean();
        Deque<byte[]> arriving = new ArrayDeque<>(List.of(
                bytes("POST /x HTTP/1.0\r\nHost: h\r\nContent-Length: 8\r\n\r\n"),
                bytes("GET / HT"),
                bytes("TP/1.0\r\n\r\n")));
        DataReader helidon = DataReader.create(new Http10RequestReader(
                DataReader.create(arriving::poll), MAX_HEADER_BYTES, "127.0.0.1:8080", answered::get));
        helidon.readBuffer();

        answered.set(true);

        assertThatThrownBy(helidon::readBuffer).isInstanceOf(DataReader.InsufficientDataAvailableException.class);
        assertThat(arriving).as("unread body").hasSize(2);
    }

    @Test
    void refusesTransferEncoding() {
        assertRefused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void refusesAContentLengthThatIsNotADecimalNumber() {
        assertRefused("POST / HTTP/1.0\r\nContent-Length: -1\r\n\r\n", 400);
        assertRefused("POST / HTTP/1.0\r\nContent-Length: 0x10\r\n\r\n", 400);
    }

    @Test
    void refusesContentLengthsThatDisagree() {
        assertRefused("POST / HTTP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400);
    }

    @Test
    void refusesAHeaderLineWithABareLineFeed() {
        assertRefused("GET / HTTP/1.0\r\nAccept: */*\nX-Note: no CR anywhere", 400);
    }

    @Test
    void refusesHeaderFieldsOverTheLimitWithoutReadingThemAll() {
        String field = "X-Filler: " + "a".repeat(100) + "\r\n";
        String head = "GET / HTTP/1.0\r\n" + field.repeat(MAX_HEADER_BYTES / field.length() + 1);

        // no blank line ever comes: the limit, not the end of the head, stops the reading
        assertRefused(head, 431);
    }

    private static void assertRefused(String request, int status) {
        assertThatThrownBy(() -> readAll(request))
                .isInstanceOfSatisfying(
                        RequestException.class,
                        e -> assertThat(e.status().code()).isEqualTo(status));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Everything Helidon would read from a connection that delivers {@code parts} and then waits. */
    private static String readAll(String... parts) {
        Deque<byte[]> arriving = new ArrayDeque<>(
                Arrays.stream(parts).map(Http10RequestReaderTest::bytes).toList());
        DataReader socket = DataReader.create(() -> {
            if (arriving.isEmpty()) {
                throw new AssertionError("read past what the client sent");
            }
            return arriving.poll();
        });
        DataReader helidon =
                DataReader.create(new Http10RequestReader(socket, MAX_HEADER_BYTES, "127.0.0.1:8080", () -> false));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try {
            while (true) {
                read.writeBytes(helidon.readBuffer().readBytes());
            }
        } catch (DataReader.InsufficientDataAvailableException endOfInput) {
            return read.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
