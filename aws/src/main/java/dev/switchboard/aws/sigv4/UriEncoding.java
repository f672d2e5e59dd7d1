package dev.switchboard.aws.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SigV4's URI encoding: every UTF-8 byte other than the unreserved characters {@code A-Z a-z 0-9 - _ . ~}
 * becomes {@code %XY} with upper-case hex. Stricter than {@code URLEncoder} (which keeps {@code *} and
 * turns a space into {@code +}), and without an intermediate byte array: characters are encoded as they
 * are read.
 */
final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {}

    /** Appends {@code text[from, to)}, encoded. A lone surrogate is encoded as {@code ?}, as UTF-8 encoders do. */
    static void encode(CharSequence text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (unreserved(c)) {
                    out.append(c);
                } else {
                    appendByte(c, out);
                }
            } else if (c < 0x800) {
                appendByte(0xC0 | (c >> 6), out);
                appendByte(0x80 | (c & 0x3F), out);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                appendByte(0xF0 | (codePoint >> 18), out);
                appendByte(0x80 | ((codePoint >> 12) & 0x3F), out);
                appendByte(0x80 | ((codePoint >> 6) & 0x3F), out);
                appendByte(0x80 | (codePoint & 0x3F), out);
            } else if (Character.isSurrogate(c)) {
                appendByte('?', out);
            } else {
                appendByte(0xE0 | (c >> 12), out);
                appendByte(0x80 | ((c >> 6) & 0x3F), out);
                appendByte(0x80 | (c & 0x3F), out);
            }
        }
    }

    /** {@code text} encoded. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        encode(text, 0, text.length(), out);
        return out.toString();
    }

    /**
     * {@code text} with its {@code %XY} escapes decoded as UTF-8; a {@code %} not followed by two hex
     * digits is kept as it is. {@code +} stays {@code +}: in a query as AWS reads it, it is not a space.
     */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            int high = text.charAt(i) == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write((high << 4) | low);
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] utf8 = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_'
                || c == '.'
                || c == '~';
    }

    private static void appendByte(int b, StringBuilder out) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
}
