package dev.switchboard.model.chat;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who a request is for: the app ({@code HTTP-Referer}, {@code X-OpenRouter-Title} or legacy
 * {@code X-Title}) and the end user ({@code user} in the body). Empty strings are normalised to empty.
 *
 * <p>Every value is stored with each generation record and returned by {@code GET /generation}, so
 * each has a bound. {@code user} is refused above {@value #MAX_USER} characters by the request parser,
 * as OpenRouter's schema has it. The headers are the app's identity, sent on every request and often
 * by a library the caller does not control, so instead of failing the request they are cut to
 * {@value #MAX_TITLE} (title) and {@value #MAX_REFERER} (referer) characters.
 *
 * <p>{@code session} names the conversation ({@code session_id} in the body, else the
 * {@code x-session-id} header) for sticky routing; it is not stored, and routing keeps only a hash of it.
 */
public record Attribution(
        Optional<String> httpReferer, Optional<String> appTitle, Optional<String> user, Optional<String> session) {
    public static final Attribution NONE =
            new Attribution(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    /** Longest {@code user}, in Unicode code points. */
    public static final int MAX_USER = 256;
    /** Longest app title kept, in code points; a longer one is cut. */
    public static final int MAX_TITLE = 256;
    /** Longest referer kept, in code points; a longer one is cut. */
    public static final int MAX_REFERER = 1024;

    public Attribution {
        httpReferer = httpReferer.map(value -> cut(value, MAX_REFERER));
        appTitle = appTitle.map(value -> cut(value, MAX_TITLE));
        if (user.isPresent() && user.get().codePointCount(0, user.get().length()) > MAX_USER) {
            throw new IllegalArgumentException("user longer than " + MAX_USER + " characters");
        }
    }

    /** An attribution without a session. */
    public Attribution(Optional<String> httpReferer, Optional<String> appTitle, Optional<String> user) {
        this(httpReferer, appTitle, user, Optional.empty());
    }

    public static Attribution of(@Nullable String referer, @Nullable String title, @Nullable String user) {
        return new Attribution(nonBlank(referer), nonBlank(title), nonBlank(user));
    }

    /** The same app, for this end user. */
    public Attribution withUser(Optional<String> endUser) {
        return new Attribution(httpReferer, appTitle, endUser.filter(u -> !u.isBlank()), session);
    }

    /** The same, in this conversation (a blank one is none). */
    public Attribution withSession(Optional<String> conversation) {
        return new Attribution(httpReferer, appTitle, user, conversation.filter(s -> !s.isBlank()));
    }

    private static Optional<String> nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The first {@code max} code points of {@code value}. */
    private static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        return value.codePointCount(0, value.length()) <= max
                ? value
                : value.substring(0, value.offsetByCodePoints(0, max));
    }
}
