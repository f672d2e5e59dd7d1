package dev.switchboard.core.accounting;

import dev.switchboard.model.response.TokenUsage;
import java.util.Objects;

/**
 * What a request was billed: the tokens counted and their exact cost. Rendered to the client as
 * {@code usage} with its {@code cost}.
 *
 * @param estimated true when the provider gave no usage and the tokens were counted locally
 */
public record Settlement(TokenUsage usage, boolean estimated, Cost cost) {
    public static final Settlement NOTHING = new Settlement(TokenUsage.ZERO, false, Cost.ZERO);

    public Settlement {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(cost, "cost");
    }
}
