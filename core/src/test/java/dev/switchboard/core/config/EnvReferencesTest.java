package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {
    private final EnvReferences references =
            new EnvReferences(Map.of("HOST", "example.com", "PORT", "8443", "EMPTY", "", "DOLLARS", "a$1\\b"));

    @Test
    void textWithoutReferencesIsUnchanged() {
        assertThat(references.resolve("plain $HOST {x}"))
                .isEqualTo(new EnvReferences.Resolved("plain $HOST {x}", java.util.List.of()));
    }

    @Test
    void resolvesEveryReferenceInAString() {
        EnvReferences.Resolved resolved = references.resolve("https://${HOST}:${PORT}/v1");

        assertThat(resolved.value()).isEqualTo("https://example.com:8443/v1");
        assertThat(resolved.missing()).isEmpty();
    }

    @Test
    void unsetVariableBecomesEmptyAndIsReported() {
        EnvReferences.Resolved resolved = references.resolve("${NOPE}-${HOST}-${ALSO_NOPE}");

        assertThat(resolved.value()).isEqualTo("-example.com-");
        assertThat(resolved.missing()).containsExactly("NOPE", "ALSO_NOPE");
    }

    @Test
    void defaultAppliesWhenUnsetOrEmpty() {
        assertThat(references.resolve("${NOPE:-fallback}").value()).isEqualTo("fallback");
        assertThat(references.resolve("${EMPTY:-fallback}").value()).isEqualTo("fallback");
        assertThat(references.resolve("${HOST:-fallback}").value()).isEqualTo("example.com");
        assertThat(references.resolve("${NOPE:-}").value()).isEmpty();
        assertThat(references.resolve("${NOPE:-}").missing())
                .as("an explicit empty default is not missing")
                .isEmpty();
        assertThat(references.resolve("${EMPTY}").missing()).containsExactly("EMPTY");
    }

    @Test
    void valuesAreInsertedLiterally() {
        assertThat(references.resolve("${DOLLARS}").value()).isEqualTo("a$1\\b");
    }
}
