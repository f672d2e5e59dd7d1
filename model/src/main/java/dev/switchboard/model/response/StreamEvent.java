package dev.switchboard.model.response;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.WireFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider adapter yields while an answer comes in, whatever the provider's wire format. Most
 * events belong to one choice ({@code choice} is its index; one choice, 0, unless the client asked
 * for several).
 *
 * <p>A failure is not an event: the stream throws it (an {@code UpstreamException}, classified once),
 * because reading the next event is what fails.
 *
 * <p>{@link Native} carries one chunk in the provider's own wire format, beside the canonical events
 * decoded from it, for the pass-through lane: a client of the same wire format is sent the chunk
 * (edited), any other client the canonical events. Adapters emit it only when asked to.
 */
public sealed interface StreamEvent {
    /** The provider's identity for the answer, known from its first bytes. */
    record Started(Optional<String> upstreamId, Optional<String> upstreamModel) implements StreamEvent {
        public Started {
            Objects.requireNonNull(upstreamId, "upstreamId");
            Objects.requireNonNull(upstreamModel, "upstreamModel");
        }
    }

    /** More answer text. */
    record TextDelta(int choice, String text) implements StreamEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * More reasoning: a piece of its text or summary, its signature, or an encrypted blob; pieces of the
     * same {@code kind} and {@code id} join into one {@link ContentPart.Reasoning}.
     */
    record ReasoningDelta(int choice, ContentPart.Reasoning piece) implements StreamEvent {
        public ReasoningDelta {
            Objects.requireNonNull(piece, "piece");
        }
    }

    /**
     * A piece of a tool call. The first piece of call {@code index} carries its id and name; the
     * arguments of all its pieces join into the call's JSON.
     *
     * @param index the call's position among the choice's tool calls
     */
    record ToolCallDelta(int choice, int index, Optional<String> id, Optional<String> name, String arguments)
            implements StreamEvent {
        public ToolCallDelta {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** More of a refusal. */
    record RefusalDelta(int choice, String text) implements StreamEvent {
        public RefusalDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The choice is complete. */
    record Finished(int choice, FinishReason reason, Optional<String> nativeReason) implements StreamEvent {
        public Finished {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(nativeReason, "nativeReason");
        }
    }

    /** The provider's token counts for the whole answer. */
    record UsageReported(TokenUsage usage) implements StreamEvent {
        public UsageReported {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** One chunk as the provider sent it (see the type's description); comes after the events decoded from it. */
    record Native(WireFormat format, Object chunk) implements StreamEvent {
        public Native {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /** The provider ended the answer cleanly; the stream yields it on every later read too. */
    record End() implements StreamEvent {}

    End END = new End();

    /**
     * Whether the event carries answer content: text, reasoning, a tool call, a refusal, or a finish. A
     * request is committed to an attempt at its first such event; before it, the attempt may still be
     * abandoned for the next one without the client noticing.
     */
    static boolean carriesContent(StreamEvent event) {
        return switch (event) {
            case TextDelta delta -> !delta.text().isEmpty();
            case ReasoningDelta ignored -> true;
            case ToolCallDelta ignored -> true;
            case RefusalDelta delta -> !delta.text().isEmpty();
            case Finished ignored -> true;
            case Started ignored -> false;
            case UsageReported ignored -> false;
            case Native ignored -> false;
            case End ignored -> false;
        };
    }
}
