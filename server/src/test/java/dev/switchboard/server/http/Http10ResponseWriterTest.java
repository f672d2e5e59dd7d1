package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http10ResponseWriterTest {
    private final SocketBytes socket = new SocketBytes();
    private final Http10ResponseWriter writer = new Http10ResponseWriter(socket);

    @Test
    void removesChunkedFramingAndWritesEachChunkAsItComes() {
        writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"));
        writer.write(ascii("f\r\ndata: {\"a\":1}\n\n\r\n"));
        writer.write(ascii("e\r\ndata: [DONE]\n\n\r\n"));
        assertThat(writer.answered()).isFalse();
        writer.write(ascii("0\r\n\r\n"));

        assertThat(writer.answered()).isTrue();
        assertThat(socket.writes)
                .containsExactly(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n",
                        "data: {\"a\":1}\n\n",
                        "data: [DONE]\n\n");
    }

    @Test
    void passesAResponseWithALengthUnchanged() {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";

        writer.write(ascii(response));

        assertThat(socket.writes).containsExactly(response);
        assertThat(writer.answered()).isTrue();
    }

    @Test
    void knowsTheResponseIsWrittenWholeOnlyAtTheEndOfItsLength() {
        writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{}"));
        assertThat(writer.answered()).isFalse();

        writer.write(ascii("{}"));
        assertThat(writer.answered()).isTrue();
    }

    @Test
    void knowsAResponseWithoutBodyIsWrittenWholeWithItsHead() {
        writer.write(ascii("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"));

        assertThat(writer.answered()).isTrue();
    }

    @Test
    void neverKnowsTheEndOfABodyDelimitedByTheClose() {
        writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text"));

        assertThat(writer.answered()).isFalse();
        assertThat(socket.writes).containsExactly("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text");
    }

    @Test
    void findsTheHeadAcrossWrites() {
        writer.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Enc"), ascii("oding: chunked\r\n\r"));
        writer.writeNow(ascii("\n2\r\nok\r\n0\r\n\r\n"));

        assertThat(String.join("", socket.writes)).isEqualTo("HTTP/1.1 200 OK\r\n\r\nok");
    }

    @Test
    void keepsOtherTransferCodings() {
        assertThat(Http10ResponseWriter.withoutChunkedCoding("transfer-encoding: gzip, Chunked"))
                .isEqualTo("Transfer-Encoding: gzip");
        assertThat(Http10ResponseWriter.withoutChunkedCoding("Transfer-Encoding: chunked"))
                .isEmpty();
        assertThat(Http10ResponseWriter.withoutChunkedCoding("X-Note: chunked")).isEqualTo("X-Note: chunked");
    }

    @Test
    void dropsAnInterimResponse() {
        writer.writeNow(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        assertThat(writer.answered()).isFalse();
        writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        assertThat(writer.answered()).isTrue();
        assertThat(socket.writes).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }

    private static BufferData ascii(String text) {
        return BufferData.create(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** What reached the socket, one string per write. */
    private static final class SocketBytes implements DataWriter {
        private final List<String> writes = new ArrayList<>();

        @Override
        public void write(BufferData... buffers) {
            StringBuilder all = new StringBuilder();
            for (BufferData buffer : buffers) {
                all.append(buffer.readString(buffer.available(), StandardCharsets.ISO_8859_1));
            }
            writes.add(all.toString());
        }

        @Override
        public void write(BufferData buffer) {
            write(new BufferData[] {buffer});
        }

        @Override
        public void writeNow(BufferData... buffers) {
            write(buffers);
        }

        @Override
        public void writeNow(BufferData buffer) {
            write(buffer);
        }
    }
}
