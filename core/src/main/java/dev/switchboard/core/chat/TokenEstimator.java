package dev.switchboard.core.chat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Counts tokens locally when a provider reports none: a stream the client cancelled before the usage
 * chunk, a stream that broke, a server that omits usage. Uses the o200k tokenizer; for other model
 * families the count is an estimate, and records built from it are marked as estimated.
 *
 * <p>Design note: bounded in memory and time, whatever the text. The tokenizer's cost grows faster
 * than linearly with the length of one run of text without whitespace (a 1 MB run exhausts a 128 MB
 * heap), and an estimate runs exactly when something already went wrong, so it must never be the next
 * failure. Text is therefore cut into pieces of at most {@value #PIECE_CHARS} characters, at whitespace
 * where there is some (which is where the tokenizer splits anyway), so no piece is expensive.
 * <ul>
 *   <li>Up to {@value #EXACT_CHARS} characters in all, every piece is counted: the estimate is exact.</li>
 *   <li>Beyond that, pieces are counted at random, each with the probability that makes about
 *       {@value #EXACT_CHARS} characters counted in all, and the others are measured by their UTF-8
 *       length and counted at the token density of the sampled ones. Sampling across the whole text
 *       rather than counting a prefix means text that is cheap to count cannot be put up front to
 *       make the rest count for little: the estimate is unbiased whatever the text.</li>
 *   <li>When the tokenizer cannot be used at all ({@link #promptTokensByLength}), text counts one
 *       token per {@value #MIN_BYTES_PER_TOKEN} bytes.</li>
 * </ul>
 * Generated text arrives as a stream, so it is counted by prefix ({@link GeneratedText}). Estimating
 * costs at most some tens of milliseconds of CPU and a few kilobytes of memory per call.
 *
 * <p>Thread-safe. The tokenizer tables (tens of megabytes) are loaded once, on first use, by the
 * class-holder idiom: concurrent first callers wait for the one load instead of each building their own.
 */
public final class TokenEstimator {
    /** Per-message framing tokens of the chat format (role and separators). */
    private static final int PER_MESSAGE = 4;
    /** Characters counted with the tokenizer per estimate, about; the rest is estimated from its length. */
    static final int EXACT_CHARS = 128 * 1024;
    /** Longest piece handed to the tokenizer at once. */
    static final int PIECE_CHARS = 2048;
    /** Text measured by length alone counts one token per this many UTF-8 bytes. */
    static final int MIN_BYTES_PER_TOKEN = 4;

    private final Supplier<RandomGenerator> random;

    public TokenEstimator() {
        this(ThreadLocalRandom::current);
    }

    /** @param random where sampling draws from; tests pass a seeded one */
    public TokenEstimator(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    /** Tokens of the text content of the request's messages. */
    public long promptTokens(List<Message> messages) {
        List<String> texts = texts(messages);
        return PER_MESSAGE * (long) messages.size()
                + count(texts, sampling(texts.stream().mapToLong(String::length).sum()));
    }

    /**
     * {@link #promptTokens} from text lengths alone, without the tokenizer: for when counting itself
     * failed (the heap exhausted by something else, say), so that the request is still billed.
     */
    public long promptTokensByLength(List<Message> messages) {
        return PER_MESSAGE * (long) messages.size() + count(texts(messages), 0);
    }

    /** Tokens of a piece of generated text. */
    public long textTokens(CharSequence text) {
        return count(List.of(text), sampling(text.length()));
    }

    /** Tokens of the text a response generated, of which only a bounded part was kept. */
    public long textTokens(GeneratedText text) {
        Tally tally = new Tally();
        tally.add(text.kept(), 1.0, random.get());
        tally.uncountedBytes += text.droppedBytes();
        return tally.tokens();
    }

    /** {@link #textTokens(GeneratedText)} from lengths alone, as {@link #promptTokensByLength}. */
    public long textTokensByLength(GeneratedText text) {
        Tally tally = new Tally();
        tally.add(text.kept(), 0, random.get());
        tally.uncountedBytes += text.droppedBytes();
        return tally.tokens();
    }

    /** The probability of counting a piece that makes about {@link #EXACT_CHARS} of {@code chars} counted. */
    private static double sampling(long chars) {
        return chars <= EXACT_CHARS ? 1.0 : (double) EXACT_CHARS / chars;
    }

    private long count(List<? extends CharSequence> texts, double sampled) {
        Tally tally = new Tally();
        RandomGenerator draw = random.get();
        for (CharSequence text : texts) {
            tally.add(text, sampled, draw);
        }
        return tally.tokens();
    }

    /** The text of every message: text parts, tool results' text, tool-call arguments, reasoning text. */
    private static List<String> texts(List<Message> messages) {
        List<String> texts = new ArrayList<>();
        for (Message message : messages) {
            addTexts(message.content(), texts);
        }
        return texts;
    }

    private static void addTexts(List<ContentPart> parts, List<String> into) {
        for (ContentPart part : parts) {
            switch (part) {
                case ContentPart.Text text -> into.add(text.text());
                case ContentPart.ToolCall call -> into.add(call.arguments());
                case ContentPart.ToolResult result -> addTexts(result.content(), into);
                case ContentPart.Reasoning reasoning -> {
                    if (reasoning.kind() != ContentPart.Reasoning.Kind.ENCRYPTED) {
                        into.add(reasoning.content());
                    }
                }
                case ContentPart.Refusal refusal -> into.add(refusal.text());
                case ContentPart.Image ignored -> {}
                case ContentPart.Document ignored -> {}
                case ContentPart.Audio ignored -> {}
                case ContentPart.Other ignored -> {}
            }
        }
    }

    /** Counts of one estimate: pieces counted with the tokenizer, and bytes of pieces that were not. */
    private static final class Tally {
        private long countedTokens;
        private long countedBytes;
        private long uncountedBytes;

        /** @param sampled the probability that a piece is counted with the tokenizer (1 = every piece) */
        void add(CharSequence text, double sampled, RandomGenerator draw) {
            for (int at = 0; at < text.length(); ) {
                int end = pieceEnd(text, at, PIECE_CHARS);
                if (sampled >= 1.0 || (sampled > 0 && draw.nextDouble() < sampled)) {
                    String piece = text.subSequence(at, end).toString();
                    countedTokens += encoding().countTokensOrdinary(piece);
                    countedBytes += Utf8.length(piece, 0, piece.length());
                } else {
                    uncountedBytes += Utf8.length(text, at, end);
                }
                at = end;
            }
        }

        long tokens() {
            if (uncountedBytes == 0) {
                return countedTokens;
            }
            long estimated = countedBytes == 0
                    ? ceilDiv(uncountedBytes, MIN_BYTES_PER_TOKEN)
                    : ceilDiv(uncountedBytes * countedTokens, countedBytes);
            return countedTokens + estimated;
        }

        private static long ceilDiv(long a, long b) {
            return -Math.floorDiv(-a, b);
        }
    }

    /**
     * Where a piece starting at {@code start} should end: before the last whitespace in the second half
     * of {@code max} characters (so the next piece starts with it, as the tokenizer would split), else
     * at {@code max} characters, never between the two halves of a surrogate pair.
     */
    static int pieceEnd(CharSequence text, int start, int max) {
        int limit = Math.min(text.length(), start + max);
        if (limit == text.length()) {
            return limit;
        }
        for (int i = limit; i > start + max / 2; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return Character.isHighSurrogate(text.charAt(limit - 1)) && limit - 1 > start ? limit - 1 : limit;
    }

    private static Encoding encoding() {
        return Holder.ENCODING;
    }

    /** Loaded by the JVM exactly once, when first referenced. */
    private static final class Holder {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }
}
