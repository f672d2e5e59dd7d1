package dev.switchboard.aws.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.aws.eventstream.MalformedEventStreamException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventStreamDecoderTest {
    private static final long SEED = 20261206L;

    static List<EventStreamMessage> decodeAll(InputStream in) throws IOException {
        EventStreamDecoder decoder = new EventStreamDecoder(in);
        List<EventStreamMessage> messages = new ArrayList<>();
        for (EventStreamFrame frame = decoder.next(); frame != null; frame = decoder.next()) {
            messages.add(frame.toMessage());
        }
        return messages;
    }

    static List<EventStreamMessage> randomMessages(Random random, int count) {
        List<EventStreamMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<EventHeader> headers = new ArrayList<>();
            int headerCount = random.nextInt(12);
            for (int h = 0; h < headerCount; h++) {
                headers.add(new EventHeader("h" + h + "-" + random.nextInt(1000), randomValue(random)));
            }
            byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(5000) : random.nextInt(200)];
            random.nextBytes(payload);
            messages.add(new EventStreamMessage(headers, payload));
        }
        return messages;
    }

    private static HeaderValue randomValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> new HeaderValue.Bool(random.nextBoolean());
            case 1 -> new HeaderValue.Int8((byte) random.nextInt());
            case 2 -> new HeaderValue.Int16((short) random.nextInt());
            case 3 -> new HeaderValue.Int32(random.nextInt());
            case 4 -> new HeaderValue.Int64(random.nextLong());
            case 5 -> {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                yield new HeaderValue.Bytes(bytes);
            }
            case 6 -> new HeaderValue.Text("välue ✓ " + random.nextInt());
            case 7 -> new HeaderValue.Timestamp(random.nextLong());
            default -> new HeaderValue.Uuid(new UUID(random.nextLong(), random.nextLong()));
        };
    }

    @Test
    void randomMessagesRoundTripWhateverTheReadSizes() throws IOException {
        Random random = new Random(SEED);
        List<EventStreamMessage> messages = randomMessages(random, 300);
        byte[] stream = EventStreamEncoder.encodeAll(messages);

        assertThat(decodeAll(new ByteArrayInputStream(stream))).isEqualTo(messages);
        for (int perRead : new int[] {1, 3, 11, 12, 13, 100, 4096}) {
            assertThat(decodeAll(RawFrames.trickling(stream, perRead)))
                    .as("%d bytes a read", perRead)
                    .isEqualTo(messages);
        }
    }

    @Test
    void everyTruncationFailsCleanlyOrEndsAtAMessageBoundary() throws IOException {
        List<EventStreamMessage> messages = randomMessages(new Random(SEED + 1), 4);
        byte[] stream = EventStreamEncoder.encodeAll(messages);
        List<Integer> boundaries = new ArrayList<>(List.of(0));
        for (EventStreamMessage message : messages) {
            boundaries.add(boundaries.getLast() + EventStreamEncoder.encode(message).length);
        }

        for (int cut = 0; cut < stream.length; cut++) {
            InputStream in = new ByteArrayInputStream(Arrays.copyOf(stream, cut));
            if (boundaries.contains(cut)) {
                assertThat(decodeAll(in)).isEqualTo(messages.subList(0, boundaries.indexOf(cut)));
            } else {
                assertThatThrownBy(() -> decodeAll(in))
                        .as("cut at %d", cut)
                        .isInstanceOfSatisfying(
                                MalformedEventStreamException.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
            }
        }
    }

    @Test
    void everySingleBitFlipIsCaught() {
        byte[] message = EventStreamEncoder.encode(
                EventStreamMessage.event("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}"));

        for (int bit = 0; bit < message.length * 8; bit++) {
            byte[] flipped = message.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> decodeAll(new ByteArrayInputStream(flipped)))
                    .as("bit %d", bit)
                    .isInstanceOf(MalformedEventStreamException.class);
        }
    }

    @Test
    void refusesAMessageOverTheBoundBeforeReadingIt() {
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(RawFrames.prelude(1 << 30, 0)));

        assertThatThrownBy(decoder::next)
                .isInstanceOfSatisfying(
                        MalformedEventStreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("1073741824");
    }

    @Test
    void refusesHeadersOverTheBound() {
        byte[] stream = EventStreamEncoder.encode(EventStreamMessage.event("messageStart", "{}"));
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(stream), 1024, 16);

        assertThatThrownBy(decoder::next)
                .isInstanceOfSatisfying(
                        MalformedEventStreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void refusesLengthsThatContradictTheFraming() {
        byte[] tooShort = RawFrames.concat(RawFrames.prelude(15, 0), new byte[4]);
        byte[] headersPastEnd = RawFrames.frame(20, 10, new byte[0], new byte[4]);

        assertThat(reason(tooShort)).isEqualTo(Reason.BAD_LENGTH);
        assertThat(reason(headersPastEnd)).isEqualTo(Reason.BAD_LENGTH);
    }

    @Test
    void refusesMalformedHeadersEvenWithGoodCrcs() {
        byte[] unknownType = {1, 'a', 10};
        byte[] emptyName = {0, 0};
        byte[] valuePastEnd = {1, 'a', 7, 0, 9, 'x'};
        byte[] nameCutShort = {5, 'a'};

        for (byte[] headers : List.of(unknownType, emptyName, valuePastEnd, nameCutShort)) {
            assertThat(reason(RawFrames.frame(headers, new byte[0]))).isEqualTo(Reason.BAD_HEADER);
        }
    }

    @Test
    void passesTheStreamsOwnFailureThrough() {
        byte[] stream = EventStreamEncoder.encode(EventStreamMessage.event("messageStart", "{}"));
        EventStreamDecoder decoder = new EventStreamDecoder(RawFrames.failingAfter(Arrays.copyOf(stream, 20)));

        assertThatThrownBy(decoder::next)
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(MalformedEventStreamException.class)
                .hasMessage("connection reset");
    }

    @Test
    void reusesItsBufferForMessagesThatFit() throws IOException {
        byte[] stream = EventStreamEncoder.encodeAll(List.of(
                EventStreamMessage.event("contentBlockDelta", "{\"delta\":{\"text\":\"a\"}}"),
                EventStreamMessage.event("contentBlockDelta", "{\"delta\":{\"text\":\"bcd\"}}"),
                EventStreamMessage.event("contentBlockDelta", "x".repeat(5000))));
        EventStreamDecoder decoder = new EventStreamDecoder(new ByteArrayInputStream(stream));

        byte[] first = decoder.next().payloadArray();
        byte[] second = decoder.next().payloadArray();
        EventStreamFrame third = decoder.next();

        assertThat(second).isSameAs(first);
        assertThat(third.payloadArray()).isNotSameAs(first);
        assertThat(third.payloadLength()).isEqualTo(5000);
        assertThat(decoder.messagesRead()).isEqualTo(3);
    }

    @Test
    void comparesHeaderTextWithoutConfusingPrefixes() throws IOException {
        byte[] stream = EventStreamEncoder.encode(new EventStreamMessage(
                List.of(EventHeader.text(":event-type", "messageStop"), EventHeader.text("ünï", "cödé")), new byte[0]));
        EventStreamFrame frame = new EventStreamDecoder(new ByteArrayInputStream(stream)).next();

        assertThat(frame.textEquals(":event-type", "messageStop")).isTrue();
        assertThat(frame.textEquals(":event-type", "messageSto")).isFalse();
        assertThat(frame.textEquals(":event-type", "messageStart")).isFalse();
        assertThat(frame.textEquals("ünï", "cödé")).isTrue();
        assertThat(frame.text("ünï")).isEqualTo("cödé");
        assertThat(frame.headerCount()).isEqualTo(2);
    }

    @Test
    void refusesBoundsThatNoMessageFits() {
        assertThatThrownBy(() -> new EventStreamDecoder(new ByteArrayInputStream(new byte[0]), 15, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Reason reason(byte[] stream) {
        try {
            decodeAll(new ByteArrayInputStream(stream));
            throw new AssertionError("accepted");
        } catch (MalformedEventStreamException e) {
            return e.reason();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
