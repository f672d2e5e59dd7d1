package dev.switchboard.core.chat;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Message;
import java.util.List;
import java.util.Optional;

/**
 * Context compression for one attempt: a prompt too long for the endpoint's context is shortened from
 * the middle ({@link MiddleOut}) so that it and {@code max_tokens} fit.
 *
 * <p>Design note. It applies when the request turns it on ({@code plugins: [{"id":
 * "context-compression"}]} or {@code transforms: ["middle-out"]}), or, when the request says nothing,
 * for endpoints of {@value #DEFAULT_ON_MAX_CONTEXT} tokens or less, as OpenRouter does. Most requests fit
 * and must not pay for counting: a token is at least one UTF-8 byte and a character at most three, so a
 * prompt whose characters, tripled, fit is left alone without running the tokenizer. Only a prompt
 * that might not fit is counted exactly, and only then shortened. A shortened request loses the client's
 * own body, so the adapter writes the upstream body from the shortened messages whatever the lane.
 */
public final class ContextCompression {
    static final long DEFAULT_ON_MAX_CONTEXT = 8192;
    /** Tokens kept free beyond the prompt and {@code max_tokens}: the count is the gateway's, not the provider's. */
    static final long MARGIN = 64;

    private static final long PER_MESSAGE = 4;

    private final TokenEstimator estimator;

    public ContextCompression(TokenEstimator estimator) {
        this.estimator = estimator;
    }

    /** Whether compression is on for {@code endpoint}: as the request says, else for small contexts. */
    public static boolean appliesTo(Optional<Boolean> requested, Endpoint endpoint) {
        return requested.orElse(endpoint.contextLength() <= DEFAULT_ON_MAX_CONTEXT);
    }

    /**
     * {@code request} as it should go to {@code endpoint}: the same request when compression is off or
     * the prompt fits, else with its messages shortened from the middle. When even shortening cannot make
     * it fit, the request goes as it is and the provider's refusal moves the request on.
     */
    public ChatRequest forEndpoint(ChatRequest request, Endpoint endpoint) {
        if (!appliesTo(request.contextCompression(), endpoint)) {
            return request;
        }
        long budget = endpoint.contextLength() - request.maxTokens().orElse(0) - MARGIN;
        if (upperBound(request.messages()) <= budget) {
            return request;
        }
        return MiddleOut.fit(request.messages(), budget, estimator::promptTokens)
                .filter(fitted -> !fitted.equals(request.messages()))
                .map(fitted -> request.toBuilder()
                        .messages(fitted)
                        .source(Optional.empty())
                        .build())
                .orElse(request);
    }

    /** At least as many tokens as the messages' text can have: three bytes a character, a token a byte at least. */
    private static long upperBound(List<Message> messages) {
        long chars = 0;
        for (Message message : messages) {
            chars += PER_MESSAGE;
            for (ContentPart part : message.content()) {
                if (part instanceof ContentPart.Text text) {
                    chars += 3L * text.text().length();
                } else if (part instanceof ContentPart.ToolCall call) {
                    chars += 3L * call.arguments().length();
                } else if (part instanceof ContentPart.ToolResult result) {
                    chars += upperBound(List.of(
                            new Message(message.role(), result.content(), message.name(), message.extensions())));
                }
            }
        }
        return chars;
    }
}
