package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseReaderBenchmarkTest {
    @Test
    void readsEveryPayloadByteWhateverTheReadSize() throws Exception {
        SseReaderBenchmark whole = new SseReaderBenchmark();
        whole.maxRead = 65536;
        SseReaderBenchmark split = new SseReaderBenchmark();
        split.maxRead = 256;

        // 22 events of 5,695 bytes, less "data: " and the blank line after each
        assertThat(whole.readStream()).isEqualTo(5695 - 22 * ("data: ".length() + 2));
        assertThat(split.readStream()).isEqualTo(whole.readStream());
    }
}
