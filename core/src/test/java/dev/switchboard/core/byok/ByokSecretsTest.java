package dev.switchboard.core.byok;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.provider.Credential;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nothing that holds a provider key in clear shows it in its {@code toString}; labels show a quarter at most. */
class ByokSecretsTest {
    private static final String SECRET = "sk-proj-toString-never-shows-this-0123456789";

    @Test
    void noToStringShowsTheSecret() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ByokKey key = new ByokKey(
                "id",
                "default",
                "openai",
                Optional.of("name"),
                SecretLabel.of(SECRET),
                false,
                false,
                false,
                0,
                Optional.empty(),
                Optional.of(List.of("a".repeat(64))),
                t,
                t,
                new SealedSecret(
                        "0123456789abcdef", new byte[12], SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        for (Object holder : List.of(
                new Credential.ApiKey(SECRET),
                new OwnKey(key, new Credential.ApiKey(SECRET)),
                new NewByokKey(
                        "default",
                        "openai",
                        SECRET,
                        Optional.empty(),
                        false,
                        false,
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                new ByokChange(
                        Optional.of(SECRET),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()))) {
            assertThat(holder.toString()).doesNotContain(SECRET).doesNotContain("never-shows");
        }
    }

    @Test
    void aLabelShowsAQuarterOfTheKeyAtMost() {
        assertThat(SecretLabel.of(SECRET)).isEqualTo("sk-...6789");
        assertThat(SecretLabel.of("gsk_0123456789abcdef")).isEqualTo("...cdef");
        assertThat(SecretLabel.of("short-key")).isEqualTo("...");
        for (int length = 1; length < 80; length++) {
            String secret = "x".repeat(length);
            assertThat(SecretLabel.of(secret).replace("...", "").length() * 4).isLessThanOrEqualTo(length);
        }
    }
}
