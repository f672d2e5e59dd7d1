package dev.switchboard.core.limits;

/**
 * A workspace's free-model requests in the current UTC day, as {@code GET /key} reports them in
 * {@code free_model_daily_requests}.
 *
 * @param limit     requests allowed per UTC day; -1 when free models are not limited
 * @param remaining requests left today; -1 when free models are not limited
 * @param used      requests counted today
 */
public record FreeModelUsage(long limit, long remaining, long used) {
    /** Free models are not limited. */
    public static final FreeModelUsage UNLIMITED = new FreeModelUsage(-1, -1, 0);
}
