package dev.switchboard.core.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.switchboard.core.routing.health.AttemptOutcome;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.response.FinishReason;
import dev.switchboard.model.response.StreamEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an answer's tool calls are well formed, for the endpoint's tool-call error rate (which
 * {@code :exacto} ranks endpoints by). Used only for requests that offer tools.
 *
 * <p>Design note. A call is well formed when its arguments are one JSON object; an empty string counts
 * as no arguments (some providers send it for a function without parameters). Streamed arguments arrive
 * in pieces, per call ({@code choice}, {@code index}); they are gathered per call and each call's whole
 * arguments parsed once, when the attempt ends. The parse is Jackson's streaming tokenizer, linear in
 * the arguments and without building a tree. Bounded: at most {@value #MAX_CHARS} characters of arguments
 * and {@value #MAX_CALLS} calls per attempt are gathered; an answer beyond either is not judged
 * ({@link AttemptOutcome.ToolUse#NONE}), and nor is one the token limit cut off, which is the request's
 * doing. Owned by the request's thread.
 */
final class ToolCallAudit {
    static final int MAX_CHARS = 256 * 1024;
    static final int MAX_CALLS = 64;

    // buffers from a shared pool, not a thread-local: on virtual threads that means new ones per request
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .build();

    private final Map<Long, StringBuilder> streamed = new LinkedHashMap<>();
    private int chars;
    private boolean beyondBounds;
    private boolean malformed;

    /** A new attempt begins: forget the previous one's calls. */
    void reset() {
        streamed.clear();
        chars = 0;
        beyondBounds = false;
        malformed = false;
    }

    /** More of a streamed call's arguments. */
    void append(StreamEvent.ToolCallDelta delta) {
        if (beyondBounds) {
            return;
        }
        long call = ((long) delta.choice() << 32) | (delta.index() & 0xffffffffL);
        StringBuilder arguments = streamed.get(call);
        if (arguments == null) {
            if (streamed.size() == MAX_CALLS) {
                beyondBounds = true;
                return;
            }
            arguments = new StringBuilder();
            streamed.put(call, arguments);
        }
        chars += delta.arguments().length();
        if (chars > MAX_CHARS) {
            beyondBounds = true;
            streamed.clear();
            return;
        }
        arguments.append(delta.arguments());
    }

    /** A whole call, from an answer that was not streamed. */
    void check(ContentPart.ToolCall call) {
        if (call.arguments().length() > MAX_CHARS) {
            beyondBounds = true;
        } else if (!wellFormed(call.arguments())) {
            malformed = true;
        }
    }

    /** What the answer says of the endpoint's tool calling; {@code finish} is how it ended. */
    AttemptOutcome.ToolUse verdict(Optional<FinishReason> finish) {
        if (beyondBounds || finish.equals(Optional.of(FinishReason.LENGTH))) {
            return AttemptOutcome.ToolUse.NONE;
        }
        if (malformed) {
            return AttemptOutcome.ToolUse.ERROR;
        }
        for (StringBuilder arguments : streamed.values()) {
            if (!wellFormed(arguments)) {
                return AttemptOutcome.ToolUse.ERROR;
            }
        }
        return AttemptOutcome.ToolUse.OK;
    }

    /** One JSON object and nothing after it, or nothing at all. */
    static boolean wellFormed(CharSequence arguments) {
        if (arguments.toString().isBlank()) {
            return true;
        }
        try (JsonParser parser = JSON.createParser(arguments.toString())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
