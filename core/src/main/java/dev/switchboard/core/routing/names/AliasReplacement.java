package dev.switchboard.core.routing.names;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code model} of a {@link ModelAlias}: text with {@code $1} or {@code ${name}} where a group of the
 * alias's pattern goes, compiled once at load so that a request only concatenates.
 *
 * <p>The syntax is Java's {@code Matcher.replaceAll}: {@code $} and a group number (after the first
 * digit, further digits are taken while the number still names a group, so with 1 group {@code $12} is
 * group 1 then {@code 2}), {@code ${name}} for a named group, and a backslash to write the next character
 * as it is ({@code \$}). What Java would fail on at match time is refused here, at load: a group the
 * pattern does not have, a {@code $} or backslash with nothing after it. A group that did not take part
 * in the match adds nothing. Immutable and thread-safe.
 */
final class AliasReplacement {
    /** A piece of the result: literal text, or a group of the match. */
    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record Group(int number) implements Part {}

    private record NamedGroup(String name) implements Part {}

    private final List<Part> parts;

    private AliasReplacement(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with {@code text} for {@code pattern}
     */
    static AliasReplacement compile(String text, Pattern pattern) {
        int groups = pattern.matcher("").groupCount();
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 == text.length()) {
                    throw new IllegalArgumentException("ends with a backslash that escapes nothing");
                }
                literal.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                flush(literal, parts);
                i = reference(text, i + 1, groups, pattern, parts);
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new AliasReplacement(parts);
    }

    /** Reads the group reference starting at {@code at} (just after a {@code $}); returns where it ends. */
    private static int reference(String text, int at, int groups, Pattern pattern, List<Part> parts) {
        if (at < text.length() && text.charAt(at) == '{') {
            int close = text.indexOf('}', at);
            if (close < 0) {
                throw new IllegalArgumentException("has ${ without a closing }");
            }
            String name = text.substring(at + 1, close);
            if (!pattern.namedGroups().containsKey(name)) {
                throw new IllegalArgumentException("names group ${" + name + "}, which the pattern does not have");
            }
            parts.add(new NamedGroup(name));
            return close + 1;
        }
        if (at >= text.length() || !Character.isDigit(text.charAt(at))) {
            throw new IllegalArgumentException(
                    "has a $ that is not followed by a group number or {name} (write \\$ for a dollar sign)");
        }
        int number = text.charAt(at) - '0';
        if (number > groups) {
            throw new IllegalArgumentException(
                    "refers to group $" + number + ", but the pattern has " + groups + " group(s)");
        }
        int end = at + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            int longer = number * 10 + (text.charAt(end) - '0');
            if (longer > groups) {
                break;
            }
            number = longer;
            end++;
        }
        parts.add(new Group(number));
        return end;
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** The result for {@code match}, a match of the pattern this replacement was compiled for. */
    String expand(MatchResult match) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case Group group -> append(out, match.group(group.number()));
                case NamedGroup named -> append(out, match.group(named.name()));
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, @Nullable String group) {
        if (group != null) {
            out.append(group);
        }
    }
}
