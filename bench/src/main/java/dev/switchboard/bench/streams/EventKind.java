package dev.switchboard.bench.streams;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What an event's data is, told from its bytes without parsing the JSON (at 10,000 streams the
 * harness reads 100,000 events a second and shares the cores with what it measures).
 */
enum EventKind {
    /** A chunk whose delta has non-empty {@code content}: one paced token of the simulator. */
    CONTENT,
    /** {@code [DONE]}. */
    DONE,
    /** A chunk with an {@code "error"} object: the gateway's in-band error. */
    ERROR,
    /** Anything else: the role chunk, the finish chunk, the usage chunk. */
    OTHER;

    private static final byte[] DONE_DATA = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_KEY = "\"content\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\":".getBytes(StandardCharsets.US_ASCII);

    static EventKind of(byte[] data, int length) {
        if (length == DONE_DATA.length && Arrays.equals(data, 0, length, DONE_DATA, 0, length)) {
            return DONE;
        }
        if (valueStarts(data, length, ERROR_KEY, '{')) {
            return ERROR;
        }
        int at = valueAt(data, length, CONTENT_KEY);
        return at >= 0 && at + 1 < length && data[at] == '"' && data[at + 1] != '"' ? CONTENT : OTHER;
    }

    private static boolean valueStarts(byte[] data, int length, byte[] key, char first) {
        int at = valueAt(data, length, key);
        return at >= 0 && at < length && data[at] == first;
    }

    /** Where the value after {@code key} (and any spaces) starts, or -1 when the key is not there. */
    private static int valueAt(byte[] data, int length, byte[] key) {
        int at = indexOf(data, length, key);
        if (at < 0) {
            return -1;
        }
        at += key.length;
        while (at < length && data[at] == ' ') {
            at++;
        }
        return at;
    }

    private static int indexOf(byte[] data, int length, byte[] key) {
        outer:
        for (int i = 0; i <= length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (data[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
