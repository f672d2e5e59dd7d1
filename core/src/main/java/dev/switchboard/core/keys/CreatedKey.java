package dev.switchboard.core.keys;

/** A newly created key with its plaintext secret, which exists only in this value and is shown once. */
public record CreatedKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedKey[" + key.label() + "]";
    }
}
