package dev.switchboard.core.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * AES-256-GCM sealing of provider keys: the ciphertext hides the secret, opens only for its own row and
 * only with the key that sealed it, and a key rotation is told from a tampered row.
 */
class SecretSealerTest {
    private static final String SECRET = "sk-proj-distinctive-SECRET-0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MasterKey current = MasterKey.generate(RANDOM);
    private final SecretSealer sealer = new SecretSealer(MasterKeys.of(current, List.of()));

    @Test
    void opensWhatItSealedForTheSameRow() {
        SealedSecret sealed = sealer.seal(SECRET, "id-1", "default", "openai");

        assertThat(sealed.masterKeyId()).isEqualTo(current.id()).hasSize(16);
        assertThat(sealed.nonce()).hasSize(12);
        assertThat(sealed.ciphertext()).hasSize(SECRET.length() + 16);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("distinctive");
        assertThat(sealer.open(sealed, "id-1", "default", "openai")).isEqualTo(SECRET);
        assertThat(sealed.toString()).doesNotContain(SECRET);
    }

    @Test
    void drawsAFreshNonceForEverySeal() {
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            nonces.add(Arrays.toString(
                    sealer.seal(SECRET, "id", "default", "openai").nonce()));
        }

        assertThat(nonces).hasSize(1000);
    }

    @Test
    void refusesToOpenForAnotherRowWorkspaceOrProvider() {
        SealedSecret sealed = sealer.seal(SECRET, "id-1", "default", "openai");

        for (String[] row : new String[][] {
            {"id-2", "default", "openai"}, {"id-1", "other", "openai"}, {"id-1", "default", "anthropic"}
        }) {
            SecretSealer.Unreadable failure = catchThrowableOfType(
                    SecretSealer.Unreadable.class, () -> sealer.open(sealed, row[0], row[1], row[2]));
            assertThat(failure.unknownKey()).isFalse();
            assertThat(failure.getMessage()).contains("integrity").doesNotContain(SECRET);
        }
    }

    @Test
    void refusesATamperedCiphertext() {
        SealedSecret sealed = sealer.seal(SECRET, "id-1", "default", "openai");
        byte[] changed = sealed.ciphertext();
        changed[0] ^= 1;

        assertThat(catchThrowableOfType(
                                SecretSealer.Unreadable.class,
                                () -> sealer.open(
                                        new SealedSecret(sealed.masterKeyId(), sealed.nonce(), changed),
                                        "id-1",
                                        "default",
                                        "openai"))
                        .unknownKey())
                .isFalse();
    }

    @Test
    void namesTheUnknownKeyThatSealedASecretAndOpensItOnceThatKeyIsAPreviousOne() {
        MasterKey old = MasterKey.generate(RANDOM);
        SealedSecret sealed = new SecretSealer(MasterKeys.of(old, List.of())).seal(SECRET, "id", "default", "openai");

        SecretSealer.Unreadable failure = catchThrowableOfType(
                SecretSealer.Unreadable.class, () -> sealer.open(sealed, "id", "default", "openai"));
        SecretSealer rotated = new SecretSealer(MasterKeys.of(current, List.of(old)));

        assertThat(failure.unknownKey()).isTrue();
        assertThat(failure.getMessage()).contains(old.id()).contains(current.id());
        assertThat(rotated.open(sealed, "id", "default", "openai")).isEqualTo(SECRET);
        assertThat(rotated.sealedWithCurrent(sealed)).isFalse();
        assertThat(rotated.sealedWithCurrent(rotated.seal(SECRET, "id", "default", "openai")))
                .isTrue();
    }

    @Test
    void aMasterKeyIsThe32BytesOfItsBase64AndNeverShowsThem() {
        MasterKey parsed = MasterKey.parse(" " + current.encoded() + "\n");

        assertThat(parsed.id()).isEqualTo(current.id());
        assertThat(parsed.toString()).doesNotContain(current.encoded());
        assertThat(MasterKey.valid("c2hvcnQ=")).isFalse();
        assertThat(MasterKey.valid("not base64 at all!")).isFalse();
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> MasterKey.parse("c2hvcnQ="))
                        .getMessage())
                .doesNotContain("c2hvcnQ=");
    }
}
