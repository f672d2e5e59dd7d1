package dev.switchboard.aws.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One message, as a value: its headers in order and its payload (a copy of its own). The decoder hands
 * out {@link EventStreamFrame} views instead, which cost nothing per message; this is what the encoder
 * writes and what tests compare.
 */
public final class EventStreamMessage {
    /** {@code :message-type} of an event. */
    public static final String EVENT = "event";
    /** {@code :message-type} of a modelled error. */
    public static final String EXCEPTION = "exception";

    private final List<EventHeader> headers;
    private final byte[] payload;

    public EventStreamMessage(List<EventHeader> headers, byte[] payload) {
        this.headers = List.copyOf(headers);
        this.payload = payload.clone();
    }

    /** An event as AWS's services send them: {@code :event-type}, JSON content type, message type {@code event}. */
    public static EventStreamMessage event(String eventType, String json) {
        return new EventStreamMessage(
                List.of(
                        EventHeader.text(":event-type", eventType),
                        EventHeader.text(":content-type", "application/json"),
                        EventHeader.text(":message-type", EVENT)),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** A modelled error in a stream: {@code :exception-type}, JSON content type, message type {@code exception}. */
    public static EventStreamMessage exception(String exceptionType, String json) {
        return new EventStreamMessage(
                List.of(
                        EventHeader.text(":exception-type", exceptionType),
                        EventHeader.text(":content-type", "application/json"),
                        EventHeader.text(":message-type", EXCEPTION)),
                json.getBytes(StandardCharsets.UTF_8));
    }

    public List<EventHeader> headers() {
        return headers;
    }

    public byte[] payload() {
        return payload.clone();
    }

    int payloadLength() {
        return payload.length;
    }

    byte[] sharedPayload() {
        return payload;
    }

    /** The value of the first header of that name. */
    public Optional<HeaderValue> header(String name) {
        return headers.stream()
                .filter(header -> header.name().equals(name))
                .map(EventHeader::value)
                .findFirst();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof EventStreamMessage message
                && headers.equals(message.headers)
                && Arrays.equals(payload, message.payload);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "EventStreamMessage[headers=" + headers + ", payload=" + payload.length + " bytes]";
    }
}
