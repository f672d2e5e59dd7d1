package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads JSON request bodies with a size limit: 413 above it (checked against {@code Content-Length}
 * before reading, and while reading for chunked bodies), 400 with line and column for malformed JSON.
 * A body is exactly one JSON value: anything after it but whitespace is malformed, not ignored.
 */
public final class RequestBodies {
    private final ObjectReader json;
    private final long maxBytes;

    public RequestBodies(ObjectMapper json, long maxBytes) {
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBytes = maxBytes;
    }

    public JsonNode readJson(ServerRequest req) {
        byte[] bytes = readBytes(req);
        if (bytes.length == 0) {
            throw GatewayException.invalidRequest("Request body is empty; expected a JSON object");
        }
        try {
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw unreadable();
        }
    }

    /**
     * 400 saying where the JSON went wrong. Limits hit while parsing (nesting depth, number length)
     * have no location in Jackson's report; those say which limit instead, and carry no line or column.
     */
    private static GatewayException malformed(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return GatewayException.invalidRequest("Malformed JSON in request body: " + withoutSource(e.getOriginalMessage()));
        }
        return new GatewayException(ErrorType.INVALID_REQUEST, "Malformed JSON in request body at line " + location.getLineNr()
                + ", column " + location.getColumnNr() + ": " + withoutSource(e.getOriginalMessage()),
                Map.of("line", location.getLineNr(), "column", location.getColumnNr()));
    }

    private byte[] readBytes(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = readAtMost(req, maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    /**
     * Reads up to {@code limit} bytes of the body. A failure here is the client's framing (a chunk past
     * the server's payload limit, a chunk size that is not hex) or its connection, never a gateway bug;
     * the server's exceptions may quote the body, so nothing of them is passed on or logged.
     */
    private byte[] readAtMost(ServerRequest req, long limit) {
        try (InputStream in = req.content().inputStream()) {
            return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        } catch (RequestException e) {
            throw e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code() ? tooLarge() : unreadable();
        } catch (IOException | RuntimeException e) {
            throw unreadable();
        }
    }

    private static GatewayException unreadable() {
        return GatewayException.invalidRequest("Request body could not be read");
    }

    /** Jackson's messages name the input source; the client knows its own body. */
    private static String withoutSource(String message) {
        return message.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    /** The 413 for a body over the limit, also used when the server rejects one before routing. */
    public GatewayException tooLarge() {
        return new GatewayException(ErrorType.PAYLOAD_TOO_LARGE,
                "Request body exceeds the limit of " + maxBytes + " bytes", Map.of("limit_bytes", maxBytes));
    }
}
