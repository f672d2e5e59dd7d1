package dev.switchboard.core.catalog;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach a provider: settings of its own for each kind of provider. A kind that needs other
 * settings (a region and AWS credentials for Bedrock, a deployment and API version for Azure, a project
 * and service account for Vertex) adds its record here and its reader in the configuration.
 *
 * <p>Secrets in a connection are only handed to the provider's adapter; {@code toString} never shows them.
 */
public sealed interface Connection {
    /**
     * An HTTP API that speaks OpenAI's chat completions ({@code kind: openai}).
     *
     * @param apiKey         the bearer key, empty for keyless local servers
     * @param maxTokensField the field the server wants the output-token limit in
     * @param httpVersion    the HTTP version the gateway speaks to it
     */
    record OpenAiCompatible(URI baseUrl, String apiKey, MaxTokensField maxTokensField, HttpVersion httpVersion)
            implements Connection {
        public OpenAiCompatible {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(maxTokensField, "maxTokensField");
            Objects.requireNonNull(httpVersion, "httpVersion");
        }

        /** A server spoken to over HTTP/1.1, the default. */
        public OpenAiCompatible(URI baseUrl, String apiKey, MaxTokensField maxTokensField) {
            this(baseUrl, apiKey, maxTokensField, HttpVersion.HTTP_1_1);
        }

        @Override
        public String toString() {
            return "OpenAiCompatible[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "<none>" : "<set>")
                    + ", maxTokensField=" + maxTokensField + ", httpVersion=" + httpVersion.configName() + "]";
        }
    }

    /**
     * Anthropic's Messages API ({@code kind: anthropic}): {@code POST <baseUrl>/v1/messages} with the key
     * in {@code x-api-key}.
     *
     * @param baseUrl the API's root, {@value #ANTHROPIC_BASE_URL} unless configured
     * @param apiKey  the key, empty when none is configured (a workspace's own key may still be used)
     */
    record Anthropic(URI baseUrl, String apiKey) implements Connection {
        public Anthropic {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
        }

        @Override
        public String toString() {
            return "Anthropic[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "<none>" : "<set>") + "]";
        }
    }

    /** Where Anthropic's API is when a provider of {@code kind: anthropic} names no {@code base_url}. */
    String ANTHROPIC_BASE_URL = "https://api.anthropic.com";
}
