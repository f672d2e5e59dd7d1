package dev.switchboard.model.response;

import dev.switchboard.model.chat.WireBody;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole answer, assembled from {@link StreamEvent}s by {@link CompletionAssembler}.
 *
 * @param upstreamId    the provider's id for it
 * @param upstreamModel the model the provider says answered
 * @param choices       by index
 * @param usage         the provider's token counts, when it reported them
 * @param source        the provider's body as received, for a client of the same wire format (pass-through)
 */
public record Completion(
        Optional<String> upstreamId,
        Optional<String> upstreamModel,
        List<Choice> choices,
        Optional<TokenUsage> usage,
        Optional<WireBody> source) {
    public Completion {
        Objects.requireNonNull(upstreamId, "upstreamId");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        choices = List.copyOf(choices);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(source, "source");
    }

    /** The first choice's finish, which is what a generation record keeps. */
    public Optional<Choice> first() {
        return choices.isEmpty() ? Optional.empty() : Optional.of(choices.getFirst());
    }

    /** The same completion carrying the provider's body. */
    public Completion withSource(WireBody body) {
        return new Completion(upstreamId, upstreamModel, choices, usage, Optional.of(body));
    }
}
