package dev.switchboard.core.routing.names;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model id with request parameters after it in a URI's query syntax, as clients that can set only a
 * model name send them: {@code author/model?temperature=0.7&top_p=0.9}.
 *
 * <p>The query is {@code name=value} pairs joined by {@code &}, each name and value percent-decoded
 * ({@code +} is a space). Every pair needs a name and a value; a name may appear once. At most
 * {@link #MAX_PARAMETERS} pairs and {@link #MAX_QUERY} characters. What the names mean and which are
 * accepted is the wire format's business; this only splits.
 *
 * @param id         the model id, without the query
 * @param parameters the pairs in the order written
 */
public record ModelQuery(String id, List<Parameter> parameters) {
    /** Parameters one model id may carry. */
    public static final int MAX_PARAMETERS = 16;
    /** The longest query, in characters. */
    public static final int MAX_QUERY = 1_024;

    /** One {@code name=value} pair, decoded. */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public ModelQuery {
        Objects.requireNonNull(id, "id");
        parameters = List.copyOf(parameters);
    }

    /** Whether {@code text} carries a query: the cheap test before {@link #parse}. */
    public static boolean hasQuery(String text) {
        return text.indexOf('?') >= 0;
    }

    /**
     * Splits {@code text} at its first {@code ?}; without one, the whole text is the id.
     *
     * @param field the request field the text came from ({@code model}), named by errors
     * @throws GatewayException 400 naming the field and the pair for a malformed query
     */
    public static ModelQuery parse(String text, String field) {
        int mark = text.indexOf('?');
        if (mark < 0) {
            return new ModelQuery(text, List.of());
        }
        String query = text.substring(mark + 1);
        if (query.isEmpty()) {
            throw malformed(field, "nothing follows '?'");
        }
        if (query.length() > MAX_QUERY) {
            throw malformed(field, "the parameters are longer than " + MAX_QUERY + " characters");
        }
        String[] pairs = query.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw malformed(field, "at most " + MAX_PARAMETERS + " parameters may follow a model id");
        }
        List<Parameter> parameters = new ArrayList<>(pairs.length);
        Set<String> seen = new HashSet<>();
        for (String pair : pairs) {
            Parameter parameter = pair(pair, field);
            if (!seen.add(parameter.name())) {
                throw malformed(field, "parameter '" + parameter.name() + "' is given twice");
            }
            parameters.add(parameter);
        }
        return new ModelQuery(text.substring(0, mark), parameters);
    }

    private static Parameter pair(String pair, String field) {
        int equals = pair.indexOf('=');
        if (equals <= 0 || equals == pair.length() - 1) {
            throw malformed(field, "'" + pair + "' is not name=value");
        }
        return new Parameter(decode(pair.substring(0, equals), field), decode(pair.substring(equals + 1), field));
    }

    private static String decode(String text, String field) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(field, "'" + text + "' is not percent-encoded correctly");
        }
    }

    private static GatewayException malformed(String field, String reason) {
        return new GatewayException(
                ErrorType.INVALID_REQUEST,
                "Malformed model parameters in `" + field + "`: " + reason,
                Map.of("param", field));
    }
}
