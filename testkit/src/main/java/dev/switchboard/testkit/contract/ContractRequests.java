package dev.switchboard.testkit.contract;

import dev.switchboard.model.chat.Attribution;
import dev.switchboard.model.chat.CacheControl;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.ContentPart;
import dev.switchboard.model.chat.Extensions;
import dev.switchboard.model.chat.MediaSource;
import dev.switchboard.model.chat.Message;
import dev.switchboard.model.chat.RawJson;
import dev.switchboard.model.chat.ReasoningSettings;
import dev.switchboard.model.chat.ResponseFormat;
import dev.switchboard.model.chat.Role;
import dev.switchboard.model.chat.Sampling;
import dev.switchboard.model.chat.Tool;
import dev.switchboard.model.chat.ToolChoice;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The canonical requests every adapter is checked with: a matrix of what conversations hold (plain
 * text, system prompts and turns, images, a PDF, tools and their results, parallel calls, structured
 * output, reasoning carried across turns, cache breakpoints, sampling), built in the canonical model
 * itself, so that every adapter translates the same inputs.
 */
public final class ContractRequests {
    private static final Tool.Function WEATHER = new Tool.Function(
            "get_weather",
            Optional.of("Weather for a city"),
            Optional.of(new RawJson(
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")),
            Optional.empty(),
            Optional.empty(),
            Extensions.NONE);
    private static final Map<String, Supplier<ChatRequest>> CASES = new LinkedHashMap<>();

    static {
        CASES.put(
                "plain",
                () -> request(List.of(Message.text(Role.USER, "Hello"))).build());
        CASES.put(
                "system-and-turns",
                () -> request(List.of(
                                Message.text(Role.SYSTEM, "Be brief."),
                                Message.text(Role.USER, "Hi"),
                                Message.text(Role.ASSISTANT, "Hello."),
                                Message.text(Role.USER, "Bye")))
                        .build());
        CASES.put(
                "image",
                () -> request(List.of(new Message(
                                Role.USER,
                                List.of(
                                        ContentPart.Text.of("What is this?"),
                                        new ContentPart.Image(
                                                new MediaSource.Url("https://example.com/cat.png"),
                                                Optional.of("low"),
                                                Optional.empty(),
                                                Extensions.NONE),
                                        new ContentPart.Image(
                                                new MediaSource.Inline("image/png", "iVBORw0KGgo="),
                                                Optional.empty(),
                                                Optional.empty(),
                                                Extensions.NONE)),
                                Optional.empty(),
                                Extensions.NONE)))
                        .build());
        CASES.put(
                "pdf",
                () -> request(List.of(new Message(
                                Role.USER,
                                List.of(
                                        ContentPart.Text.of("Summarise"),
                                        new ContentPart.Document(
                                                new MediaSource.Inline("application/pdf", "JVBERi0xLjQ="),
                                                Optional.of("report.pdf"),
                                                Optional.empty(),
                                                Extensions.NONE)),
                                Optional.empty(),
                                Extensions.NONE)))
                        .build());
        CASES.put(
                "tools-and-results",
                () -> request(List.of(
                                Message.text(Role.USER, "Weather in Oslo?"),
                                new Message(
                                        Role.ASSISTANT,
                                        List.of(new ContentPart.ToolCall(
                                                "call_1", "get_weather", "{\"city\":\"Oslo\"}", Extensions.NONE)),
                                        Optional.empty(),
                                        Extensions.NONE),
                                new Message(
                                        Role.TOOL,
                                        List.of(new ContentPart.ToolResult(
                                                "call_1",
                                                List.of(ContentPart.Text.of("-3 C, snow")),
                                                false,
                                                Optional.empty(),
                                                Extensions.NONE)),
                                        Optional.empty(),
                                        Extensions.NONE)))
                        .tools(List.of(WEATHER))
                        .toolChoice(Optional.of(ToolChoice.AUTO))
                        .build());
        CASES.put(
                "parallel-tool-calls",
                () -> request(List.of(
                                Message.text(Role.USER, "Oslo and Rome?"),
                                new Message(
                                        Role.ASSISTANT,
                                        List.of(
                                                ContentPart.Text.of("Checking both."),
                                                new ContentPart.ToolCall(
                                                        "call_a",
                                                        "get_weather",
                                                        "{\"city\":\"Oslo\"}",
                                                        Extensions.NONE),
                                                new ContentPart.ToolCall(
                                                        "call_b",
                                                        "get_weather",
                                                        "{\"city\":\"Rome\"}",
                                                        Extensions.NONE)),
                                        Optional.empty(),
                                        Extensions.NONE),
                                new Message(
                                        Role.USER,
                                        List.of(
                                                new ContentPart.ToolResult(
                                                        "call_a",
                                                        List.of(ContentPart.Text.of("-3 C")),
                                                        false,
                                                        Optional.empty(),
                                                        Extensions.NONE),
                                                new ContentPart.ToolResult(
                                                        "call_b",
                                                        List.of(ContentPart.Text.of("18 C")),
                                                        true,
                                                        Optional.empty(),
                                                        Extensions.NONE)),
                                        Optional.empty(),
                                        Extensions.NONE)))
                        .tools(List.of(WEATHER))
                        .toolChoice(Optional.of(new ToolChoice.Named("get_weather")))
                        .parallelToolCalls(Optional.of(true))
                        .build());
        CASES.put(
                "structured-output",
                () -> request(List.of(Message.text(Role.USER, "A city and its country")))
                        .responseFormat(Optional.of(new ResponseFormat.JsonSchema(
                                "city",
                                Optional.empty(),
                                Optional.of(
                                        new RawJson(
                                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                                                        + "\"country\":{\"type\":\"string\"}},\"required\":[\"city\",\"country\"]}")),
                                Optional.of(true))))
                        .build());
        CASES.put(
                "reasoning",
                () -> request(List.of(
                                Message.text(Role.USER, "2+2?"),
                                new Message(
                                        Role.ASSISTANT,
                                        List.of(
                                                new ContentPart.Reasoning(
                                                        ContentPart.Reasoning.Kind.TEXT,
                                                        "Adding.",
                                                        Optional.of("sig-1"),
                                                        Optional.empty(),
                                                        Optional.of("anthropic-claude-v1"),
                                                        Extensions.NONE),
                                                ContentPart.Text.of("4")),
                                        Optional.empty(),
                                        Extensions.NONE),
                                Message.text(Role.USER, "And 3+3?")))
                        .reasoning(Optional.of(new ReasoningSettings(
                                Optional.of("high"), OptionalLong.empty(), Optional.empty(), false, Extensions.NONE)))
                        .build());
        CASES.put(
                "cache-control",
                () -> request(List.of(
                                new Message(
                                        Role.SYSTEM,
                                        List.of(new ContentPart.Text(
                                                "A long manual.",
                                                Optional.of(new CacheControl("ephemeral", Optional.of("1h"))),
                                                Extensions.NONE)),
                                        Optional.empty(),
                                        Extensions.NONE),
                                Message.text(Role.USER, "Question")))
                        .build());
        CASES.put(
                "sampling",
                () -> request(List.of(Message.text(Role.USER, "Go")))
                        .sampling(new Sampling(
                                Optional.of(new BigDecimal("0.7")),
                                Optional.of(new BigDecimal("0.9")),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(new BigDecimal("42")),
                                List.of("END"),
                                OptionalInt.empty(),
                                Optional.empty(),
                                OptionalInt.empty(),
                                Optional.empty()))
                        .maxTokens(OptionalLong.of(64))
                        .attribution(Attribution.of(null, null, "user-7"))
                        .build());
    }

    private ContractRequests() {}

    /** The names of the request cases, in order. */
    public static List<String> names() {
        return List.copyOf(CASES.keySet());
    }

    /** The request of a case. */
    public static ChatRequest named(String name) {
        Supplier<ChatRequest> supplier = CASES.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException("no contract request " + name);
        }
        return supplier.get();
    }

    /**
     * A request the simulator answers deterministically, the same words whether streamed or not; with
     * {@code toolCall}, the answer is a call to a tool.
     */
    public static ChatRequest simulated(boolean toolCall, boolean stream) {
        String controls = "{\"output_tokens\":12,\"seed\":7" + (toolCall ? ",\"tool_call\":true" : "") + "}";
        return request(List.of(Message.text(Role.USER, "Tell me something")))
                .tools(toolCall ? List.of(WEATHER) : List.of())
                .stream(stream)
                .extensions(new Extensions(Map.of("simulator", new RawJson(controls))))
                .build();
    }

    /** A request the simulator answers with HTTP {@code status} and an error body. */
    public static ChatRequest failing(int status) {
        return request(List.of(Message.text(Role.USER, "Fail")))
                .extensions(new Extensions(
                        Map.of("simulator", new RawJson("{\"fault\":\"status\",\"status\":" + status + "}"))))
                .build();
    }

    private static ChatRequest.Builder request(List<Message> messages) {
        return ChatRequest.builder("acme/contract").messages(messages);
    }
}
