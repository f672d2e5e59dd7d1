package dev.switchboard.core.routing;

import dev.switchboard.core.routing.sticky.Conversation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered attempts for one request. The request path tries them in order, moving on only when an
 * attempt fails retryably before any byte reached the client. Never empty.
 *
 * @param attempts     the attempts, in order
 * @param caller       who asked (the API key's hash), empty when routing did not consider it
 * @param conversation the conversation the request continues, when routing is sticky for it: the
 *                     request path remembers which endpoint answered
 */
public record RoutePlan(List<Attempt> attempts, String caller, Optional<Conversation> conversation) {
    public RoutePlan {
        attempts = List.copyOf(attempts);
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a route plan has at least one attempt");
        }
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(conversation, "conversation");
    }

    /** A plan that is not sticky. */
    public RoutePlan(List<Attempt> attempts) {
        this(attempts, "", Optional.empty());
    }

    public Attempt first() {
        return attempts.getFirst();
    }

    public int size() {
        return attempts.size();
    }
}
