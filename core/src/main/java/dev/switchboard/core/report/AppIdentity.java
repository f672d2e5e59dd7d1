package dev.switchboard.core.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which app a request came from, for the app rankings, as OpenRouter's app attribution defines it: the
 * app is its {@code HTTP-Referer}, and there is no app without one; the title names it but cannot make
 * one. A referer on the local machine ({@code localhost}, {@code *.localhost}, {@code 127.*},
 * {@code [::1]}) makes an app only together with a title.
 *
 * <p>Two spellings of one address are one app: a referer that is an absolute URL is taken without its
 * query, fragment, user info and trailing slashes, with its scheme and host in lowercase. Any other
 * referer is taken as it is, trimmed.
 *
 * <p>An app keeps up to {@value #MAX_CATEGORIES} categories, the first it was given; a request names
 * two at most.
 */
public final class AppIdentity {
    /** Most categories an app keeps. */
    public static final int MAX_CATEGORIES = 10;

    private AppIdentity() {}

    /** The app of a request with this referer and title; empty when it has none. */
    public static Optional<String> of(Optional<String> referer, Optional<String> title) {
        Optional<String> given = referer.map(String::strip).filter(value -> !value.isEmpty());
        if (given.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> url = url(given.get());
        if (url.isEmpty()) {
            return given;
        }
        String host = url.get().getHost().toLowerCase(Locale.ROOT);
        if (local(host) && title.filter(t -> !t.isBlank()).isEmpty()) {
            return Optional.empty();
        }
        String path = url.get().getRawPath() == null ? "" : url.get().getRawPath();
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String port = url.get().getPort() < 0 ? "" : ":" + url.get().getPort();
        return Optional.of(
                url.get().getScheme().toLowerCase(Locale.ROOT) + "://" + host + port + path.substring(0, end));
    }

    /** {@code kept} followed by those of {@code more} it does not have, at most {@value #MAX_CATEGORIES} in all. */
    public static List<String> mergeCategories(List<String> kept, List<String> more) {
        List<String> merged = new ArrayList<>(kept.subList(0, Math.min(kept.size(), MAX_CATEGORIES)));
        for (String category : more) {
            if (merged.size() >= MAX_CATEGORIES) {
                break;
            }
            if (!merged.contains(category)) {
                merged.add(category);
            }
        }
        return merged;
    }

    private static Optional<URI> url(String referer) {
        try {
            URI uri = new URI(referer);
            return uri.isAbsolute() && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean local(String host) {
        return host.equals("localhost")
                || host.endsWith(".localhost")
                || host.startsWith("127.")
                || host.equals("[::1]")
                || host.equals("0.0.0.0");
    }
}
