package dev.switchboard.core.storage;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A storage URL split at its scheme: {@code sqlite:data/switchboard.db} is scheme {@code sqlite} and
 * location {@code data/switchboard.db}; {@code postgresql://db.internal/switchboard} is scheme
 * {@code postgresql} and location {@code //db.internal/switchboard}. Only the scheme is interpreted
 * here; the location means whatever its backend says it means.
 *
 * <p>The location may hold credentials (a database password), so {@link #toString()} shows only the
 * scheme.
 *
 * @param scheme   lower-case letters, digits, {@code +}, {@code -} or {@code .}, starting with a letter
 * @param location everything after the first colon; never empty
 */
public record StorageUrl(String scheme, String location) {
    /** RFC 3986's scheme syntax, at least two characters so that a Windows path ({@code C:\x}) is not taken for one. */
    private static final Pattern URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):(.+)", Pattern.DOTALL);

    public StorageUrl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(location, "location");
        if (!URL.matcher(scheme + ":" + location).matches() || !scheme.equals(scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not a lower-case storage URL scheme and a location");
        }
    }

    /**
     * Splits a storage URL.
     *
     * Schemes are case-insensitive and come back in lower case.
     *
     * @throws IllegalArgumentException when it has no scheme (two or more characters and a colon) or nothing after it
     */
    public static StorageUrl parse(String url) {
        Matcher m = URL.matcher(Objects.requireNonNull(url, "url"));
        if (!m.matches()) {
            throw new IllegalArgumentException("must be SCHEME:LOCATION, for example sqlite:data/switchboard.db");
        }
        return new StorageUrl(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }

    @Override
    public String toString() {
        return scheme + ":...";
    }
}
