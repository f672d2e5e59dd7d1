package dev.switchboard.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenEstimatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        JsonNode messages = JSON.readTree("""
                [{"role":"system","content":"hello world"},
                 {"role":"user","content":[{"type":"text","text":"hello world"},{"type":"image_url","image_url":{"url":"https://x"}}]},
                 {"role":"assistant","content":null,"tool_calls":[]}]
                """);

        assertThat(estimator.promptTokens(messages)).isEqualTo(3 * 4 + 2 + 2);
    }

    @Test
    void emptyConversationHasNoTokens() throws Exception {
        assertThat(estimator.promptTokens(JSON.readTree("[]"))).isZero();
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        long expected = estimator.textTokens("concurrency is not parallelism");
        Thread[] threads = new Thread[8];
        long[] results = new long[threads.length];
        TokenEstimator shared = new TokenEstimator();
        for (int i = 0; i < threads.length; i++) {
            int index = i;
            threads[i] = Thread.ofVirtual().start(() -> results[index] = shared.textTokens("concurrency is not parallelism"));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).containsOnly(expected);
    }
}
