package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UnexpectedFailures;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Reads JSON request bodies with a size limit: 413 above it (checked against {@code Content-Length}
 * before reading, and while reading for chunked bodies), 400 with line and column for malformed JSON.
 * A body is exactly one JSON value: anything after it but whitespace is malformed, not ignored. Every
 * read, and every drain of a body a handler did not read, runs under the {@link BodyReadDeadline}: a
 * body that does not arrive in time closes the connection.
 */
public final class RequestBodies {
    /** Unread bodies up to this size are read and discarded so the connection can serve the next request. */
    static final int MAX_DRAIN_BYTES = 64 * 1024;
    /**
     * Bytes of an unread body read and discarded before a connection is closed after an error (a 413,
     * say), so that the client finishes sending and reads the answer: closing with its bytes unread would
     * reset the connection, and a reset can discard the answer on the client's side before it is read.
     */
    static final int MAX_LINGER_BYTES = 1024 * 1024;
    /** Bodies declared up to this size are read into one array of their length ({@link #exactLength}). */
    static final int MAX_EXACT_READ = 256 * 1024;

    private final ObjectReader json;
    private final long maxBytes;
    private final BodyReadDeadline deadline;

    public RequestBodies(ObjectMapper json, long maxBytes, BodyReadDeadline deadline) {
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBytes = maxBytes;
        this.deadline = deadline;
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
            return GatewayException.invalidRequest(
                    "Malformed JSON in request body: " + withoutSource(e.getOriginalMessage()));
        }
        return new GatewayException(
                ErrorType.INVALID_REQUEST,
                "Malformed JSON in request body at line " + location.getLineNr() + ", column " + location.getColumnNr()
                        + ": " + withoutSource(e.getOriginalMessage()),
                Map.of("line", location.getLineNr(), "column", location.getColumnNr()));
    }

    private byte[] readBytes(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = readAtMost(req, maxBytes + 1, exactLength(req, declared));
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    /**
     * The length to read the body into one array of, or -1 to read it in growing steps: a declared
     * {@code Content-Length} of a body that is not encoded, up to {@link #MAX_EXACT_READ}. Reading
     * exactly that many bytes allocates the body once; {@code readNBytes(limit)} starts with a 16 KiB
     * buffer whatever the body's size, most of the garbage a small request made. Beyond the bound the
     * body is read in steps, so a client that declares a large body and sends nothing holds no memory.
     */
    private static int exactLength(ServerRequest req, long declared) {
        boolean encoded = req.headers()
                .first(HeaderNames.CONTENT_ENCODING)
                .map(encoding -> !encoding.strip().equalsIgnoreCase("identity"))
                .orElse(false);
        return declared >= 0 && declared <= MAX_EXACT_READ && !encoded ? (int) declared : -1;
    }

    /**
     * Reads up to {@code limit} bytes of the body. A failure here is the client's framing (a chunk past
     * the server's payload limit, a chunk size that is not hex) or its connection, never a gateway bug;
     * the server's exceptions may quote the body, so nothing of them is passed on or logged.
     */
    private byte[] readAtMost(ServerRequest req, long limit, int exactLength) {
        try (BodyReadDeadline.Watch watch = deadline.watch()) {
            try (InputStream in = req.content().inputStream()) {
                if (exactLength >= 0) {
                    byte[] body = new byte[exactLength];
                    int read = in.readNBytes(body, 0, exactLength);
                    return read == exactLength ? body : Arrays.copyOf(body, read);
                }
                return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            } catch (RequestException e) {
                throw watch.expired()
                        ? timedOut()
                        : e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code() ? tooLarge() : unreadable();
            } catch (IOException
                    | UncheckedIOException
                    | DataReader.InsufficientDataAvailableException
                    | DataReader.IncorrectNewLineException
                    | HttpException
                    | CloseConnectionException
                    | NumberFormatException e) {
                // The connection or its framing failed, or the body's encoding: the client's doing. These are
                // Helidon's types for a closed or malformed body (a chunk size that is not hex is a
                // NumberFormatException); nothing of ours parses numbers while the bytes are read. Any other
                // exception is a bug and propagates as one.
                throw watch.expired()
                        ? timedOut()
                        : decodedTooLarge(e) ? tooLarge() : undecodable(e).orElseGet(RequestBodies::unreadable);
            }
        }
    }

    /** The server's own limit on a decompressed body ({@code max_body_bytes}), met while reading it. */
    private static boolean decodedTooLarge(Throwable failure) {
        return failure instanceof HttpException http
                && http.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code();
    }

    /** A body in an encoding the gateway refuses (415), or gzip that is not gzip (400); empty for anything else. */
    private static Optional<GatewayException> undecodable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RequestEncodings.Refused refused) {
                return Optional.of(new AbandonedBodyException(
                        ErrorType.UNSUPPORTED_MEDIA_TYPE,
                        refused.getMessage() + "; send the body uncompressed or with Content-Encoding: gzip",
                        Map.of()));
            }
            if (t instanceof ZipException) {
                return Optional.of(new AbandonedBodyException(
                        ErrorType.INVALID_REQUEST,
                        "Request body is not valid gzip data (Content-Encoding: gzip)",
                        Map.of()));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads and discards a body the handler left unread, so that its bytes are not taken for the next
     * request on the connection.
     *
     * @return true when the whole body was discarded; false when it is larger than
     *         {@value #MAX_DRAIN_BYTES} bytes, broken or late, and the connection must be closed instead
     */
    boolean drainUnread(ServerRequest req) {
        return drainUnread(req, MAX_DRAIN_BYTES);
    }

    /** {@link #drainUnread(ServerRequest)} up to {@code limit} bytes. */
    boolean drainUnread(ServerRequest req, int limit) {
        if (req.content().consumed()) {
            return true;
        }
        if (req.headers().contentLength().orElse(0) > limit) {
            return false;
        }
        InputStream body;
        try {
            body = req.content().inputStream();
        } catch (IllegalStateException openedBefore) {
            // the handler opened the body and stopped reading it (its error response closes the connection)
            return false;
        }
        try (BodyReadDeadline.Watch ignored = deadline.watch();
                InputStream in = body) {
            byte[] sink = new byte[8192];
            long discarded = 0;
            for (int n = in.read(sink); n >= 0; n = in.read(sink)) {
                discarded += n;
                if (discarded > limit) {
                    return false;
                }
            }
            return true;
        } catch (IOException
                | UncheckedIOException
                | DataReader.InsufficientDataAvailableException
                | DataReader.IncorrectNewLineException
                | HttpException
                | RequestException
                | CloseConnectionException
                | NumberFormatException e) {
            // the client's framing or connection failed, or the deadline closed it: nothing more to read
            return false;
        } catch (RuntimeException e) {
            // a bug: the connection is closed all the same, and the failure is logged as one
            UnexpectedFailures.log("discarding an unread request body", e);
            return false;
        }
    }

    /**
     * A body that did not arrive within the deadline: its connection was closed by the deadline's
     * interrupt, so no response can be sent; the server is told to drop the connection.
     */
    private CloseConnectionException timedOut() {
        return new CloseConnectionException(
                "request body not received within " + deadline.timeout().toSeconds() + " s");
    }

    private static GatewayException unreadable() {
        return new AbandonedBodyException(ErrorType.INVALID_REQUEST, "Request body could not be read", Map.of());
    }

    /** Jackson's messages name the input source; the client knows its own body. */
    private static String withoutSource(String message) {
        return message.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    /** The 413 for a body over the limit, also used when the server rejects one before routing. */
    public GatewayException tooLarge() {
        return new AbandonedBodyException(
                ErrorType.PAYLOAD_TOO_LARGE,
                "Request body exceeds the limit of " + maxBytes + " bytes",
                Map.of("limit_bytes", maxBytes));
    }
}
