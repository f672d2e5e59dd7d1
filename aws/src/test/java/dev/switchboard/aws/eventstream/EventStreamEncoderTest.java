package dev.switchboard.aws.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamEncoderTest {
    @Test
    void writesServiceEventsWithTheThreeStandardHeaders() {
        EventStreamMessage event = EventStreamMessage.event("messageStop", "{\"stopReason\":\"end_turn\"}");

        assertThat(event.header(":event-type")).contains(new HeaderValue.Text("messageStop"));
        assertThat(event.header(":message-type")).contains(new HeaderValue.Text("event"));
        assertThat(event.header(":content-type")).contains(new HeaderValue.Text("application/json"));
    }

    @Test
    void writesExceptionsAsTheServiceDoes() {
        EventStreamMessage exception =
                EventStreamMessage.exception("throttlingException", "{\"message\":\"slow down\"}");

        assertThat(exception.header(":exception-type")).contains(new HeaderValue.Text("throttlingException"));
        assertThat(exception.header(":message-type")).contains(new HeaderValue.Text("exception"));
        assertThat(exception.header(":event-type")).isEmpty();
    }

    @Test
    void refusesHeaderNamesAndValuesTheFramingCannotHold() {
        assertThatThrownBy(() -> EventHeader.text("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventHeader.text("n".repeat(256), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeaderValue.Bytes(new byte[65_536])).isInstanceOf(IllegalArgumentException.class);
        EventStreamMessage longText =
                new EventStreamMessage(List.of(EventHeader.text("n", "é".repeat(40_000))), new byte[0]);
        assertThatThrownBy(() -> EventStreamEncoder.encode(longText)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAMessageNoReaderWouldAccept() {
        EventStreamMessage huge =
                new EventStreamMessage(List.of(), new byte[EventStreamLimits.DEFAULT_MAX_MESSAGE_BYTES]);

        assertThatThrownBy(() -> EventStreamEncoder.encode(huge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesAreValuesWithTheirOwnCopies() {
        byte[] payload = "abc".getBytes(StandardCharsets.US_ASCII);
        EventStreamMessage message = new EventStreamMessage(List.of(), payload);
        payload[0] = 'x';

        assertThat(message.payload()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(message).isEqualTo(new EventStreamMessage(List.of(), "abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(message.toString()).contains("3 bytes");
    }
}
