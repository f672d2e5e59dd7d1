package dev.switchboard.model.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A chat request in canonical form: what every ingress dialect produces and every provider adapter
 * consumes. Build one with {@link #builder(String)}.
 *
 * @param model             the model id asked for
 * @param fallbackModels    further models to try, in order (OpenRouter's models array)
 * @param messages          the conversation, at least one message
 * @param tools             tools the model may call
 * @param toolChoice        whether and which tool it must call
 * @param parallelToolCalls whether it may call several at once
 * @param responseFormat    the shape the answer must take
 * @param sampling          temperature, top-p, stop sequences and the rest
 * @param reasoning         how much to think
 * @param maxTokens         the most tokens to generate (visible and reasoning together)
 * @param stream            whether the client wants the answer streamed
 * @param provider          routing preferences
 * @param attribution       the app and end user
 * @param extensions        top-level fields with no place here, sent on where the target format allows
 * @param source            the client's body as its dialect parsed it, for relaying it natively to a
 *                          provider of the same wire format
 * @param contextCompression whether a prompt too long for an endpoint is shortened from the middle
 *                          (the {@code context-compression} plugin, legacy {@code transforms:
 *                          ["middle-out"]}); empty when the client did not say, which means on for
 *                          endpoints of 8,192 tokens or less
 * @param autoRouter        the {@code auto-router} plugin's settings, for the {@code openrouter/auto}
 *                          router; {@link AutoRouterOptions#DEFAULTS} when the request has none
 * @param betaFeatures      provider feature flags the client asked for (OpenRouter's
 *                          {@code x-anthropic-beta} header), sent on by an adapter whose provider has
 *                          such flags (Anthropic's {@code anthropic-beta}); none by default
 */
public record ChatRequest(
        String model,
        List<String> fallbackModels,
        List<Message> messages,
        List<Tool> tools,
        Optional<ToolChoice> toolChoice,
        Optional<Boolean> parallelToolCalls,
        Optional<ResponseFormat> responseFormat,
        Sampling sampling,
        Optional<ReasoningSettings> reasoning,
        OptionalLong maxTokens,
        boolean stream,
        ProviderPreferences provider,
        Attribution attribution,
        Extensions extensions,
        Optional<WireBody> source,
        Optional<Boolean> contextCompression,
        AutoRouterOptions autoRouter,
        List<String> betaFeatures) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        fallbackModels = List.copyOf(fallbackModels);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(parallelToolCalls, "parallelToolCalls");
        Objects.requireNonNull(responseFormat, "responseFormat");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(attribution, "attribution");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contextCompression, "contextCompression");
        Objects.requireNonNull(autoRouter, "autoRouter");
        betaFeatures = List.copyOf(betaFeatures);
    }

    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A builder starting from this request. */
    public Builder toBuilder() {
        return new Builder(model)
                        .fallbackModels(fallbackModels)
                        .messages(messages)
                        .tools(tools)
                        .toolChoice(toolChoice)
                        .parallelToolCalls(parallelToolCalls)
                        .responseFormat(responseFormat)
                        .sampling(sampling)
                        .reasoning(reasoning)
                        .maxTokens(maxTokens)
                        .stream(stream)
                        .provider(provider)
                        .attribution(attribution)
                        .contextCompression(contextCompression)
                        .autoRouter(autoRouter)
                        .extensions(extensions)
                        .source(source)
                        .betaFeatures(betaFeatures);
    }

    /** Assembles a {@link ChatRequest}; every field but the model has a default (empty, none, false). */
    public static final class Builder {
        private final String model;
        private List<String> fallbackModels = List.of();
        private List<Message> messages = List.of();
        private List<Tool> tools = List.of();
        private Optional<ToolChoice> toolChoice = Optional.empty();
        private Optional<Boolean> parallelToolCalls = Optional.empty();
        private Optional<ResponseFormat> responseFormat = Optional.empty();
        private Sampling sampling = Sampling.DEFAULTS;
        private Optional<ReasoningSettings> reasoning = Optional.empty();
        private OptionalLong maxTokens = OptionalLong.empty();
        private boolean stream;
        private ProviderPreferences provider = ProviderPreferences.NONE;
        private Attribution attribution = Attribution.NONE;
        private Extensions extensions = Extensions.NONE;
        private Optional<Boolean> contextCompression = Optional.empty();
        private Optional<WireBody> source = Optional.empty();
        private AutoRouterOptions autoRouter = AutoRouterOptions.DEFAULTS;
        private List<String> betaFeatures = List.of();

        private Builder(String model) {
            this.model = model;
        }

        public Builder fallbackModels(List<String> value) {
            this.fallbackModels = value;
            return this;
        }

        public Builder messages(List<Message> value) {
            this.messages = value;
            return this;
        }

        public Builder tools(List<Tool> value) {
            this.tools = value;
            return this;
        }

        public Builder toolChoice(Optional<ToolChoice> value) {
            this.toolChoice = value;
            return this;
        }

        public Builder parallelToolCalls(Optional<Boolean> value) {
            this.parallelToolCalls = value;
            return this;
        }

        public Builder responseFormat(Optional<ResponseFormat> value) {
            this.responseFormat = value;
            return this;
        }

        public Builder sampling(Sampling value) {
            this.sampling = value;
            return this;
        }

        public Builder reasoning(Optional<ReasoningSettings> value) {
            this.reasoning = value;
            return this;
        }

        public Builder maxTokens(OptionalLong value) {
            this.maxTokens = value;
            return this;
        }

        public Builder stream(boolean value) {
            this.stream = value;
            return this;
        }

        public Builder provider(ProviderPreferences value) {
            this.provider = value;
            return this;
        }

        public Builder attribution(Attribution value) {
            this.attribution = value;
            return this;
        }

        public Builder extensions(Extensions value) {
            this.extensions = value;
            return this;
        }

        public Builder source(Optional<WireBody> value) {
            this.source = value;
            return this;
        }

        public Builder contextCompression(Optional<Boolean> value) {
            this.contextCompression = value;
            return this;
        }

        public Builder autoRouter(AutoRouterOptions value) {
            this.autoRouter = value;
            return this;
        }

        public Builder betaFeatures(List<String> value) {
            this.betaFeatures = value;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(
                    model,
                    fallbackModels,
                    messages,
                    tools,
                    toolChoice,
                    parallelToolCalls,
                    responseFormat,
                    sampling,
                    reasoning,
                    maxTokens,
                    stream,
                    provider,
                    attribution,
                    extensions,
                    source,
                    contextCompression,
                    autoRouter,
                    betaFeatures);
        }
    }
}
