package dev.switchboard.model.chat;

import java.util.Objects;

/**
 * A wire format, named: what an ingress dialect speaks to clients and a provider adapter speaks to its
 * provider. When a client's dialect and the chosen provider's adapter share one, the request and the
 * answer can be relayed natively instead of translated through the canonical model.
 *
 * @param id e.g. {@code openai.chat} (OpenAI chat completions), {@code anthropic.messages}
 */
public record WireFormat(String id) {
    /** OpenAI chat completions, as OpenAI-compatible servers and OpenRouter's chat API speak it. */
    public static final WireFormat OPENAI_CHAT = new WireFormat("openai.chat");

    public WireFormat {
        Objects.requireNonNull(id, "id");
    }
}
