package dev.switchboard.core.routing;

import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a request asks for, guessed cheaply, for the auto router ({@link AutoRouter}).
 *
 * <p>Design note. One task per request, the first of these that applies:
 * <ol>
 *   <li>{@link Task#VISION}: the request carries images, files or audio;</li>
 *   <li>{@link Task#LONG_CONTEXT}: the prompt is estimated at {@value #LONG_CONTEXT_TOKENS} tokens or
 *       more;</li>
 *   <li>{@link Task#CODING}: the last user message shows code: a fence ({@code ```}), at least
 *       {@value #CODE_SYMBOLS} of the characters {@code { } ;}, or at least {@value #WORDS_NEEDED} words of
 *       a small set about programming ({@code python}, {@code compile}, {@code traceback}, ...);</li>
 *   <li>{@link Task#TOOL_USE}: the request offers tools;</li>
 *   <li>{@link Task#REASONING}: the request asks for reasoning ({@code reasoning} not turned off), or the
 *       last user message has at least {@value #WORDS_NEEDED} words of a small set about proofs and
 *       problems ({@code prove}, {@code theorem}, {@code probability}, ...);</li>
 *   <li>{@link Task#GENERAL}: anything else.</li>
 * </ol>
 * Coding comes before tool use so that an agent editing code is routed as coding (the tools it needs are
 * a hard requirement anyway). The cost is bounded whatever the prompt's size: only the last user
 * message's text is read, and of it only the first and last {@value #WINDOW} characters, in one pass. A
 * word is a run of ASCII letters, compared without case; it is looked up by its hash in a sorted table,
 * so the pass allocates nothing. These are heuristics, documented as such for users.
 */
final class TaskClassifier {
    static final long LONG_CONTEXT_TOKENS = 32_768;
    /** Characters read at each end of the last user message. */
    static final int WINDOW = 2048;

    static final int WORDS_NEEDED = 2;
    static final int CODE_SYMBOLS = 12;

    private static final List<String> CODING_WORDS = List.of(
            "algorithm",
            "bash",
            "bug",
            "compile",
            "compiler",
            "debug",
            "exception",
            "function",
            "golang",
            "java",
            "javascript",
            "kotlin",
            "python",
            "refactor",
            "regex",
            "repository",
            "rust",
            "sql",
            "stacktrace",
            "traceback",
            "typescript");
    private static final List<String> REASONING_WORDS = List.of(
            "derive",
            "equation",
            "integral",
            "lemma",
            "probability",
            "proof",
            "prove",
            "puzzle",
            "riddle",
            "solve",
            "theorem");
    private static final Lexicon CODING = new Lexicon(CODING_WORDS);
    private static final Lexicon REASONING = new Lexicon(REASONING_WORDS);

    /** The kinds of request the auto router tells apart. */
    enum Task {
        GENERAL,
        CODING,
        TOOL_USE,
        REASONING,
        LONG_CONTEXT,
        VISION
    }

    private TaskClassifier() {}

    static Task classify(ChatRequest request, RequestNeeds needs) {
        if (needs.inputModalities().size() > 1) {
            return Task.VISION;
        }
        if (needs.promptTokens() >= LONG_CONTEXT_TOKENS) {
            return Task.LONG_CONTEXT;
        }
        Signals signals = lastUserMessage(request.messages());
        if (signals.code()) {
            return Task.CODING;
        }
        if (!request.tools().isEmpty()) {
            return Task.TOOL_USE;
        }
        if (request.reasoning().map(TaskClassifier::reasoningOn).orElse(false)
                || signals.reasoningWords >= WORDS_NEEDED) {
            return Task.REASONING;
        }
        return Task.GENERAL;
    }

    private static boolean reasoningOn(ReasoningSettings reasoning) {
        return !reasoning.enabled().equals(Optional.of(false))
                && !reasoning.effort().equals(Optional.of("none"));
    }

    /** What the last user message's two windows show. */
    private static Signals lastUserMessage(List<Message> messages) {
        Signals signals = new Signals();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                scan(messages.get(i), signals);
                break;
            }
        }
        return signals;
    }

    private static void scan(Message message, Signals signals) {
        List<String> texts = new ArrayList<>(message.content().size());
        long total = 0;
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Text text) {
                texts.add(text.text());
                total += text.text().length();
            }
        }
        if (total <= 2L * WINDOW) {
            texts.forEach(text -> signals.scan(text, 0, text.length()));
            return;
        }
        int left = WINDOW;
        for (int i = 0; i < texts.size() && left > 0; i++) {
            String text = texts.get(i);
            int end = Math.min(text.length(), left);
            signals.scan(text, 0, end);
            left -= end;
        }
        left = WINDOW;
        for (int i = texts.size() - 1; i >= 0 && left > 0; i--) {
            String text = texts.get(i);
            int start = Math.max(0, text.length() - left);
            signals.scan(text, start, text.length());
            left -= text.length() - start;
        }
    }

    /** Counts gathered over the scanned text. */
    private static final class Signals {
        private int codingWords;
        private int reasoningWords;
        private int symbols;
        private int backticks;
        private boolean fence;

        boolean code() {
            return fence || symbols >= CODE_SYMBOLS || codingWords >= WORDS_NEEDED;
        }

        /** One pass over {@code text[from, to)}: words, code symbols and fences. */
        void scan(String text, int from, int to) {
            int wordStart = -1;
            int hash = 0;
            backticks = 0;
            for (int i = from; i <= to; i++) {
                char c = i < to ? text.charAt(i) : ' ';
                if (c < 128 && Character.isLetter(c)) {
                    if (wordStart < 0) {
                        wordStart = i;
                        hash = 0;
                    }
                    hash = 31 * hash + Character.toLowerCase(c);
                    continue;
                }
                if (wordStart >= 0) {
                    word(text, wordStart, i, hash);
                    wordStart = -1;
                }
                symbol(c);
            }
        }

        private void word(String text, int start, int end, int hash) {
            if (CODING.contains(text, start, end, hash)) {
                codingWords++;
            } else if (REASONING.contains(text, start, end, hash)) {
                reasoningWords++;
            }
        }

        private void symbol(char c) {
            backticks = c == '`' ? backticks + 1 : 0;
            fence |= backticks == 3;
            if (c == '{' || c == '}' || c == ';') {
                symbols++;
            }
        }
    }

    /** A fixed set of lowercase ASCII words, looked up by the hash of a word in place. */
    private static final class Lexicon {
        private final int[] hashes;
        private final String[] words;

        Lexicon(List<String> list) {
            String[] sorted = list.toArray(String[]::new);
            Arrays.sort(sorted, (a, b) -> Integer.compare(a.hashCode(), b.hashCode()));
            words = sorted;
            hashes = Arrays.stream(sorted).mapToInt(String::hashCode).toArray();
        }

        /** Whether {@code text[start, end)}, whose lowercase hash is {@code hash}, is one of the words. */
        boolean contains(String text, int start, int end, int hash) {
            int at = Arrays.binarySearch(hashes, hash);
            if (at < 0) {
                return false;
            }
            // equal hashes sit next to each other; look at every one of them
            for (int i = at; i >= 0 && hashes[i] == hash; i--) {
                if (same(words[i], text, start, end)) {
                    return true;
                }
            }
            for (int i = at + 1; i < hashes.length && hashes[i] == hash; i++) {
                if (same(words[i], text, start, end)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean same(String word, String text, int start, int end) {
            return word.length() == end - start && text.regionMatches(true, start, word, 0, word.length());
        }
    }
}
