package dev.switchboard.core.chat;

/** UTF-8 lengths of text, computed without encoding it. */
final class Utf8 {
    private Utf8() {}

    /** Bytes that {@code text[start, end)} takes in UTF-8; an unpaired surrogate counts as the 3 bytes of its replacement. */
    static long length(CharSequence text, int start, int end) {
        long bytes = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
