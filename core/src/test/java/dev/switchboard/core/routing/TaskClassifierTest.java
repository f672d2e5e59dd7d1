package dev.switchboard.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.routing.TaskClassifier.Task;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.Tool;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskClassifierTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Hello! How are you today?                                      | GENERAL
            Write a short poem about the sea.                              | GENERAL
            Why does my Python script raise this Traceback?                | CODING
            Refactor this function so the compiler stops complaining.      | CODING
            Here: ```x = 1```                                              | CODING
            int a = 1; int b = 2; if (a) { b++; } else { a--; } while (b) { a++; b--; } | CODING
            I wrote a function for a birthday card.                        | GENERAL
            Prove the theorem that there are infinitely many primes.       | REASONING
            Solve this puzzle: three doors and a car.                      | REASONING
            Solve it.                                                      | GENERAL
            """)
    void classifiesTheLastUserMessageByItsWords(String prompt, Task expected) {
        assertThat(classify(request(prompt))).isEqualTo(expected);
    }

    @Test
    void readsOnlyTheLastUserMessage() {
        ChatRequest request = ChatRequest.builder("openrouter/auto")
                .messages(List.of(
                        Message.text(Role.SYSTEM, "You are a Python and Rust expert."),
                        Message.text(Role.USER, "Debug this Python traceback for me."),
                        Message.text(Role.ASSISTANT, "Done."),
                        Message.text(Role.USER, "Thanks! Now a haiku about autumn, please.")))
                .build();

        assertThat(classify(request)).isEqualTo(Task.GENERAL);
    }

    @Test
    void imagesMakeItVisionWhateverTheWords() {
        Message withImage = new Message(
                Role.USER,
                List.of(
                        ContentPart.Text.of("Debug the python traceback in this screenshot"),
                        new ContentPart.Image(
                                new MediaSource.Url("https://example.com/a.png"),
                                Optional.empty(),
                                Optional.empty(),
                                Extensions.NONE)),
                Optional.empty(),
                Extensions.NONE);
        ChatRequest request = ChatRequest.builder("openrouter/auto")
                .messages(List.of(withImage))
                .build();

        assertThat(classify(request)).isEqualTo(Task.VISION);
    }

    @Test
    void aLongPromptIsLongContext() {
        String book = "word ".repeat((int) TaskClassifier.LONG_CONTEXT_TOKENS);

        assertThat(classify(request(book + " Summarise it."))).isEqualTo(Task.LONG_CONTEXT);
    }

    @Test
    void toolsMakeItToolUseUnlessTheMessageShowsCode() {
        Tool tool = new Tool.Function(
                "weather", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Extensions.NONE);

        assertThat(classify(request("What is the weather in Paris?").toBuilder()
                        .tools(List.of(tool))
                        .build()))
                .isEqualTo(Task.TOOL_USE);
        assertThat(classify(request("Fix the bug in this Java function.").toBuilder()
                        .tools(List.of(tool))
                        .build()))
                .isEqualTo(Task.CODING);
    }

    @Test
    void askingForReasoningMakesItReasoningUnlessTurnedOff() {
        ChatRequest request = request("What should I cook tonight?");
        ReasoningSettings high = new ReasoningSettings(
                Optional.of("high"), OptionalLong.empty(), Optional.empty(), false, Extensions.NONE);
        ReasoningSettings none = new ReasoningSettings(
                Optional.of("none"), OptionalLong.empty(), Optional.empty(), false, Extensions.NONE);

        assertThat(classify(request.toBuilder().reasoning(Optional.of(high)).build()))
                .isEqualTo(Task.REASONING);
        assertThat(classify(request.toBuilder().reasoning(Optional.of(none)).build()))
                .isEqualTo(Task.GENERAL);
    }

    @Test
    void looksAtBothEndsOfALongMessageOnly() {
        String filler = "lorem ipsum ".repeat(2000);

        assertThat(classify(request("Python traceback: " + filler + " thanks")))
                .as("words at the start")
                .isEqualTo(Task.CODING);
        assertThat(classify(request("Hello " + filler + " why this python traceback?")))
                .as("words at the end")
                .isEqualTo(Task.CODING);
        assertThat(classify(request("Hello " + filler + " python traceback " + filler + " bye")))
                .as("words in the middle are not read")
                .isEqualTo(Task.GENERAL);
    }

    private static Task classify(ChatRequest request) {
        return TaskClassifier.classify(request, RequestNeeds.of(request));
    }

    private static ChatRequest request(String prompt) {
        return ChatRequest.builder("openrouter/auto")
                .messages(List.of(Message.text(Role.USER, prompt)))
                .build();
    }
}
