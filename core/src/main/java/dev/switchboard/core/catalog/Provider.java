package dev.switchboard.core.catalog;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream provider: where it is, which wire format it speaks, and its credential.
 *
 * <p>{@code apiKey} is a secret: it is only handed to the provider adapter, never rendered or logged
 * ({@link #toString()} masks it). {@code unavailableReason} is empty when the provider can be used;
 * otherwise it says why not (typically a missing credential), and the provider is never routed to.
 *
 * @param maxTokensField the field the provider wants the output-token limit in
 */
public record Provider(String slug, String name, String kind, URI baseUrl, String apiKey,
                       Optional<String> unavailableReason, Links links, MaxTokensField maxTokensField) {
    public Provider {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(unavailableReason, "unavailableReason");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(maxTokensField, "maxTokensField");
    }

    /** A provider that receives the output-token limit in whichever field the client used. */
    public Provider(String slug, String name, String kind, URI baseUrl, String apiKey,
                    Optional<String> unavailableReason, Links links) {
        this(slug, name, kind, baseUrl, apiKey, unavailableReason, links, MaxTokensField.AS_SENT);
    }

    public boolean available() {
        return unavailableReason.isEmpty();
    }

    @Override
    public String toString() {
        return "Provider[slug=" + slug + ", kind=" + kind + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey.isEmpty() ? "<none>" : "<set>") + "]";
    }

    /** Public facts shown by {@code GET /providers}; any may be empty. */
    public record Links(String privacyPolicyUrl, String termsOfServiceUrl, String statusPageUrl,
                        String headquarters, List<String> datacenters) {
        public Links {
            datacenters = List.copyOf(datacenters);
        }

        public static Links none() {
            return new Links(null, null, null, null, List.of());
        }
    }
}
