package dev.switchboard.core.provider;

import java.util.Objects;

/** What a call authenticates to its provider with. {@code toString} never shows a secret. */
public sealed interface Credential {
    /** A bearer-style API key. */
    record ApiKey(String secret) implements Credential {
        public ApiKey {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "ApiKey[<secret>]";
        }
    }

    /** No credential: a keyless local server. */
    record None() implements Credential {}

    Credential NONE = new None();
}
