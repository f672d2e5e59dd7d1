package dev.switchboard.core.config;

import dev.switchboard.core.catalog.Provider;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a provider's {@code identity: {user_agent, http_referer, x_title}}: the header values the gateway
 * sends that provider on every call. Each must be printable ASCII (a line break would let one value
 * start a header of its own), 1 to {@link #MAX_VALUE} characters, {@link #MAX_TITLE} for the title.
 * What is left out keeps its default ({@link Provider.Identity#DEFAULT}).
 */
final class IdentityReader {
    static final int MAX_VALUE = 1_024;
    static final int MAX_TITLE = 256;
    /** The keys of {@code identity}, each also {@code SWITCHBOARD_PROVIDERS_<SLUG>_IDENTITY_<KEY>}. */
    static final List<String> FIELDS = List.of("user_agent", "http_referer", "x_title");

    private IdentityReader() {}

    static Provider.Identity read(ConfigNode provider) {
        if (!provider.has("identity")) {
            return Provider.Identity.DEFAULT;
        }
        ConfigNode identity = provider.section("identity");
        identity.onlyKeys(Set.copyOf(FIELDS));
        return new Provider.Identity(
                value(identity, "user_agent", MAX_VALUE).orElse(Provider.Identity.DEFAULT_USER_AGENT),
                value(identity, "http_referer", MAX_VALUE),
                value(identity, "x_title", MAX_TITLE));
    }

    private static Optional<String> value(ConfigNode identity, String key, int max) {
        Optional<String> value = identity.string(key);
        if (value.isEmpty()) {
            return value;
        }
        String text = value.get();
        if (text.isBlank() || text.length() > max) {
            identity.problem(key, "must be 1 to " + max + " characters");
            return Optional.empty();
        }
        if (!text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            identity.problem(
                    key, "must be printable ASCII: no line breaks, tabs or other control characters, no non-ASCII");
            return Optional.empty();
        }
        return value;
    }
}
