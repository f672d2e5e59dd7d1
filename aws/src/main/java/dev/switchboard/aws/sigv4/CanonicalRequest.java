package dev.switchboard.aws.sigv4;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * SigV4's canonical form of a request: six lines (method, URI, query, headers, signed header names,
 * payload hash) that signer and verifier both hash, so that they agree byte for byte on what was signed.
 *
 * <p>Design note. The URI is the path as it is sent, normalised (empty and {@code .} segments dropped,
 * {@code ..} applied, as for every service but S3) and then encoded segment by segment once more. So a
 * Bedrock model id's {@code :}, sent as {@code %3A}, is {@code %253A} here: signing the decoded path or
 * the path as sent, without the second encoding, is the well-known cause of {@code
 * SignatureDoesNotMatch} against Bedrock. The query, by contrast, is decoded and encoded once: its
 * names and values are compared as values, then sorted by encoded name and value. Header names are
 * lower-cased, values trimmed with inner runs of blanks collapsed, repeated names joined with commas in
 * their order, and the lines sorted by name. A path that needs no normalising (every Bedrock path) is
 * encoded in one pass without splitting it.
 *
 * @param text        the canonical request
 * @param signedNames the lower-case names of the signed headers, joined with {@code ;}
 */
record CanonicalRequest(String text, String signedNames) {
    private static final Comparator<HttpHeader> BY_NAME = Comparator.comparing(HttpHeader::name);

    /**
     * The canonical request of a request whose signed headers, {@code host} and {@code x-amz-date}
     * included, are {@code signedHeaders}.
     */
    static CanonicalRequest of(
            String method, String rawPath, String rawQuery, List<HttpHeader> signedHeaders, String payloadHash) {
        StringBuilder text = new StringBuilder(256 + rawPath.length() + rawQuery.length());
        text.append(method).append('\n');
        appendUri(rawPath, text);
        text.append('\n').append(query(rawQuery)).append('\n');
        String signedNames = appendHeaders(signedHeaders, text);
        text.append('\n').append(signedNames).append('\n').append(payloadHash);
        return new CanonicalRequest(text.toString(), signedNames);
    }

    /** The canonical URI of a path as sent. */
    static String uri(String rawPath) {
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        appendUri(rawPath, out);
        return out.toString();
    }

    private static void appendUri(String rawPath, StringBuilder out) {
        String path = needsNormalizing(rawPath) ? normalize(rawPath) : rawPath;
        if (path.isEmpty() || path.charAt(0) != '/') {
            out.append('/');
        }
        int segmentStart = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                UriEncoding.encode(path, segmentStart, i, out);
                out.append('/');
                segmentStart = i + 1;
            }
        }
        UriEncoding.encode(path, segmentStart, path.length(), out);
    }

    private static boolean needsNormalizing(String path) {
        return path.contains("//")
                || path.contains("/./")
                || path.contains("/../")
                || path.endsWith("/.")
                || path.endsWith("/..")
                || path.startsWith("./")
                || path.startsWith("../")
                || path.equals(".")
                || path.equals("..");
    }

    /** Removes empty and dot segments (RFC 3986 section 5.2.4, plus collapsing {@code //}). */
    private static String normalize(String path) {
        String[] segments = path.split("/", -1);
        Deque<String> kept = new ArrayDeque<>(segments.length);
        for (String segment : segments) {
            switch (segment) {
                case "", "." -> {}
                case ".." -> kept.pollLast();
                default -> kept.addLast(segment);
            }
        }
        String last = segments[segments.length - 1];
        boolean trailingSlash = !kept.isEmpty() && (last.isEmpty() || last.equals(".") || last.equals(".."));
        return "/" + String.join("/", kept) + (trailingSlash ? "/" : "");
    }

    /** The canonical query string of a query as sent (without {@code ?}). */
    static String query(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            params.add(new String[] {
                UriEncoding.encode(UriEncoding.decode(name)), UriEncoding.encode(UriEncoding.decode(value))
            });
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] param : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(param[0]).append('=').append(param[1]);
        }
        return out.toString();
    }

    /** Appends the canonical header lines, each ending in a newline; returns the signed names. */
    private static String appendHeaders(List<HttpHeader> headers, StringBuilder out) {
        HttpHeader[] sorted = new HttpHeader[headers.size()];
        for (int i = 0; i < sorted.length; i++) {
            HttpHeader header = headers.get(i);
            sorted[i] = new HttpHeader(header.name().toLowerCase(Locale.ROOT), trimAll(header.value()));
        }
        Arrays.sort(sorted, BY_NAME); // stable: repeated names keep their order
        StringBuilder names = new StringBuilder(sorted.length * 16);
        for (int i = 0; i < sorted.length; i++) {
            String name = sorted[i].name();
            boolean repeated = i > 0 && name.equals(sorted[i - 1].name());
            if (repeated) {
                out.setLength(out.length() - 1); // the previous line's newline
                out.append(',');
            } else {
                out.append(name).append(':');
                if (!names.isEmpty()) {
                    names.append(';');
                }
                names.append(name);
            }
            out.append(sorted[i].value()).append('\n');
        }
        return names.toString();
    }

    /** The value without leading and trailing blanks, each inner run of blanks made one space. */
    static String trimAll(String value) {
        String trimmed = value.strip();
        if (trimmed.indexOf("  ") < 0 && trimmed.indexOf('\t') < 0) {
            return trimmed;
        }
        StringBuilder out = new StringBuilder(trimmed.length());
        boolean blank = false;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == ' ' || c == '\t') {
                blank = true;
                continue;
            }
            if (blank) {
                out.append(' ');
                blank = false;
            }
            out.append(c);
        }
        return out.toString();
    }
}
