package dev.switchboard.core.routing.sticky;

import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.RawJson;
import dev.switchboard.model.chat.Role;
import java.util.Optional;

/**
 * Which conversation a request continues, as a 64-bit hash: of its {@code session_id} (or
 * {@code x-session-id}), else of its {@code prompt_cache_key}, else of its first system or developer
 * message and its first other message, the prefix a provider's prompt cache holds.
 *
 * @param hash     the conversation's hash (FNV-1a over the chosen text and what it was)
 * @param explicit whether the client named the conversation (a session id): stickiness then starts
 *                 with the first answer, without waiting for a cache hit
 */
public record Conversation(long hash, boolean explicit) {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** The request's conversation; empty when it has no message to recognise it by. */
    public static Optional<Conversation> of(ChatRequest request) {
        Optional<String> session = request.attribution().session();
        if (session.isPresent()) {
            return Optional.of(new Conversation(hash(hash(FNV_OFFSET, "session"), session.get()), true));
        }
        Optional<RawJson> cacheKey = request.extensions().get("prompt_cache_key");
        if (cacheKey.isPresent()) {
            return Optional.of(new Conversation(
                    hash(hash(FNV_OFFSET, "cache-key"), cacheKey.get().text()), false));
        }
        Message system = null;
        Message first = null;
        for (Message message : request.messages()) {
            boolean instructions = message.role() == Role.SYSTEM || message.role() == Role.DEVELOPER;
            if (instructions && system == null) {
                system = message;
            } else if (!instructions && first == null) {
                first = message;
            }
            if (system != null && first != null) {
                break;
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        long h = hash(FNV_OFFSET, "prefix");
        if (system != null) {
            h = text(h, system);
        }
        return Optional.of(new Conversation(text(h, first), false));
    }

    private static long text(long h, Message message) {
        h = hash(h, message.role().name());
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Text text) {
                h = hash(h, text.text());
            }
        }
        return h;
    }

    private static long hash(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        return (h ^ 0xff) * FNV_PRIME; // a separator, so that "ab"+"c" and "a"+"bc" differ
    }
}
