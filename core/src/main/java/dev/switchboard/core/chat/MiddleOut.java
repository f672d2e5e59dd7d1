package dev.switchboard.core.chat;

import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Context compression ("middle-out"): shortens a conversation from the middle until it fits a token
 * budget, keeping its beginning (the instructions) and its end (the question being asked) longest.
 *
 * <p>Design note. The conversation is cut into turns: a message with the tool results that answer it
 * form one turn, so that a tool result is never left without the call it answers (providers refuse
 * that). Turns are removed whole, starting with the one in the middle and moving outwards, alternating
 * sides, never the first or the last. When only the first and last are left and they still do not fit,
 * the longer text part of the two is cut in its middle, keeping its head and tail and marking the cut.
 * Token counts come from the caller (the gateway's estimator): each turn is counted once and the counts
 * are summed, so the work is linear in the conversation however many turns are removed; the cut of a
 * text part scales its characters by the budget it has to fit, with a tenth left as margin, and is
 * counted once more to check it.
 */
public final class MiddleOut {
    /** Marks where a text part was cut. */
    static final String CUT = "\n[…]\n";

    private MiddleOut() {}

    /**
     * {@code messages} shortened to fit {@code budget} tokens; the same list when they fit already, or
     * empty when even two turns cut to the bone cannot (a budget under a few tokens).
     */
    public static Optional<List<Message>> fit(
            List<Message> messages, long budget, ToLongFunction<List<Message>> tokens) {
        List<List<Message>> kept = turns(messages);
        // each turn is counted once: a hostile conversation of many long turns must not be recounted per removal
        List<Long> counts = new ArrayList<>(kept.size());
        long total = 0;
        for (List<Message> turn : kept) {
            long count = tokens.applyAsLong(turn);
            counts.add(count);
            total += count;
        }
        if (total <= budget) {
            return Optional.of(messages);
        }
        while (kept.size() > 2 && total > budget) {
            int middle = kept.size() / 2;
            kept.remove(middle);
            total -= counts.remove(middle);
        }
        List<Message> fitted = flatten(kept);
        if (total <= budget) {
            return Optional.of(fitted);
        }
        return cutLongestText(fitted, total, budget, tokens);
    }

    /** Messages in turns: each non-tool message with the tool messages that follow it. */
    private static List<List<Message>> turns(List<Message> messages) {
        List<List<Message>> turns = new ArrayList<>();
        for (Message message : messages) {
            if (message.role() == Role.TOOL && !turns.isEmpty()) {
                turns.getLast().add(message);
            } else {
                turns.add(new ArrayList<>(List.of(message)));
            }
        }
        return turns;
    }

    private static List<Message> flatten(List<List<Message>> turns) {
        List<Message> out = new ArrayList<>();
        turns.forEach(out::addAll);
        return out;
    }

    private static Optional<List<Message>> cutLongestText(
            List<Message> messages, long total, long budget, ToLongFunction<List<Message>> tokens) {
        int longestMessage = -1;
        int longestPart = -1;
        int longestChars = 0;
        for (int m = 0; m < messages.size(); m++) {
            List<ContentPart> parts = messages.get(m).content();
            for (int p = 0; p < parts.size(); p++) {
                if (parts.get(p) instanceof ContentPart.Text text && text.text().length() > longestChars) {
                    longestMessage = m;
                    longestPart = p;
                    longestChars = text.text().length();
                }
            }
        }
        if (longestMessage < 0) {
            return Optional.empty();
        }
        long excess = total - budget;
        long partTokens = Math.max(
                1,
                tokens.applyAsLong(List.of(Message.text(
                        Role.USER,
                        ((ContentPart.Text)
                                        messages.get(longestMessage).content().get(longestPart))
                                .text()))));
        double keepShare = Math.max(0, (partTokens - excess) / (double) partTokens) * 0.9;
        int keep = (int) (longestChars * keepShare);
        if (keep < CUT.length() * 2) {
            return Optional.empty();
        }
        List<Message> out = new ArrayList<>(messages);
        Message original = messages.get(longestMessage);
        List<ContentPart> parts = new ArrayList<>(original.content());
        ContentPart.Text text = (ContentPart.Text) parts.get(longestPart);
        String s = text.text();
        String cut = s.substring(0, keep / 2) + CUT + s.substring(s.length() - keep / 2);
        parts.set(longestPart, new ContentPart.Text(cut, text.cache(), text.extensions()));
        out.set(longestMessage, new Message(original.role(), parts, original.name(), original.extensions()));
        return tokens.applyAsLong(out) <= budget ? Optional.of(out) : Optional.empty();
    }
}
