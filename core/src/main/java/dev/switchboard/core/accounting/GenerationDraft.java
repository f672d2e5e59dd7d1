package dev.switchboard.core.accounting;

import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.model.response.TokenUsage;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything about a finished request that accounting needs to bill it and write its record: the
 * tokens, the prices they are billed at (the attempt that answered; none when no attempt did), and the
 * record itself once its cost is known.
 *
 * @param billedAt  the prices of the attempt that answered; empty when none did, which costs nothing
 * @param usage     the tokens to bill
 * @param estimated whether they were counted locally
 * @param insured   zero-completion insurance applies: the answer generated nothing, or ended in an error,
 *                  so its model charges are waived
 * @param byok      the attempt that answered carried the workspace's own key: credits pay only the BYOK fee
 * @param record    the generation record, given its cost
 */
public record GenerationDraft(
        Optional<Pricing> billedAt,
        TokenUsage usage,
        boolean estimated,
        boolean insured,
        boolean byok,
        Function<Cost, GenerationRecord> record) {
    public GenerationDraft {
        Objects.requireNonNull(billedAt, "billedAt");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(record, "record");
    }

    /** A draft of a request that no own key served. */
    public GenerationDraft(
            Optional<Pricing> billedAt,
            TokenUsage usage,
            boolean estimated,
            boolean insured,
            Function<Cost, GenerationRecord> record) {
        this(billedAt, usage, estimated, insured, false, record);
    }
}
