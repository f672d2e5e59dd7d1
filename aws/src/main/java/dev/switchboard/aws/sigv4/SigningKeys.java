package dev.switchboard.aws.sigv4;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys derived so far, per secret, day and region (the service is the signer's). A key is
 * derived once a day per credential instead of once per request. Bounded: past {@link #MAX_KEYS}
 * entries the map is emptied, which costs at most one derivation per credential in use; keys of past
 * days are dropped that way too. Thread-safe; two threads may derive the same key once each.
 */
final class SigningKeys {
    static final int MAX_KEYS = 256;
    private final String service;
    private final ConcurrentHashMap<Scope, SigningKey> keys = new ConcurrentHashMap<>();

    SigningKeys(String service) {
        this.service = service;
    }

    SigningKey forDay(String secretAccessKey, String date, String region) {
        Scope scope = new Scope(secretAccessKey, date, region);
        SigningKey key = keys.get(scope);
        if (key != null) {
            return key;
        }
        key = SigningKey.derive(secretAccessKey, date, region, service);
        if (keys.size() >= MAX_KEYS) {
            keys.clear();
        }
        keys.put(scope, key);
        return key;
    }

    int size() {
        return keys.size();
    }

    /** A cache key; it holds the secret, so its {@code toString} does not show it. */
    private record Scope(String secret, String date, String region) {
        Scope {
            Objects.requireNonNull(secret);
        }

        @Override
        public String toString() {
            return "Scope[" + date + "/" + region + "]";
        }
    }
}
