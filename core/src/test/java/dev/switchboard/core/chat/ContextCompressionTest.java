package dev.switchboard.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.WireBody;
import dev.switchboard.model.chat.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ContextCompressionTest {
    private final ContextCompression compression = new ContextCompression(new TokenEstimator());
    private final TokenEstimator estimator = new TokenEstimator();

    private static Endpoint endpoint(long context) {
        return new Endpoint("p", "m", Pricing.of("0", "0"), context, 0, "unknown", List.of());
    }

    /** About 40 turns of 300 words each: some 12,000 words, far more than 4,096 tokens. */
    private static ChatRequest longConversation(Optional<Boolean> setting) {
        List<Message> messages = new ArrayList<>();
        messages.add(Message.text(Role.SYSTEM, "You answer briefly."));
        for (int i = 0; i < 40; i++) {
            messages.add(Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT, ("word" + i + " ").repeat(300)));
        }
        messages.add(Message.text(Role.USER, "So, what is the answer?"));
        return ChatRequest.builder("acme/chat")
                .messages(messages)
                .maxTokens(OptionalLong.of(256))
                .contextCompression(setting)
                .source(Optional.of(new WireBody(WireFormat.OPENAI_CHAT, "{}")))
                .build();
    }

    @Test
    void isOnByDefaultForSmallContextsAndShortensToFit() {
        ChatRequest request = longConversation(Optional.empty());
        ChatRequest sent = compression.forEndpoint(request, endpoint(4096));

        assertThat(estimator.promptTokens(sent.messages()) + 256).isLessThanOrEqualTo(4096);
        assertThat(sent.messages().getFirst()).isEqualTo(request.messages().getFirst());
        assertThat(sent.messages().getLast()).isEqualTo(request.messages().getLast());
        assertThat(sent.source())
                .as("the client's body no longer says what is sent")
                .isEmpty();
    }

    @Test
    void isOffByDefaultForLargeContextsAndWhenTheClientTurnsItOff() {
        ChatRequest request = longConversation(Optional.empty());
        assertThat(compression.forEndpoint(request, endpoint(9000))).isSameAs(request);

        ChatRequest off = longConversation(Optional.of(false));
        assertThat(compression.forEndpoint(off, endpoint(4096))).isSameAs(off);
    }

    @Test
    void aClientCanTurnItOnForLargeContexts() {
        ChatRequest on = longConversation(Optional.of(true));
        ChatRequest sent = compression.forEndpoint(on, endpoint(9000));

        assertThat(estimator.promptTokens(sent.messages()) + 256).isLessThanOrEqualTo(9000);
        assertThat(sent.messages().size()).isLessThan(on.messages().size());
    }

    @Test
    void aPromptThatFitsIsNotTouched() {
        ChatRequest small = ChatRequest.builder("acme/chat")
                .messages(List.of(Message.text(Role.USER, "hi")))
                .build();
        assertThat(compression.forEndpoint(small, endpoint(4096))).isSameAs(small);
    }
}
