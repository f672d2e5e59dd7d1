package dev.switchboard.core.limits;

/**
 * Whose rate a refusal names: the key's own limit ({@code rate_limit} of {@code /keys}) or every
 * workspace's ({@code limits.workspace_*} of the configuration). Each limit's name follows OpenRouter's
 * pattern ({@code free-models-per-min}), so clients that read the name from the message can tell them apart.
 */
enum RateScope {
    KEY("key", "This API key"),
    WORKSPACE("workspace", "This workspace");

    private final String prefix;
    private final String subject;

    RateScope(String prefix, String subject) {
        this.prefix = prefix;
        this.subject = subject;
    }

    String requestsMessage(long perMinute) {
        return "Rate limit exceeded: " + prefix + "-requests-per-min. " + subject + " may start " + perMinute
                + " requests per minute.";
    }

    String tokensMessage(long perMinute) {
        return "Rate limit exceeded: " + prefix + "-tokens-per-min. " + subject + " may use " + perMinute
                + " tokens per minute.";
    }
}
