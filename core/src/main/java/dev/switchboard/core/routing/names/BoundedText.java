package dev.switchboard.core.routing.names;

/**
 * A client's text as a regular expression reads it, with a budget of character reads: a pattern that
 * backtracks catastrophically on some input ({@code (a+)+b} on a long run of {@code a}s) stops with
 * {@link BudgetExceeded} instead of holding a request thread for minutes. Java's regex engine reads its
 * input only through {@link #charAt}, so the count of reads bounds the work of one match. Not
 * thread-safe: one instance per match.
 */
final class BoundedText implements CharSequence {
    /** The read budget of one match ran out. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("regular expression read budget exceeded", null, false, false);
        }
    }

    private final String text;
    private long budget;

    BoundedText(String text, long budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw new BudgetExceeded();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
        return text;
    }
}
