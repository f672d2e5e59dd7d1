package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.testkit.contract.AdapterContract;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The {@code anthropic} adapter passes the adapter contract against the simulator's {@code /v1/messages},
 * its golden bodies in {@code /contract/anthropic/}.
 */
class AnthropicAdapterContractTest extends AdapterContract {
    private final UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private final AnthropicAdapter adapter =
            new AnthropicAdapter(http, new ObjectMapper(), GatewayConfig.Upstream.DEFAULTS);

    @Override
    protected ProviderAdapter adapter() {
        return adapter;
    }

    /** Anthropic's base URL is the API's root; the simulator's OpenAI base URL ends in {@code /v1}. */
    @Override
    protected Provider provider(URI baseUrl) {
        return AnthropicCalls.provider(URI.create(baseUrl.toString().replaceFirst("/v1$", "")), "sk-ant-contract");
    }

    @AfterAll
    void closeClient() {
        http.close();
    }
}
