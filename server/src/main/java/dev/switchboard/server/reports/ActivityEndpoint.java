package dev.switchboard.server.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.report.ActivityCounts;
import dev.switchboard.core.report.ActivityItem;
import dev.switchboard.core.report.ActivityQuery;
import dev.switchboard.core.report.ActivityReport;
import dev.switchboard.core.storage.ReportStore;
import dev.switchboard.server.http.ApiRouteTable;
import dev.switchboard.server.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /activity} (management key): spend and tokens per UTC day, model and endpoint, in OpenRouter's
 * {@code ActivityResponse} shape, read from the activity aggregates, never from the generation records.
 *
 * <p>It covers the last 30 completed UTC days and, unlike OpenRouter, today so far, since the aggregates
 * are kept up as records are stored. {@code date} narrows that to one day (another day is a 400);
 * {@code api_key_hash} to one key (its SHA-256, 64 hex digits) and {@code workspace_id} to one workspace;
 * {@code group_by=workspace} splits each item per workspace and names it. {@code user_id} (an organization
 * member at OpenRouter) is accepted and has no effect: Switchboard has no organization members. By default
 * items are summed over every workspace of the gateway. {@code endpoint_id} is {@code <provider>:<model>}
 * as in {@code GET /generation}'s attempts, and {@code model_permaslug} is the model's id (the catalog has
 * no dated slugs).
 */
public final class ActivityEndpoint {
    /** Completed days covered besides today. */
    static final int DAYS = ActivityQuery.MAX_DAYS - 1;

    private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");

    private final KeyRegistry keys;
    private final ReportStore reports;
    private final ObjectMapper json;
    private final Clock clock;

    public ActivityEndpoint(KeyRegistry keys, ReportStore reports, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.reports = reports;
        this.json = json;
        this.clock = clock;
    }

    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/activity", this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        ReportParameters params = new ReportParameters(req);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate earliest = today.minusDays(DAYS);
        Optional<LocalDate> date =
                params.date("date", earliest, today, "within the last " + DAYS + " days (" + earliest + " on)");
        Optional<String> keyHash = params.text("api_key_hash").map(hash -> hash.toLowerCase(Locale.ROOT));
        if (keyHash.isPresent() && !KEY_HASH.matcher(keyHash.get()).matches()) {
            throw ReportParameters.invalid("api_key_hash", "`api_key_hash` must be a key's SHA-256 (64 hex digits)");
        }
        Optional<String> workspace = params.id("workspace_id");
        params.id("user_id");
        Optional<String> groupBy = params.text("group_by");
        if (groupBy.isPresent() && !groupBy.get().equals("workspace")) {
            throw ReportParameters.invalid("group_by", "`group_by` must be workspace");
        }
        ActivityQuery query = new ActivityQuery(date.orElse(earliest), date.orElse(today), workspace, keyHash);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        ActivityReport.items(reports.activity(query), groupBy.isPresent()).forEach(item -> render(data, item));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    private static void render(ArrayNode data, ActivityItem item) {
        ObjectNode out = data.addObject();
        ActivityCounts counts = item.counts();
        out.put("date", item.date().toString());
        out.put("model", item.model());
        out.put("model_permaslug", item.model());
        out.put("endpoint_id", item.endpointId());
        out.put("provider_name", item.providerName());
        Json.putMoney(out, "usage", counts.usage());
        Json.putMoney(out, "byok_usage_inference", counts.byokUsage());
        out.put("requests", counts.requests());
        out.put("prompt_tokens", counts.promptTokens());
        out.put("completion_tokens", counts.completionTokens());
        out.put("reasoning_tokens", counts.reasoningTokens());
        item.workspaceId().ifPresent(workspace -> out.put("workspace_id", workspace));
    }
}
