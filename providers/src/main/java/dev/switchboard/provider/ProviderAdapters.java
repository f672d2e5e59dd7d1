package dev.switchboard.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.ProviderAdapterRegistry;
import dev.switchboard.core.upstream.Timeouts;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.provider.openai.OpenAiAdapter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every wire format the gateway speaks, by {@code kind}. Adding a wire format means adding its
 * package and one entry here. Owns the shared upstream HTTP client. Thread-safe.
 */
public final class ProviderAdapters implements ProviderAdapterRegistry, AutoCloseable {
    /** The kinds an adapter exists for; the configuration loader accepts exactly these. */
    public static final Set<String> KINDS = Set.of(OpenAiAdapter.KIND, AnthropicAdapter.KIND);
    /**
     * How much longer than the total timeout the socket read timeout is. The watchdog ends an attempt at
     * its total timeout and names the reason; the socket's own timeout is only a backstop in case it
     * does not, and must not race the watchdog (a read timing out first would be misreported).
     */
    private static final Duration READ_BACKSTOP_MARGIN = Duration.ofSeconds(5);

    private final UpstreamHttp http;
    private final Map<String, ProviderAdapter> byKind;

    public ProviderAdapters(Timeouts timeouts, GatewayConfig.Upstream limits, ObjectMapper json) {
        this.http = new UpstreamHttp(
                timeouts.connect(),
                timeouts.total().plus(READ_BACKSTOP_MARGIN),
                limits.poolIdleTimeout(),
                limits.poolMaxIdle());
        this.byKind = Map.of(
                OpenAiAdapter.KIND,
                new OpenAiAdapter(http, json, limits),
                AnthropicAdapter.KIND,
                new AnthropicAdapter(http, json, limits));
    }

    @Override
    public Optional<ProviderAdapter> forKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    @Override
    public void close() {
        http.close();
    }
}
