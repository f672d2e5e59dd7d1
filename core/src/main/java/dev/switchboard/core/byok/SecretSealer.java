package dev.switchboard.core.byok;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens BYOK secrets with AES-256-GCM (the JDK's {@code javax.crypto}).
 *
 * <p>Design note. Every seal draws a fresh random 96-bit nonce from a {@link SecureRandom}: GCM must never
 * see a nonce twice under one key, and with random nonces the chance of a repeat stays negligible far
 * beyond the number of secrets a gateway holds (it reaches 2^-32 only after 2^32 seals). The associated
 * data binds the ciphertext to its row, {@code switchboard-byok-v1|<id>|<workspace>|<provider>}: a
 * ciphertext copied into another row, or a row moved to another workspace or provider, fails to open
 * rather than lending its key elsewhere. The 128-bit tag detects any change to the ciphertext. The
 * sealing key's id is stored beside the ciphertext ({@link SealedSecret}), so that after a rotation the
 * opener picks the key that sealed it, and a wrong key is reported as such instead of as a bad tag.
 *
 * <p>Thread-safe: each call makes its own {@link Cipher}.
 */
public final class SecretSealer {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(MasterKeys keys) {
        this.keys = keys;
    }

    /** Why a sealed secret could not be opened. The message names no secret and no key material. */
    public static final class Unreadable extends RuntimeException {
        private final boolean unknownKey;

        Unreadable(String message, boolean unknownKey) {
            super(message, null, false, false);
            this.unknownKey = unknownKey;
        }

        /** True when no configured master key has the sealing key's id; false when the ciphertext failed its check. */
        public boolean unknownKey() {
            return unknownKey;
        }
    }

    /** Seals {@code secret} with the current master key, bound to the row {@code (id, workspace, provider)}. */
    public SealedSecret seal(String secret, String id, String workspaceId, String provider) {
        MasterKey key = keys.current();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(id, workspaceId, provider));
            return new SealedSecret(key.id(), nonce, cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
        }
    }

    /**
     * Opens a secret sealed for the row {@code (id, workspace, provider)}.
     *
     * @throws Unreadable when no configured master key sealed it, or it was changed or sealed for another row
     */
    public String open(SealedSecret sealed, String id, String workspaceId, String provider) {
        MasterKey key = keys.find(sealed.masterKeyId())
                .orElseThrow(() -> new Unreadable(
                        "it was sealed with master key " + sealed.masterKeyId()
                                + ", which is neither the current master key (" + keys.describeCurrent()
                                + ") nor one of byok.previous_master_keys",
                        true));
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData(id, workspaceId, provider));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Unreadable(
                    "its ciphertext fails its integrity check under master key " + key.id()
                            + " (changed, or copied from another row)",
                    false);
        } catch (GeneralSecurityException e) {
            throw new Unreadable("its stored nonce or ciphertext is malformed", false);
        }
    }

    /** Whether {@code sealed} was sealed with the current master key (else it is to be sealed again). */
    public boolean sealedWithCurrent(SealedSecret sealed) {
        return keys.isCurrent(sealed.masterKeyId());
    }

    public MasterKeys keys() {
        return keys;
    }

    private static byte[] associatedData(String id, String workspaceId, String provider) {
        return ("switchboard-byok-v1|" + id + "|" + workspaceId + "|" + provider).getBytes(StandardCharsets.UTF_8);
    }
}
