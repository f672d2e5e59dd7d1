package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The payloads the benchmarks work on, byte for byte what the load harness's nginx mock serves
 * ({@code ../shared/bench/mock-upstream/nginx.conf}) and what its clients send, so that the JMH
 * figures and the load figures describe the same traffic:
 * <ul>
 *   <li>{@link #OPENAI_STREAM}: an OpenAI chat-completions SSE stream, 20 content chunks (role in the
 *       first, {@code finish_reason "stop"} in the 20th), one usage chunk with empty {@code choices},
 *       then {@code [DONE]}: 5,695 bytes, 22 events;</li>
 *   <li>{@link #COMPLETION}: the non-streaming {@code chat.completion} (780 bytes, usage with details);</li>
 *   <li>{@link #CHAT_REQUEST}: the harness's chat body (system + user message, temperature,
 *       max_tokens, user) naming the bench model {@code bench/chat}.</li>
 * </ul>
 * The arrays are shared: callers must not modify them.
 */
public final class Fixtures {
    public static final byte[] OPENAI_STREAM = load("openai-stream.sse");
    /** The same 20 words as Anthropic streams them: message start, one text block of 20 deltas, a ping, the stop (26 events, 3,108 bytes). */
    public static final byte[] ANTHROPIC_STREAM = load("anthropic-stream.sse");

    public static final byte[] COMPLETION = load("completion.json");
    public static final byte[] CHAT_REQUEST = load("chat-request.json");
    /** Events in {@link #OPENAI_STREAM}, {@code [DONE]} included. */
    public static final int STREAM_EVENTS = 22;
    /** Chunks with choices in {@link #OPENAI_STREAM}. */
    public static final int STREAM_CHUNKS = 20;

    private Fixtures() {}

    /** One content chunk of the stream (the 3rd, {@code " This"}), without {@code data: } and line ends. */
    public static byte[] contentChunk() {
        String stream = new String(OPENAI_STREAM, StandardCharsets.UTF_8);
        String line =
                stream.lines().filter(l -> l.contains("\" This\"")).findFirst().orElseThrow();
        return line.substring("data: ".length()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture missing from the class path: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
