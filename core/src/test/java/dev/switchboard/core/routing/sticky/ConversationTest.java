package dev.switchboard.core.routing.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.RawJson;
import dev.switchboard.model.chat.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationTest {
    private static ChatRequest request(Message... messages) {
        return ChatRequest.builder("acme/chat").messages(List.of(messages)).build();
    }

    @Test
    void theFirstSystemAndFirstOtherMessageNameTheConversation() {
        Conversation first = Conversation.of(
                        request(Message.text(Role.SYSTEM, "You are terse."), Message.text(Role.USER, "Plan a trip")))
                .orElseThrow();
        Conversation later = Conversation.of(request(
                        Message.text(Role.SYSTEM, "You are terse."),
                        Message.text(Role.USER, "Plan a trip"),
                        Message.text(Role.ASSISTANT, "Where to?"),
                        Message.text(Role.USER, "Lisbon")))
                .orElseThrow();
        Conversation other = Conversation.of(
                        request(Message.text(Role.SYSTEM, "You are terse."), Message.text(Role.USER, "Plan a party")))
                .orElseThrow();

        assertThat(later).isEqualTo(first);
        assertThat(other.hash()).isNotEqualTo(first.hash());
        assertThat(first.explicit()).isFalse();
    }

    @Test
    void aSessionIdNamesItExplicitlyAndWins() {
        ChatRequest withSession = request(Message.text(Role.USER, "hi")).toBuilder()
                .attribution(Attribution.NONE.withSession(Optional.of("session-1")))
                .build();
        Conversation session = Conversation.of(withSession).orElseThrow();

        assertThat(session.explicit()).isTrue();
        assertThat(session.hash())
                .isNotEqualTo(Conversation.of(request(Message.text(Role.USER, "hi")))
                        .orElseThrow()
                        .hash());
    }

    @Test
    void aPromptCacheKeyNamesIt() {
        ChatRequest keyed = request(Message.text(Role.USER, "hi")).toBuilder()
                .extensions(Extensions.NONE.with("prompt_cache_key", new RawJson("\"k-1\"")))
                .build();
        ChatRequest otherText = request(Message.text(Role.USER, "something else")).toBuilder()
                .extensions(Extensions.NONE.with("prompt_cache_key", new RawJson("\"k-1\"")))
                .build();

        assertThat(Conversation.of(keyed)).isEqualTo(Conversation.of(otherText));
    }

    @Test
    void aRequestWithOnlyInstructionsHasNoConversation() {
        assertThat(Conversation.of(request(Message.text(Role.SYSTEM, "rules")))).isEmpty();
    }
}
