package dev.switchboard.server.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageException;
import dev.switchboard.core.storage.StorageProblem;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /health}: whether the gateway can do its work, for load balancers, orchestrators and
 * operators.
 *
 * <ul>
 *   <li>200 {@code {"status":"ok"}} when nothing is wrong;</li>
 *   <li>200 {@code {"status":"degraded","problems":[…]}} while generation records cannot be stored but
 *       fewer than {@code storage.max_pending_records} wait in memory: requests are still served;</li>
 *   <li>503 {@code {"status":"unavailable","problems":[…]}} when the database file was deleted or
 *       replaced under the gateway (only the operator can repair that), or while new chat requests are
 *       refused because the backlog is at its bound.</li>
 * </ul>
 * Each problem is {@code {"code","message"}}, the message one sentence without paths or internals;
 * the log has the details. The check costs a stat of the database file and a few reads. Thread-safe.
 */
public final class HealthCheck {
    private final Storage storage;
    private final GenerationLog generations;
    private final ObjectMapper json;

    public HealthCheck(Storage storage, GenerationLog generations, ObjectMapper json) {
        this.storage = storage;
        this.generations = generations;
        this.json = json;
    }

    public void handle(ServerRequest req, ServerResponse res) {
        List<Problem> problems = problems();
        boolean unavailable = problems.stream().anyMatch(Problem::fatal);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", problems.isEmpty() ? "ok" : unavailable ? "unavailable" : "degraded");
        if (!problems.isEmpty()) {
            ArrayNode list = body.putArray("problems");
            problems.forEach(p -> list.addObject().put("code", p.code()).put("message", p.message()));
        }
        res.status(unavailable ? 503 : 200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    /** One thing wrong; {@code fatal} when the gateway cannot do its work until it is repaired. */
    private record Problem(String code, String message, boolean fatal) {}

    private List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        storage.problem().map(HealthCheck::fatal).ifPresent(problems::add);
        Optional<StorageException.Reason> failing = generations.writeFailure();
        failing.ifPresent(reason -> problems.add(new Problem(
                "generation_writes_failing",
                "Records of finished requests" + " cannot be stored (" + reason.summary() + "); "
                        + generations.backlog() + " are waiting in memory.",
                false)));
        if (generations.backlog() >= generations.maxPending()) {
            problems.add(new Problem(
                    "backlog_full",
                    "New chat requests are refused: " + generations.backlog()
                            + " records of finished requests are waiting to be stored, the limit is "
                            + generations.maxPending() + ".",
                    true));
        }
        return problems;
    }

    private static Problem fatal(StorageProblem problem) {
        return new Problem(problem.code(), problem.summary(), true);
    }
}
