package dev.switchboard.core.byok;

import java.util.Objects;

/**
 * A secret as it is stored: AES-256-GCM ciphertext (the 16-byte tag at its end), the 12-byte nonce it was
 * sealed with, and the id of the {@link MasterKey} that sealed it. Nothing here reveals the secret.
 * Immutable: the arrays are copied in and out.
 */
public final class SealedSecret {
    private final String masterKeyId;
    private final byte[] nonce;
    private final byte[] ciphertext;

    public SealedSecret(String masterKeyId, byte[] nonce, byte[] ciphertext) {
        this.masterKeyId = Objects.requireNonNull(masterKeyId, "masterKeyId");
        this.nonce = nonce.clone();
        this.ciphertext = ciphertext.clone();
    }

    public String masterKeyId() {
        return masterKeyId;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "SealedSecret[masterKeyId=" + masterKeyId + "]";
    }
}
