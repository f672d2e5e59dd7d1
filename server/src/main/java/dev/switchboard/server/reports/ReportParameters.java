package dev.switchboard.server.reports;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.http.QueryParameters;
import io.helidon.webserver.http.ServerRequest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of the report endpoints, each read with its bound and refused with a 400 that
 * names it. A parameter sent empty counts as not sent.
 */
final class ReportParameters {
    /** Longest identifier (workspace, user) a filter takes. */
    static final int MAX_ID = 256;

    private final ServerRequest request;

    ReportParameters(ServerRequest request) {
        this.request = request;
    }

    /** The parameter's value, trimmed; empty when absent or blank. */
    Optional<String> text(String name) {
        return request.query().first(name).map(String::strip).filter(value -> !value.isEmpty());
    }

    /** An identifier of 1 to {@value #MAX_ID} characters. */
    Optional<String> id(String name) {
        Optional<String> value = text(name);
        if (value.isPresent() && value.get().length() > MAX_ID) {
            throw invalid(name, "`" + name + "` must be at most " + MAX_ID + " characters");
        }
        return value;
    }

    /** A UTC date, {@code YYYY-MM-DD}, from {@code earliest} to {@code latest}. */
    Optional<LocalDate> date(String name, LocalDate earliest, LocalDate latest, String range) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(value.get());
            if (!date.isBefore(earliest) && !date.isAfter(latest)) {
                return Optional.of(date);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid(name, "`" + name + "` must be a UTC date (YYYY-MM-DD) " + range);
    }

    /** An integer from {@code min} to {@code max}, {@code fallback} when absent. */
    int bounded(String name, int fallback, int min, int max) {
        return QueryParameters.integer(text(name), name, fallback, min, max);
    }

    static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }
}
