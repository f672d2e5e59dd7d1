package dev.switchboard.provider.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Byte-level SSE parsing, each case fed whole, one byte per read, and in random pieces. */
class SseReaderTest {
    enum Feed {
        WHOLE,
        ONE_BYTE_AT_A_TIME,
        RANDOM_PIECES;

        InputStream of(byte[] bytes) {
            return switch (this) {
                case WHOLE -> new ByteArrayInputStream(bytes);
                case ONE_BYTE_AT_A_TIME -> new PiecewiseInputStream(bytes, new Random(1), 1);
                case RANDOM_PIECES -> new PiecewiseInputStream(bytes, new Random(bytes.length), 23);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void splitsEventsAtBlankLinesWithLfLineEnds(Feed feed) throws IOException {
        assertThat(events(feed, "data: one\n\ndata: two\n\n")).containsExactly("one", "two");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsCrLfLineEnds(Feed feed) throws IOException {
        assertThat(events(feed, "data: one\r\n\r\ndata: two\r\n\r\n")).containsExactly("one", "two");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsCrLineEnds(Feed feed) throws IOException {
        assertThat(events(feed, "data: one\r\rdata: two\r\r")).containsExactly("one", "two");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsMixedLineEndsInOneStream(Feed feed) throws IOException {
        assertThat(events(feed, "data: a\r\ndata: b\n\rdata: c\r\r\ndata: d\n\n"))
                .containsExactly("a\nb", "c", "d");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void joinsMultiLineDataWithNewlines(Feed feed) throws IOException {
        assertThat(events(feed, "data: {\"a\":\ndata: 1}\n\ndata: x\r\ndata:\r\ndata: y\r\n\r\n"))
                .containsExactly("{\"a\":\n1}", "x\n\ny");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void skipsCommentsAndOtherFields(Feed feed) throws IOException {
        String stream = """
                : OPENROUTER PROCESSING

                :keepalive
                event: message
                id: 42
                retry: 1000
                data: payload
                unknown: field
                dataset: not data

                event: ping

                """;

        assertThat(events(feed, stream)).containsExactly("payload");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void removesOnlyOneSpaceAfterTheColon(Feed feed) throws IOException {
        assertThat(events(feed, "data:tight\n\ndata:  padded\n\ndata: \n\n")).containsExactly("tight", " padded", "");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void bareDataLineIsAnEmptyDataLine(Feed feed) throws IOException {
        assertThat(events(feed, "data\n\ndata\ndata: x\n\n")).containsExactly("", "\nx");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void readsLinesLongerThanTheBuffer(Feed feed) throws IOException {
        String big = "x".repeat(100_000);
        String bigger = "y".repeat(8191) + "z".repeat(8193);

        assertThat(events(
                        feed, "data: " + big + "\n\ndata: " + bigger + "\r\ndata: " + big + "\r\n\r\ndata: small\n\n"))
                .containsExactly(big, bigger + "\n" + big, "small");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void deliversATrailingEventWithoutItsBlankLine(Feed feed) throws IOException {
        assertThat(events(feed, "data: one\n\ndata: two")).containsExactly("one", "two");
        assertThat(events(feed, "data: one\n\ndata: two\n")).containsExactly("one", "two");
        assertThat(events(feed, "data: one\n\ndata: two\r")).containsExactly("one", "two");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void endsWithoutAnEventWhenOnlyCommentsAndBlankLinesRemain(Feed feed) throws IOException {
        assertThat(events(feed, "data: one\n\n: bye\n\n\n")).containsExactly("one");
        assertThat(events(feed, "")).isEmpty();
        assertThat(events(feed, ": only a comment")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void keepsMultiByteCharactersSplitAcrossReads(Feed feed) throws IOException {
        assertThat(events(feed, "data: h\u00e9llo \u4e16\u754c \uD83C\uDF0D\n\n"))
                .containsExactly("h\u00e9llo \u4e16\u754c \uD83C\uDF0D");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void recognisesDone(Feed feed) throws IOException {
        SseReader reader = new SseReader(feed.of(bytes("data: {\"x\":1}\n\ndata: [DONE]\n\n")));

        SseReader.Payload first = reader.next();
        assertThat(first.is("[DONE]")).isFalse();
        SseReader.Payload done = reader.next();
        assertThat(done.is("[DONE]")).isTrue();
        assertThat(done.is("[DONE")).isFalse();
        assertThat(done.is("[DONE]]")).isFalse();
        assertThat(reader.next()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void handsOutTheRawUtf8BytesOfThePayload(Feed feed) throws IOException {
        SseReader reader = new SseReader(feed.of(bytes("data: {\"t\":\"\u00e9\"}\n\n")));

        SseReader.Payload payload = reader.next();

        byte[] expected = "{\"t\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(payload.length()).isEqualTo(expected.length);
        assertThat(java.util.Arrays.copyOf(payload.bytes(), payload.length())).isEqualTo(expected);
    }

    @Test
    void crAtTheEndOfOneReadAndLfAtTheStartOfTheNextAreOneLineEnd() throws IOException {
        InputStream in = new ScriptedInputStream(
                List.of(bytes("data: a\r"), bytes("\ndata: b\r"), bytes("\n\r"), bytes("\ndata: c\r\n\r\n")));

        assertThat(events(new SseReader(in))).containsExactly("a\nb", "c");
    }

    @Test
    void keepsReturningNullAfterTheEnd() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes("data: x\n\n")));

        assertThat(reader.next()).isNotNull();
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @Test
    void readsAThousandEventsOfAnOpenAiStreamInRandomPieces() throws IOException {
        StringBuilder stream = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String chunk =
                    "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"}}]}";
            expected.add(chunk);
            stream.append(i % 3 == 0 ? ": keepalive\r\n\r\n" : "")
                    .append("data: ")
                    .append(chunk)
                    .append(i % 2 == 0 ? "\n\n" : "\r\n\r\n");
        }
        stream.append("data: [DONE]\n\n");
        expected.add("[DONE]");

        assertThat(events(Feed.RANDOM_PIECES, stream.toString())).containsExactlyElementsOf(expected);
    }

    @Test
    void rejectsALineLongerThan64MiBInsteadOfGrowingWithoutEnd() {
        byte[] prefix = bytes("data: ");
        InputStream endlessLine = new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < prefix.length ? prefix[position++] : 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position < prefix.length) {
                    b[off] = (byte) read();
                    return 1;
                }
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };

        assertThatThrownBy(() -> new SseReader(endlessLine).next())
                .isInstanceOf(SseReader.EventTooLargeException.class);
    }

    @Test
    void refusesALineOverTheEventBound() {
        String line = "data: " + "y".repeat(5000) + "\n\n";

        assertThatThrownBy(() -> new SseReader(new ByteArrayInputStream(bytes(line)), 4096).next())
                .isInstanceOfSatisfying(SseReader.EventTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(4096);
                    assertThat(new String(e.head(), StandardCharsets.UTF_8)).contains("yyyy");
                });
    }

    @Test
    void refusesAnEventWhoseDataLinesTogetherExceedTheBound() {
        String event = ("data: " + "z".repeat(1000) + "\n").repeat(5) + "\n";

        assertThatThrownBy(() -> new SseReader(new ByteArrayInputStream(bytes(event)), 4096).next())
                .isInstanceOfSatisfying(
                        SseReader.EventTooLargeException.class,
                        e -> assertThat(new String(e.head(), StandardCharsets.UTF_8))
                                .startsWith("zzzz"));
    }

    @Test
    void theLargestBoundStillReadsLongLines() throws IOException {
        String event = "data: " + "w".repeat(100_000) + "\n\n";

        assertThat(new SseReader(new ByteArrayInputStream(bytes(event)), Integer.MAX_VALUE - 8)
                        .next()
                        .length())
                .isEqualTo(100_000);
    }

    @Test
    void acceptsAnEventExactlyAtTheBound() throws IOException {
        String event = "data: " + "w".repeat(4096) + "\n\n";

        assertThat(new SseReader(new ByteArrayInputStream(bytes(event)), 4096)
                        .next()
                        .length())
                .isEqualTo(4096);
    }

    private static List<String> events(Feed feed, String stream) throws IOException {
        return events(new SseReader(feed.of(bytes(stream))));
    }

    private static List<String> events(SseReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        for (SseReader.Payload payload = reader.next(); payload != null; payload = reader.next()) {
            out.add(payload.toString());
        }
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns at most {@code maxPiece} bytes per read, a random number of them. */
    private static final class PiecewiseInputStream extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private final int maxPiece;
        private int position;

        PiecewiseInputStream(byte[] bytes, Random random, int maxPiece) {
            this.bytes = bytes;
            this.random = random;
            this.maxPiece = maxPiece;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(maxPiece)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Returns exactly the given pieces, one per read. */
    private static final class ScriptedInputStream extends InputStream {
        private final List<byte[]> pieces;
        private int index;

        ScriptedInputStream(List<byte[]> pieces) {
            this.pieces = pieces;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (index >= pieces.size()) {
                return -1;
            }
            byte[] piece = pieces.get(index++);
            assertThat(len).isGreaterThanOrEqualTo(piece.length);
            System.arraycopy(piece, 0, b, off, piece.length);
            return piece.length;
        }
    }
}
