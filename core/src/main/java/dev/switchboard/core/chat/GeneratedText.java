package dev.switchboard.core.chat;

/**
 * The text a response has generated so far, kept only as far as a token estimate needs it: the first
 * {@value TokenEstimator#EXACT_CHARS} characters, and the UTF-8 length of the rest. Its memory is
 * bounded however long the response runs. Not thread-safe: the request's thread is its only user.
 */
public final class GeneratedText {
    private final StringBuilder kept = new StringBuilder();
    private long droppedBytes;

    public void append(String text) {
        int room = TokenEstimator.EXACT_CHARS - kept.length();
        if (text.length() <= room) {
            kept.append(text);
            return;
        }
        int cut = room > 0 && Character.isHighSurrogate(text.charAt(room - 1)) ? room - 1 : Math.max(room, 0);
        kept.append(text, 0, cut);
        droppedBytes += Utf8.length(text, cut, text.length());
    }

    CharSequence kept() {
        return kept;
    }

    long droppedBytes() {
        return droppedBytes;
    }
}
