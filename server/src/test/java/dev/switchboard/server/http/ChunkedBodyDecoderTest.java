package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyDecoderTest {
    private static final String BODY = "6\r\ndata: \r\n4;ext=1\r\n{}\n\n\r\n0\r\n\r\n";

    @Test
    void givesBackTheDataOfEveryChunk() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);

        int end = decoder.decode(body, 0, body.length, data);

        assertThat(data.toString(StandardCharsets.US_ASCII)).isEqualTo("data: {}\n\n");
        assertThat(end).isEqualTo(body.length);
        assertThat(decoder.done()).isTrue();
    }

    @Test
    void decodesTheSameWhenTheBodyArrivesOneByteAtATime() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);

        for (int i = 0; i < body.length; i++) {
            assertThat(decoder.done()).isFalse();
            decoder.decode(body, i, i + 1, data);
        }

        assertThat(data.toString(StandardCharsets.US_ASCII)).isEqualTo("data: {}\n\n");
        assertThat(decoder.done()).isTrue();
    }

    @Test
    void givesBackPartOfAChunkAsSoonAsItArrives() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] part = "10\r\nfirst half".getBytes(StandardCharsets.US_ASCII);

        decoder.decode(part, 0, part.length, data);

        assertThat(data.toString(StandardCharsets.US_ASCII)).isEqualTo("first half");
    }

    @Test
    void skipsTrailersAndStopsAtTheEndOfTheBody() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] body = "2\r\nok\r\n0\r\nstream-result: ok\r\n\r\nHTTP/1.1 200 OK".getBytes(StandardCharsets.US_ASCII);

        int end = decoder.decode(body, 0, body.length, data);

        assertThat(data.toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
        assertThat(decoder.done()).isTrue();
        assertThat(new String(body, end, body.length - end, StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void refusesASizeLineThatIsNotHexadecimal() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        byte[] body = "zz\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> decoder.decode(body, 0, body.length, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class);
    }
}
