package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.catalog.MaxTokensField;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.testkit.contract.AdapterContract;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** The {@code openai} adapter passes the adapter contract, its golden bodies in {@code /contract/openai/}. */
class OpenAiAdapterContractTest extends AdapterContract {
    private final UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private final OpenAiAdapter adapter = new OpenAiAdapter(http, new ObjectMapper(), GatewayConfig.Upstream.DEFAULTS);

    @Override
    protected ProviderAdapter adapter() {
        return adapter;
    }

    @Override
    protected Provider provider(URI baseUrl) {
        return Provider.openAi("sim", "Sim Cloud", baseUrl, "sk-contract", MaxTokensField.AS_SENT);
    }

    @AfterAll
    void closeClient() {
        http.close();
    }
}
