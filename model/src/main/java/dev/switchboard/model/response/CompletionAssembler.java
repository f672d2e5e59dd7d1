package dev.switchboard.model.response;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds a {@link Completion} from the events of an answer, streamed or not.
 *
 * <p>Design note. Each choice keeps its parts in the order their first piece arrived. Text joins onto
 * the text part it follows; a text piece after another kind of part starts a new text part (an
 * Anthropic answer may say something, call a tool, and say more). Tool-call pieces join by their
 * {@code index}, wherever they arrive, the first piece giving the id and name. Reasoning pieces join
 * onto the last reasoning part of the same kind and id; a signature completes it; encrypted reasoning
 * is whole in one piece. Refusal text joins into one refusal part. Native chunks are not content.
 *
 * <p>Not thread-safe: one assembler per answer.
 */
public final class CompletionAssembler {
    private final TreeMap<Integer, ChoiceBuilder> choices = new TreeMap<>();
    private Optional<String> upstreamId = Optional.empty();
    private Optional<String> upstreamModel = Optional.empty();
    private Optional<TokenUsage> usage = Optional.empty();

    /** Takes one event; returns this. */
    public CompletionAssembler accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.Started started -> {
                upstreamId = upstreamId.or(started::upstreamId);
                upstreamModel = upstreamModel.or(started::upstreamModel);
            }
            case StreamEvent.TextDelta delta -> choice(delta.choice()).text(delta.text());
            case StreamEvent.ReasoningDelta delta -> choice(delta.choice()).reasoning(delta.piece());
            case StreamEvent.ToolCallDelta delta -> choice(delta.choice()).toolCall(delta);
            case StreamEvent.RefusalDelta delta -> choice(delta.choice()).refusal(delta.text());
            case StreamEvent.Finished finished -> choice(finished.choice()).finish(finished);
            case StreamEvent.UsageReported reported -> usage = Optional.of(reported.usage());
            case StreamEvent.Native ignored -> {}
            case StreamEvent.End ignored -> {}
        }
        return this;
    }

    public CompletionAssembler acceptAll(Iterable<StreamEvent> events) {
        events.forEach(this::accept);
        return this;
    }

    public Completion build() {
        List<Choice> built = new ArrayList<>(choices.size());
        choices.forEach((index, builder) -> built.add(builder.build(index)));
        return new Completion(upstreamId, upstreamModel, built, usage, Optional.empty());
    }

    private ChoiceBuilder choice(int index) {
        return choices.computeIfAbsent(index, i -> new ChoiceBuilder());
    }

    /** One choice's parts as they grow. */
    private static final class ChoiceBuilder {
        private final List<Object> parts = new ArrayList<>();
        private final TreeMap<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();
        private Optional<FinishReason> finish = Optional.empty();
        private Optional<String> nativeFinish = Optional.empty();

        @SuppressWarnings("UnnecessaryStringBuilder") // the builder is kept in parts and grows with later pieces
        void text(String text) {
            if (text.isEmpty()) {
                return;
            }
            if (!parts.isEmpty() && parts.getLast() instanceof StringBuilder last) {
                last.append(text);
            } else {
                parts.add(new StringBuilder(text));
            }
        }

        void reasoning(ContentPart.Reasoning piece) {
            if (piece.kind() != ContentPart.Reasoning.Kind.ENCRYPTED
                    && !parts.isEmpty()
                    && parts.getLast() instanceof ReasoningBuilder last
                    && last.continuedBy(piece)) {
                last.append(piece);
            } else {
                parts.add(new ReasoningBuilder(piece));
            }
        }

        void toolCall(StreamEvent.ToolCallDelta delta) {
            ToolCallBuilder call = toolCalls.get(delta.index());
            if (call == null) {
                call = new ToolCallBuilder();
                toolCalls.put(delta.index(), call);
                parts.add(call);
            }
            call.append(delta);
        }

        void refusal(String text) {
            for (Object part : parts) {
                if (part instanceof RefusalBuilder refusal) {
                    refusal.text.append(text);
                    return;
                }
            }
            RefusalBuilder refusal = new RefusalBuilder();
            refusal.text.append(text);
            parts.add(refusal);
        }

        void finish(StreamEvent.Finished finished) {
            finish = Optional.of(finished.reason());
            nativeFinish = finished.nativeReason();
        }

        Choice build(int index) {
            List<ContentPart> content = new ArrayList<>(parts.size());
            for (Object part : parts) {
                content.add(
                        switch (part) {
                            case StringBuilder text -> ContentPart.Text.of(text.toString());
                            case ReasoningBuilder reasoning -> reasoning.build();
                            case ToolCallBuilder call -> call.build();
                            case RefusalBuilder refusal ->
                                new ContentPart.Refusal(refusal.text.toString(), Extensions.NONE);
                            default -> throw new IllegalStateException("unknown part builder " + part.getClass());
                        });
            }
            return new Choice(index, content, finish, nativeFinish);
        }
    }

    private static final class ToolCallBuilder {
        private String id = "";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();

        void append(StreamEvent.ToolCallDelta delta) {
            delta.id().filter(value -> !value.isEmpty()).ifPresent(value -> id = value);
            delta.name().filter(value -> !value.isEmpty()).ifPresent(value -> name = value);
            arguments.append(delta.arguments());
        }

        ContentPart.ToolCall build() {
            return new ContentPart.ToolCall(id, name, arguments.toString(), Extensions.NONE);
        }
    }

    private static final class ReasoningBuilder {
        private final ContentPart.Reasoning first;
        private final StringBuilder content;
        private Optional<String> signature;

        ReasoningBuilder(ContentPart.Reasoning first) {
            this.first = first;
            this.content = new StringBuilder(first.content());
            this.signature = first.signature();
        }

        boolean continuedBy(ContentPart.Reasoning piece) {
            return piece.kind() == first.kind()
                    && (piece.id().isEmpty() || piece.id().equals(first.id()))
                    && signature.isEmpty();
        }

        void append(ContentPart.Reasoning piece) {
            content.append(piece.content());
            signature = signature.or(piece::signature);
        }

        ContentPart.Reasoning build() {
            return new ContentPart.Reasoning(
                    first.kind(), content.toString(), signature, first.id(), first.format(), first.extensions());
        }
    }

    private static final class RefusalBuilder {
        private final StringBuilder text = new StringBuilder();
    }
}
