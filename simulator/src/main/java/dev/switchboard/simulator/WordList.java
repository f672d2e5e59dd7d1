package dev.switchboard.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fixed vocabulary of simulated answers: lorem-ipsum and self-describing words, so nobody
 * mistakes the output for a real model's. One word is one completion token.
 *
 * <p>The streamed delta of every word, {@code {"content":"word"}} and
 * {@code {"content":" word"}}, is serialised once here, so streaming a token costs no JSON work.
 * Immutable and thread-safe.
 */
final class WordList {

    static final WordList STANDARD = new WordList(List.of(
            "simulated",
            "lorem",
            "ipsum",
            "dolor",
            "sit",
            "amet",
            "token",
            "synthetic",
            "switchboard",
            "upstream",
            "placeholder",
            "consectetur",
            "adipiscing",
            "elit",
            "sed",
            "do",
            "eiusmod",
            "tempor",
            "incididunt",
            "labore",
            "dolore",
            "magna",
            "aliqua",
            "veniam",
            "quis",
            "nostrud",
            "exercitation",
            "ullamco",
            "laboris",
            "nisi",
            "aliquip",
            "commodo",
            "consequat",
            "duis",
            "aute",
            "irure",
            "reprehenderit",
            "voluptate",
            "velit",
            "esse",
            "cillum",
            "fugiat",
            "nulla",
            "pariatur",
            "excepteur",
            "sint",
            "occaecat",
            "cupidatat",
            "proident",
            "sunt",
            "culpa",
            "officia",
            "deserunt",
            "mollit",
            "anim",
            "laborum",
            "simulator",
            "instrument",
            "test",
            "fixture",
            "stub",
            "sample",
            "canned",
            "output"));

    private final List<String> words;
    private final byte[][] firstDeltas;
    private final byte[][] laterDeltas;

    private WordList(List<String> words) {
        this.words = List.copyOf(words);
        this.firstDeltas = new byte[words.size()][];
        this.laterDeltas = new byte[words.size()][];
        for (int i = 0; i < words.size(); i++) {
            // plain ASCII letters: nothing to escape
            firstDeltas[i] = ("{\"content\":\"" + words.get(i) + "\"}").getBytes(StandardCharsets.UTF_8);
            laterDeltas[i] = ("{\"content\":\" " + words.get(i) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    int size() {
        return words.size();
    }

    String word(int index) {
        return words.get(index);
    }

    /** The delta of a token: the word, with a leading space unless it opens the answer. */
    byte[] contentDelta(int index, boolean first) {
        return first ? firstDeltas[index] : laterDeltas[index];
    }
}
