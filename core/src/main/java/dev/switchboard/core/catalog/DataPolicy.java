package dev.switchboard.core.catalog;

/**
 * What an endpoint's provider does with prompts, as routing's data-policy filters read it.
 *
 * @param training          the provider may train on prompts
 * @param retainsPrompts    the provider stores prompts beyond serving the request
 * @param zeroDataRetention the endpoint is zero-data-retention: nothing is kept once it answers
 */
public record DataPolicy(boolean training, boolean retainsPrompts, boolean zeroDataRetention) {
    /** A policy the catalog does not state is assumed to both train and retain, as OpenRouter assumes. */
    public static final DataPolicy UNKNOWN = new DataPolicy(true, true, false);
}
