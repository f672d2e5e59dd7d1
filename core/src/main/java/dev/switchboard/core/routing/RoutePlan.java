package dev.switchboard.core.routing;

import java.util.List;

/**
 * The ordered attempts for one request. The request path tries them in order, moving on only when an
 * attempt fails retryably before any byte reached the client. Never empty.
 */
public record RoutePlan(List<Attempt> attempts) {
    public RoutePlan {
        attempts = List.copyOf(attempts);
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a route plan has at least one attempt");
        }
    }

    public Attempt first() {
        return attempts.getFirst();
    }

    public int size() {
        return attempts.size();
    }
}
