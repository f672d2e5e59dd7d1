package dev.switchboard.core.byok;

/**
 * The masked form of a provider key that identifies it to a person ({@code label}), e.g.
 * {@code sk-...AbCd}. It never shows more than a quarter of the key: the first three and last four
 * characters of a key of 28 or more, the last four of a key of 16 to 27, nothing of a shorter one.
 */
public final class SecretLabel {
    private static final String ELLIPSIS = "...";

    private SecretLabel() {}

    public static String of(String secret) {
        int length = secret.length();
        if (length >= 28) {
            return secret.substring(0, 3) + ELLIPSIS + secret.substring(length - 4);
        }
        if (length >= 16) {
            return ELLIPSIS + secret.substring(length - 4);
        }
        return ELLIPSIS;
    }
}
