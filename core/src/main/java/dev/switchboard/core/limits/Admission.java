package dev.switchboard.core.limits;

/**
 * A request let in by a {@link RequestLimiter}, which counted its estimated prompt tokens against the
 * token rates that apply to it. Settled once, when the request ends, with the tokens it actually used;
 * a request refused after admission (its model unknown, its cost unaffordable) is settled with none.
 */
@FunctionalInterface
public interface Admission {
    /**
     * Replaces the estimate counted at admission with what the request used.
     *
     * @param tokens prompt and completion tokens, 0 when nothing was sent upstream
     */
    void settle(long tokens);

    /** An admission with nothing to settle: no token rate applied to the request. */
    Admission NONE = tokens -> {};
}
