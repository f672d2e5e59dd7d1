package dev.switchboard.core.catalog;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An upstream provider: which wire format it speaks ({@code kind}), how to reach it, and public facts
 * about it.
 *
 * <p>The connection holds secrets: they are only handed to the provider adapter, never rendered or
 * logged ({@link #toString()} masks them). {@code unavailableReason} is empty when the provider can be
 * used; otherwise it says why not (typically a missing credential), and the provider is never routed to.
 */
public record Provider(
        String slug,
        String name,
        String kind,
        Connection connection,
        Optional<String> unavailableReason,
        Links links,
        Identity identity) {
    public Provider {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(unavailableReason, "unavailableReason");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(identity, "identity");
    }

    /** A provider the gateway names itself to as it does by default ({@link Identity#DEFAULT}). */
    public Provider(
            String slug,
            String name,
            String kind,
            Connection connection,
            Optional<String> unavailableReason,
            Links links) {
        this(slug, name, kind, connection, unavailableReason, links, Identity.DEFAULT);
    }

    /** An OpenAI-compatible provider at {@code baseUrl}. */
    public static Provider openAi(String slug, String name, URI baseUrl, String apiKey, MaxTokensField maxTokensField) {
        return new Provider(
                slug,
                name,
                "openai",
                new Connection.OpenAiCompatible(baseUrl, apiKey, maxTokensField),
                Optional.empty(),
                Links.none());
    }

    /** Why a provider that the configuration disabled ({@code enabled: false}) cannot be used. */
    public static final String DISABLED = "disabled in the configuration";

    /** Whether the provider can be called with its configured credential. */
    public boolean available() {
        return unavailableReason.isEmpty();
    }

    /**
     * Whether the configuration disabled the provider: then not even a workspace's own key calls it. A
     * provider that is unavailable only for want of a configured key may still be called with one.
     */
    public boolean disabled() {
        return unavailableReason.filter(DISABLED::equals).isPresent();
    }

    @Override
    public String toString() {
        return "Provider[slug=" + slug + ", kind=" + kind + ", connection=" + connection + "]";
    }

    /**
     * How the gateway names itself to the provider: the {@code User-Agent}, {@code HTTP-Referer} and
     * {@code X-Title} headers sent on every call to it (a provider's {@code identity} in the configuration).
     * By default the user agent is {@value #DEFAULT_USER_AGENT} and the other two are not sent; a client's
     * own {@code HTTP-Referer} and {@code X-Title} are its attribution at this gateway and are never passed
     * on. Values are checked at load: printable ASCII, no line breaks, bounded length.
     */
    public record Identity(String userAgent, Optional<String> httpReferer, Optional<String> title) {
        public static final String DEFAULT_USER_AGENT = "Switchboard";
        public static final Identity DEFAULT = new Identity(DEFAULT_USER_AGENT, Optional.empty(), Optional.empty());

        public Identity {
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(httpReferer, "httpReferer");
            Objects.requireNonNull(title, "title");
        }
    }

    /** Public facts shown by {@code GET /providers}; any may be empty. */
    public record Links(
            @Nullable String privacyPolicyUrl,
            @Nullable String termsOfServiceUrl,
            @Nullable String statusPageUrl,
            @Nullable String headquarters,
            List<String> datacenters) {
        public Links {
            datacenters = List.copyOf(datacenters);
        }

        public static Links none() {
            return new Links(null, null, null, null, List.of());
        }
    }
}
