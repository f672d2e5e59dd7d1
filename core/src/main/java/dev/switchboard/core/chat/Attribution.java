package dev.switchboard.core.chat;

import java.util.Optional;

/**
 * Who a request is for: the app ({@code HTTP-Referer}, {@code X-OpenRouter-Title} or legacy
 * {@code X-Title}) and the end user ({@code user} in the body). Empty strings are normalised to empty.
 */
public record Attribution(Optional<String> httpReferer, Optional<String> appTitle, Optional<String> user) {
    public static final Attribution NONE = new Attribution(Optional.empty(), Optional.empty(), Optional.empty());

    public static Attribution of(String referer, String title, String user) {
        return new Attribution(nonBlank(referer), nonBlank(title), nonBlank(user));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
