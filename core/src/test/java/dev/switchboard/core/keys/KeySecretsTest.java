package dev.switchboard.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretsTest {
    @Test
    void generatesPrefixedSecretsOf256RandomBits() {
        KeySecrets secrets = new KeySecrets();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = secrets.generate();
            assertThat(secret).matches("sk-sb-v1-[0-9a-f]{64}");
            assertThat(seen.add(secret)).as("unique").isTrue();
        }
    }

    @Test
    void hashIsLowercaseHexSha256OfTheUtf8Secret() {
        assertThat(KeySecrets.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(KeySecrets.hash("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(KeySecrets.hash("\u00e9"))
                .as("UTF-8, not the platform charset")
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void labelShowsThreeCharactersAtEachEndOfTheSecretBody() {
        String secret = "sk-sb-v1-3f2a0000000000000000000000000000000000000000000000000000000009ab";

        assertThat(KeySecrets.label(secret)).isEqualTo("sk-sb-v1-3f2...9ab");
    }

    @Test
    void labelOfAForeignSecretHasNoPrefix() {
        assertThat(KeySecrets.label("my-own-admin-secret")).isEqualTo("my-...ret");
    }

    @Test
    void labelOfAShortSecretRevealsNothing() {
        assertThat(KeySecrets.label("sk-sb-v1-1234567")).isEqualTo("sk-sb-v1-...");
        assertThat(KeySecrets.label("short")).isEqualTo("...");
    }

    @Test
    void labelNeverContainsTheWholeSecret() {
        String secret = new KeySecrets().generate();

        assertThat(KeySecrets.label(secret)).doesNotContain(secret.substring(9)).hasSize(9 + 3 + 3 + 3);
    }
}
