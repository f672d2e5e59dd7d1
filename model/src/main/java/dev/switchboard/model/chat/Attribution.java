package dev.switchboard.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
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
 *
 * <p>{@code categories} are the app's marketplace categories ({@code X-OpenRouter-Categories}, a comma
 * list): lowercase words joined by hyphens, at most {@value #MAX_CATEGORY_LENGTH} characters each, at
 * most {@value #MAX_CATEGORIES} per request, the first ones kept. A value of another shape is dropped,
 * as OpenRouter drops values it does not know; the list is not checked against OpenRouter's marketplace,
 * since here the categories are the operator's own report.
 */
public record Attribution(
        Optional<String> httpReferer,
        Optional<String> appTitle,
        Optional<String> user,
        Optional<String> session,
        List<String> categories) {
    public static final Attribution NONE =
            new Attribution(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    /** Longest {@code user}, in Unicode code points. */
    public static final int MAX_USER = 256;
    /** Longest app title kept, in code points; a longer one is cut. */
    public static final int MAX_TITLE = 256;
    /** Longest referer kept, in code points; a longer one is cut. */
    public static final int MAX_REFERER = 1024;
    /** Most categories a request names; later ones are dropped. */
    public static final int MAX_CATEGORIES = 2;
    /** Longest category, in characters. */
    public static final int MAX_CATEGORY_LENGTH = 30;

    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public Attribution {
        httpReferer = httpReferer.map(value -> cut(value, MAX_REFERER));
        appTitle = appTitle.map(value -> cut(value, MAX_TITLE));
        if (user.isPresent() && user.get().codePointCount(0, user.get().length()) > MAX_USER) {
            throw new IllegalArgumentException("user longer than " + MAX_USER + " characters");
        }
        categories = List.copyOf(categories);
        if (categories.size() > MAX_CATEGORIES || !categories.stream().allMatch(Attribution::isCategory)) {
            throw new IllegalArgumentException("categories must be at most " + MAX_CATEGORIES
                    + " lowercase-hyphenated words of at most " + MAX_CATEGORY_LENGTH + " characters");
        }
    }

    /** An attribution without categories. */
    public Attribution(
            Optional<String> httpReferer, Optional<String> appTitle, Optional<String> user, Optional<String> session) {
        this(httpReferer, appTitle, user, session, List.of());
    }

    /** An attribution without a session or categories. */
    public Attribution(Optional<String> httpReferer, Optional<String> appTitle, Optional<String> user) {
        this(httpReferer, appTitle, user, Optional.empty());
    }

    public static Attribution of(@Nullable String referer, @Nullable String title, @Nullable String user) {
        return new Attribution(nonBlank(referer), nonBlank(title), nonBlank(user));
    }

    /** The same app, for this end user. */
    public Attribution withUser(Optional<String> endUser) {
        return new Attribution(httpReferer, appTitle, endUser.filter(u -> !u.isBlank()), session, categories);
    }

    /** The same, in this conversation (a blank one is none). */
    public Attribution withSession(Optional<String> conversation) {
        return new Attribution(httpReferer, appTitle, user, conversation.filter(s -> !s.isBlank()), categories);
    }

    /** The same, with the categories an {@code X-OpenRouter-Categories} header names (see the class note). */
    public Attribution withCategories(@Nullable String header) {
        return new Attribution(httpReferer, appTitle, user, session, categories(header));
    }

    /**
     * The first {@value #MAX_CATEGORIES} distinct well-formed categories of a comma list, lowercased and
     * trimmed; others are dropped. Reads no further than it needs to.
     */
    public static List<String> categories(@Nullable String header) {
        List<String> kept = new ArrayList<>(MAX_CATEGORIES);
        if (header == null) {
            return kept;
        }
        int start = 0;
        while (start <= header.length() && kept.size() < MAX_CATEGORIES) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            String value = header.substring(start, end).strip().toLowerCase(Locale.ROOT);
            if (isCategory(value) && !kept.contains(value)) {
                kept.add(value);
            }
            start = end + 1;
        }
        return kept;
    }

    private static boolean isCategory(String value) {
        return value.length() <= MAX_CATEGORY_LENGTH && CATEGORY.matcher(value).matches();
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
