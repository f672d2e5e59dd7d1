package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.catalog.Connection;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.provider.Credential;
import dev.switchboard.core.provider.CredentialResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider of {@code kind: anthropic}: its connection, its default base URL, its key. */
class AnthropicProviderConfigTest {
    private static final Set<String> KINDS = Set.of("openai", "anthropic");

    @TempDir
    Path dir;

    @Test
    void readsAnAnthropicProviderWithTheDefaultBaseUrl() {
        GatewayConfig config = load("""
                providers:
                  - slug: claude-direct
                    kind: anthropic
                    api_key: ${MY_ANTHROPIC_KEY}
                """, Map.of("MY_ANTHROPIC_KEY", "sk-ant-test"));

        Provider provider = ConfigLoaderTest.provider(config, "claude-direct");
        assertThat(provider.kind()).isEqualTo("anthropic");
        assertThat(provider.connection())
                .isEqualTo(new Connection.Anthropic(URI.create("https://api.anthropic.com"), "sk-ant-test"));
        assertThat(provider.connection().toString()).doesNotContain("sk-ant-test");
        assertThat(CredentialResolver.configured(provider)).isEqualTo(new Credential.ApiKey("sk-ant-test"));
        assertThat(provider.available()).isTrue();
    }

    @Test
    void takesABaseUrlOfItsOwnAndIsUnavailableWithAnEmptyKey() {
        GatewayConfig config = load("""
                providers:
                  - slug: claude-proxy
                    kind: anthropic
                    base_url: http://127.0.0.1:9999/
                    api_key: ${UNSET_ANTHROPIC_KEY}
                """, Map.of());

        Provider provider = ConfigLoaderTest.provider(config, "claude-proxy");
        assertThat(((Connection.Anthropic) provider.connection()).baseUrl())
                .isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(provider.unavailableReason())
                .hasValueSatisfying(reason -> assertThat(reason).contains("UNSET_ANTHROPIC_KEY"));
    }

    @Test
    void refusesABaseUrlThatIsNotHttp() {
        assertThatThrownBy(() -> load("""
                        providers:
                          - slug: claude-bad
                            kind: anthropic
                            base_url: ftp://example.com
                        """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("base_url");
    }

    private GatewayConfig load(String yaml, Map<String, String> env) {
        try {
            Path file = Files.createTempFile(dir, "switchboard", ".yaml");
            Files.writeString(file, yaml);
            return new ConfigLoader(env, KINDS, ConfigLoaderTest.SCHEMES).load(Optional.of(file), Overrides.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
