package dev.switchboard.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
    private final TokenEstimator estimator = new TokenEstimator();

    @Test
    void countsTextWithTheO200kTokenizer() {
        assertThat(estimator.textTokens("")).isZero();
        assertThat(estimator.textTokens("hello world")).isEqualTo(2);
        assertThat(estimator.textTokens("hello world hello world")).isEqualTo(4);
    }

    @Test
    void longerTextHasMoreTokens() {
        String sentence = "The quick brown fox jumps over the lazy dog. ";

        assertThat(estimator.textTokens(sentence.repeat(10))).isBetween(90L, 110L);
    }

    @Test
    void promptCountsFramingPerMessagePlusTextOfStringAndPartContent() throws Exception {
        List<Message> messages = List.of(
                Message.text(Role.SYSTEM, "hello world"),
                new Message(
                        Role.USER,
                        List.of(
                                ContentPart.Text.of("hello world"),
                                new ContentPart.Image(
                                        new MediaSource.Url("https://x"),
                                        Optional.empty(),
                                        Optional.empty(),
                                        Extensions.NONE)),
                        Optional.empty(),
                        Extensions.NONE),
                new Message(Role.ASSISTANT, List.of(), Optional.empty(), Extensions.NONE));

        assertThat(estimator.promptTokens(messages)).isEqualTo(3 * 4 + 2 + 2);
    }

    @Test
    void emptyConversationHasNoTokens() throws Exception {
        assertThat(estimator.promptTokens(List.of())).isZero();
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        long expected = estimator.textTokens("concurrency is not parallelism");
        Thread[] threads = new Thread[8];
        long[] results = new long[threads.length];
        TokenEstimator shared = new TokenEstimator();
        for (int i = 0; i < threads.length; i++) {
            int index = i;
            threads[i] = Thread.ofVirtual()
                    .start(() -> results[index] = shared.textTokens("concurrency is not parallelism"));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).containsOnly(expected);
    }

    @Test
    void countsALongRunWithoutWhitespaceWithinABoundedHeap() {
        // A 1 MB run of one character exhausted a 128 MB heap when counted in one piece.
        long tokens = estimator.textTokens("a".repeat(1 << 20));

        assertThat(tokens).as("at least the exact count, 131072").isBetween(131_072L, 1L << 20);
    }

    @Test
    void countsTextUpToTheExactBudgetExactly() {
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(TokenEstimator.EXACT_CHARS / 45);

        // every piece is counted; cutting at whitespace may shift a token at a cut
        assertThat(estimator.textTokens(text))
                .isCloseTo(text.length() / 45 * 10L, org.assertj.core.data.Offset.offset(3L));
    }

    @Test
    void estimatesLongTextFromSamplesAcrossAllOfIt() {
        // cheap to count up front, dense after: a prefix-only count would bill the dense part as cheap
        String cheap = "a".repeat(TokenEstimator.EXACT_CHARS);
        String dense = "漢字仮名交じり文".repeat(TokenEstimator.EXACT_CHARS / 8);
        long exactDense = new TokenEstimator().textTokens(dense);
        long exactCheap = new TokenEstimator().textTokens(cheap);
        TokenEstimator seeded = new TokenEstimator(() -> new java.util.Random(42));

        long estimate = seeded.textTokens(cheap + dense);

        assertThat(estimate)
                .isBetween((long) ((exactCheap + exactDense) * 0.8), (long) ((exactCheap + exactDense) * 1.6));
    }

    @Test
    void countsAPromptOfManyMegabytesWithoutTheTokenizerOnMostOfIt() throws Exception {
        List<Message> messages = List.of(Message.text(Role.USER, "word ".repeat(2 << 20)));

        assertThat(estimator.promptTokens(messages)).isBetween(4 + (2L << 20) * 9 / 10, 4 + (2L << 20) * 12 / 10);
    }

    @Test
    void estimatesFromLengthAloneAtOneTokenPerFourBytes() throws Exception {
        List<Message> messages = List.of(Message.text(Role.USER, "abcdefgh"), Message.text(Role.USER, "é"));
        GeneratedText generated = new GeneratedText();
        generated.append("x".repeat(9));

        assertThat(estimator.promptTokensByLength(messages)).isEqualTo(2 * 4 + 3);
        assertThat(estimator.textTokensByLength(generated)).isEqualTo(3);
    }

    @Test
    void generatedTextKeepsABoundedPrefixAndCountsTheRestByLength() {
        GeneratedText generated = new GeneratedText();
        for (int i = 0; i < 100; i++) {
            generated.append("b".repeat(10_000));
        }

        assertThat(generated.kept()).hasSize(TokenEstimator.EXACT_CHARS);
        assertThat(generated.droppedBytes()).isEqualTo(1_000_000L - TokenEstimator.EXACT_CHARS);
        long exact = estimator.textTokens("b".repeat(1_000_000));
        assertThat(estimator.textTokens(generated))
                .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(2));
    }

    @Test
    void neverCutsAPieceInsideASurrogatePair() {
        String text = "a".repeat(TokenEstimator.PIECE_CHARS - 1) + "😀" + "b";

        assertThat(TokenEstimator.pieceEnd(text, 0, TokenEstimator.PIECE_CHARS))
                .isEqualTo(TokenEstimator.PIECE_CHARS - 1);
    }
}
