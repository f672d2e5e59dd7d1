package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.accounting.CreditBook;
import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.storage.CreditStore;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.QueryParameters;
import dev.switchboard.server.http.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Workspace credits, management key only: {@code GET /credits} (OpenRouter's {@code total_credits} and
 * {@code total_usage}, and ours, {@code credits_enforced}); {@code POST /credits/grants} adds a ledger
 * entry (a grant unless {@code kind} says refund, fee or adjustment), idempotent by its {@code id}: sent
 * again, the same entry answers 200 instead of 201 and is booked once; {@code GET /credits/entries} lists
 * the entries, newest first. Switchboard takes no payments: credits are granted by an operator (here or
 * with {@code switchboard credits grant}).
 */
public final class CreditEndpoints {
    private static final Set<String> GRANT_FIELDS = Set.of("amount", "id", "kind", "note");
    /** More than a billion dollars in one entry is a typo. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    private final KeyRegistry keys;
    private final CreditBook book;
    private final CreditStore store;
    private final RequestBodies bodies;
    private final ObjectMapper json;
    private final Clock clock;
    private final Consumer<String> entryAdded;

    /**
     * @param entryAdded told the workspace of each entry added, for caches of the ledger besides the book's
     *                   (the free models' limit reads what was granted)
     */
    public CreditEndpoints(
            KeyRegistry keys,
            CreditBook book,
            CreditStore store,
            RequestBodies bodies,
            ObjectMapper json,
            Clock clock,
            Consumer<String> entryAdded) {
        this.keys = keys;
        this.book = book;
        this.store = store;
        this.bodies = bodies;
        this.json = json;
        this.clock = clock;
        this.entryAdded = entryAdded;
    }

    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/credits", this::credits)
                .add(Method.POST, "/credits/grants", this::grant)
                .add(Method.GET, "/credits/entries", this::entries);
    }

    private void credits(ServerRequest req, ServerResponse res) {
        ApiKey caller = keys.authenticateManagement(authorization(req));
        CreditBook.Balance balance = book.balance(caller.workspaceId());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode data = out.putObject("data");
        Json.putMoney(data, "total_credits", balance.credits());
        Json.putMoney(data, "total_usage", balance.usage());
        data.put("credits_enforced", book.enforcesCredits());
        send(res, 200, out);
    }

    private void grant(ServerRequest req, ServerResponse res) {
        ApiKey caller = keys.authenticateManagement(authorization(req));
        JsonNode body = bodies.readJson(req);
        if (!body.isObject()) {
            throw GatewayException.invalidRequest("Request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!GRANT_FIELDS.contains(field)) {
                throw invalid(field, "`" + field + "` is not a field of a credit entry (amount, id, kind, note)");
            }
        });
        CreditEntry.Kind kind = CreditEntry.Kind.parse(text(body, "kind", "grant"))
                .orElseThrow(() -> invalid("kind", "`kind` must be grant, refund, fee or adjustment"));
        String id = text(body, "id", UUID.randomUUID().toString());
        String note = text(body, "note", "");
        if (id.isBlank() || id.length() > CreditEntry.MAX_ID) {
            throw invalid("id", "`id` must be 1 to " + CreditEntry.MAX_ID + " characters");
        }
        if (note.length() > CreditEntry.MAX_NOTE) {
            throw invalid("note", "`note` must be at most " + CreditEntry.MAX_NOTE + " characters");
        }
        BigDecimal amount = amount(body.get("amount"));
        CreditEntry entry;
        try {
            entry = new CreditEntry(id, caller.workspaceId(), kind, amount, clock.instant(), note);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    "amount", "`amount` must be positive for a grant or refund, negative for a fee, and not zero");
        }
        boolean added;
        try {
            added = store.append(entry);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorType.CONFLICT, "Another credit entry has the id " + id, Map.of("param", "id"));
        }
        book.creditsChanged(caller.workspaceId());
        entryAdded.accept(caller.workspaceId());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("data", entryJson(entry));
        send(res, added ? 201 : 200, out);
    }

    private void entries(ServerRequest req, ServerResponse res) {
        ApiKey caller = keys.authenticateManagement(authorization(req));
        int offset = QueryParameters.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = QueryParameters.integer(req, "limit", 100, 1, 100);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode data = out.putArray("data");
        store.entries(caller.workspaceId(), offset, limit).forEach(e -> data.add(entryJson(e)));
        send(res, 200, out);
    }

    private static ObjectNode entryJson(CreditEntry entry) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", entry.id());
        out.put("workspace_id", entry.workspaceId());
        out.put("kind", entry.kind().wireName());
        Json.putMoney(out, "amount", entry.amount());
        out.put("created_at", entry.createdAt().toString());
        out.put("note", entry.note());
        return out;
    }

    /** An exact amount of USD, from a number or a decimal string. */
    private static BigDecimal amount(@Nullable JsonNode value) {
        BigDecimal amount = UsdAmount.read(value)
                .orElseThrow(() -> invalid("amount", "`amount` is required: a number of USD or a decimal string"));
        if (amount.abs().compareTo(MAX_AMOUNT) > 0) {
            throw invalid("amount", "`amount` must be at most " + MAX_AMOUNT.toPlainString() + " USD either way");
        }
        return amount;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw invalid(field, "`" + field + "` must be a string");
        }
        return value.textValue().strip();
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorType.INVALID_REQUEST, message, Map.of("param", param));
    }

    private static @Nullable String authorization(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    }

    private void send(ServerResponse res, int status, ObjectNode body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }
}
