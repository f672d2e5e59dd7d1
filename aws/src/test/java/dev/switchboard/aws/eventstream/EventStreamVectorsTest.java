package dev.switchboard.aws.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder and encoder against AWS's shared event-stream test vectors, and a Bedrock-shaped frame. */
class EventStreamVectorsTest {
    private static final byte[] FOO_BAR = "{'foo':'bar'}".getBytes(StandardCharsets.US_ASCII);
    /**
     * A ConverseStream text delta; ours, cross-checked with botocore's EventStreamBuffer
     * (/work/shared/reference/providers.md section 4.5).
     */
    static final byte[] BEDROCK_DELTA = HexFormat.of()
            .parseHex("0000009f00000057c37babff0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c7461"
                    + "0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74"
                    + "7970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b22"
                    + "74657874223a224869227d2c2270223a2261626364227df2ace5ff");

    static Stream<Vectors.Vector> positive() {
        return Vectors.all().values().stream().filter(Vectors.Vector::success);
    }

    static Stream<Vectors.Vector> negative() {
        return Vectors.all().values().stream().filter(v -> !v.success());
    }

    static EventStreamMessage decodeOne(byte[] bytes) throws IOException {
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(bytes));
        EventStreamFrame frame = decoder.next();
        assertThat(frame).isNotNull();
        EventStreamMessage message = frame.toMessage();
        assertThat(decoder.next()).isNull();
        return message;
    }

    @Test
    void transcribedAllNineVectors() {
        assertThat(positive()).hasSize(5);
        assertThat(negative()).hasSize(4);
    }

    @Test
    void decodesTheEmptyMessage() throws IOException {
        assertThat(decodeOne(Vectors.named("empty_message").encoded()))
                .isEqualTo(new EventStreamMessage(List.of(), new byte[0]));
    }

    @Test
    void decodesAPayloadWithoutHeaders() throws IOException {
        assertThat(decodeOne(Vectors.named("payload_no_headers").encoded()))
                .isEqualTo(new EventStreamMessage(List.of(), FOO_BAR));
    }

    @Test
    void decodesOneStringHeader() throws IOException {
        assertThat(decodeOne(Vectors.named("payload_one_str_header").encoded()))
                .isEqualTo(
                        new EventStreamMessage(List.of(EventHeader.text("content-type", "application/json")), FOO_BAR));
    }

    @Test
    void decodesAnInt32Header() throws IOException {
        assertThat(decodeOne(Vectors.named("int32_header").encoded()))
                .isEqualTo(new EventStreamMessage(
                        List.of(new EventHeader("event-type", new HeaderValue.Int32(40972))), FOO_BAR));
    }

    @Test
    void decodesEveryHeaderType() throws IOException {
        byte[] uuid = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
        assertThat(decodeOne(Vectors.named("all_headers").encoded()))
                .isEqualTo(new EventStreamMessage(
                        List.of(
                                new EventHeader("event-type", new HeaderValue.Int32(40972)),
                                EventHeader.text("content-type", "application/json"),
                                new EventHeader("bool false", new HeaderValue.Bool(false)),
                                new EventHeader("bool true", new HeaderValue.Bool(true)),
                                new EventHeader("byte", new HeaderValue.Int8((byte) -49)),
                                new EventHeader(
                                        "byte buf",
                                        new HeaderValue.Bytes(
                                                "I'm a little teapot!".getBytes(StandardCharsets.US_ASCII))),
                                new EventHeader("timestamp", new HeaderValue.Timestamp(8675309)),
                                new EventHeader("int16", new HeaderValue.Int16((short) 42)),
                                new EventHeader("int64", new HeaderValue.Int64(42424242)),
                                new EventHeader("uuid", new HeaderValue.Uuid(uuidOf(uuid)))),
                        FOO_BAR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positive")
    void encodesEachPositiveVectorToItsBytes(Vectors.Vector vector) throws IOException {
        assertThat(EventStreamEncoder.encode(decodeOne(vector.encoded()))).isEqualTo(vector.encoded());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negative")
    void refusesEachNegativeVector(Vectors.Vector vector) {
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(vector.encoded()));

        assertThatThrownBy(decoder::next).isInstanceOf(MalformedEventStreamException.class);
    }

    @Test
    void namesWhatIsWrongWithEachNegativeVector() {
        assertThat(reason("corrupted_length")).isEqualTo(MalformedEventStreamException.Reason.PRELUDE_CRC);
        assertThat(reason("corrupted_header_len")).isEqualTo(MalformedEventStreamException.Reason.PRELUDE_CRC);
        assertThat(reason("corrupted_headers")).isEqualTo(MalformedEventStreamException.Reason.MESSAGE_CRC);
        assertThat(reason("corrupted_payload")).isEqualTo(MalformedEventStreamException.Reason.MESSAGE_CRC);
    }

    @Test
    void decodesABedrockContentBlockDelta() throws IOException {
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(BEDROCK_DELTA));
        EventStreamFrame frame = decoder.next();

        assertThat(frame).isNotNull();
        assertThat(frame.textEquals(":message-type", "event")).isTrue();
        assertThat(frame.textEquals(":event-type", "contentBlockDelta")).isTrue();
        assertThat(frame.textEquals(":event-type", "contentBlockStop")).isFalse();
        assertThat(frame.text(":content-type")).isEqualTo("application/json");
        assertThat(frame.text(":exception-type")).isNull();
        assertThat(new String(
                        frame.payloadArray(), frame.payloadOffset(), frame.payloadLength(), StandardCharsets.UTF_8))
                .isEqualTo("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"},\"p\":\"abcd\"}");
        assertThat(EventStreamEncoder.encode(EventStreamMessage.event(
                        "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"},\"p\":\"abcd\"}")))
                .isEqualTo(BEDROCK_DELTA);
    }

    private static MalformedEventStreamException.Reason reason(String vector) {
        try {
            new EventStreamDecoder(
                            new ByteArrayInputStream(Vectors.named(vector).encoded()))
                    .next();
            throw new AssertionError(vector + " was accepted");
        } catch (MalformedEventStreamException e) {
            return e.reason();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static UUID uuidOf(byte[] bytes) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        return new UUID(high, low);
    }
}
