package dev.switchboard.core.catalog;

import java.util.Arrays;
import java.util.Optional;

/**
 * The HTTP version the gateway speaks to a provider ({@code http_version} in the configuration).
 * HTTP/1.1 is the default: every provider speaks it. HTTP/2 carries many calls over one connection,
 * which saves a socket per open stream; it must be asked for because not every OpenAI-compatible server
 * speaks it, and a plain {@code http://} one that does must speak it with prior knowledge (h2c).
 */
public enum HttpVersion {
    /** HTTP/1.1 over the gateway's keep-alive pool: one connection per call in flight. */
    HTTP_1_1("1.1"),
    /** HTTP/2: h2c with prior knowledge for {@code http://}, ALPN {@code h2} for {@code https://}. */
    HTTP_2("2");

    private final String configName;

    HttpVersion(String configName) {
        this.configName = configName;
    }

    /** The value as written in the configuration: {@code 1.1} or {@code 2}. */
    public String configName() {
        return configName;
    }

    /** The constant whose {@link #configName()} is {@code text}, if any. */
    public static Optional<HttpVersion> parse(String text) {
        return Arrays.stream(values()).filter(v -> v.configName.equals(text)).findFirst();
    }
}
