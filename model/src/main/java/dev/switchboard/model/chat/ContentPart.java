package dev.switchboard.model.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of a message's content. Text, media, and also what the assistant did (tool calls,
 * reasoning, refusals) and what a tool answered, so that a conversation is one list of parts per turn in
 * every wire format: OpenAI's {@code tool_calls} beside {@code content}, Anthropic's {@code tool_use}
 * blocks and Gemini's {@code functionCall} parts all become {@link ToolCall}s.
 */
public sealed interface ContentPart {
    /** Fields the part carried that have no place here. */
    Extensions extensions();

    record Text(String text, Optional<CacheControl> cache, Extensions extensions) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(extensions, "extensions");
        }

        public static Text of(String text) {
            return new Text(text, Optional.empty(), Extensions.NONE);
        }
    }

    /**
     * An image, by URL or inline.
     *
     * @param detail OpenAI's {@code auto}, {@code low} or {@code high}
     */
    record Image(MediaSource source, Optional<String> detail, Optional<CacheControl> cache, Extensions extensions)
            implements ContentPart {
        public Image {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /** A file given to the model to read: a PDF above all. */
    record Document(MediaSource source, Optional<String> filename, Optional<CacheControl> cache, Extensions extensions)
            implements ContentPart {
        public Document {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /**
     * Inline audio.
     *
     * @param format e.g. {@code wav}, {@code mp3}
     */
    record Audio(String base64, String format, Extensions extensions) implements ContentPart {
        public Audio {
            Objects.requireNonNull(base64, "base64");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /**
     * The assistant calling a tool.
     *
     * @param arguments the arguments as JSON text, as the model wrote them (not necessarily valid JSON)
     */
    record ToolCall(String id, String name, String arguments, Extensions extensions) implements ContentPart {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /**
     * A tool's answer to a call, in a {@link Role#TOOL} message (or, in Anthropic's format, a user turn).
     *
     * @param content text, images or documents
     * @param error   whether the tool failed (Anthropic's {@code is_error})
     */
    record ToolResult(
            String toolCallId,
            List<ContentPart> content,
            boolean error,
            Optional<CacheControl> cache,
            Extensions extensions)
            implements ContentPart {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = List.copyOf(content);
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(extensions, "extensions");
        }
    }

    /**
     * What a model reasoned before answering, as the provider gave it back: readable text with the
     * signature that proves it unaltered (Anthropic thinking, Gemini thought signatures), a summary, or an
     * opaque encrypted blob (OpenAI, Anthropic's redacted thinking). Returned on later turns exactly as
     * received, or the provider refuses the conversation.
     *
     * @param kind      what {@code content} holds
     * @param content   the text, the summary, or the encrypted data
     * @param signature proof of an unaltered {@code TEXT}, when the provider signs it
     * @param id        the provider's id for the item, when it gives one
     * @param format    the provider family the item is valid for (e.g. {@code anthropic-claude-v1})
     */
    record Reasoning(
            Kind kind,
            String content,
            Optional<String> signature,
            Optional<String> id,
            Optional<String> format,
            Extensions extensions)
            implements ContentPart {
        public Reasoning {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(extensions, "extensions");
        }

        public enum Kind {
            TEXT,
            SUMMARY,
            ENCRYPTED
        }
    }

    /**
     * A part of a type the model does not know (a wire format's newer part type), kept whole. Only the
     * wire format it came in can send it on; a translation to another leaves it out.
     */
    record Other(String type, RawJson part) implements ContentPart {
        public Other {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(part, "part");
        }

        @Override
        public Extensions extensions() {
            return Extensions.NONE;
        }
    }

    /** The model declining to answer, as a separate field (OpenAI's {@code refusal}). */
    record Refusal(String text, Extensions extensions) implements ContentPart {
        public Refusal {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(extensions, "extensions");
        }
    }
}
