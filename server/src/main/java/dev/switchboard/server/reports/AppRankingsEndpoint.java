package dev.switchboard.server.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.keys.KeyRegistry;
import dev.switchboard.core.report.AppUsage;
import dev.switchboard.core.report.RankingPeriod;
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

/**
 * {@code GET /apps} (ours; management key): the apps that used the gateway over a UTC day, week (from
 * Monday) or month ({@code period}, default {@code week}), the one holding {@code date} (default today),
 * most prompt and completion tokens first, at most {@code limit} (1 to {@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}). An app is its {@code HTTP-Referer}, named by the last
 * {@code X-OpenRouter-Title} (or {@code X-Title}) it sent, with the categories of its
 * {@code X-OpenRouter-Categories}; see {@link dev.switchboard.core.report.AppIdentity}. Read from the app
 * aggregates, never from the generation records.
 */
public final class AppRankingsEndpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    /** The earliest date a ranking may be asked for; before it is surely a typo. */
    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    private final KeyRegistry keys;
    private final ReportStore reports;
    private final ObjectMapper json;
    private final Clock clock;

    public AppRankingsEndpoint(KeyRegistry keys, ReportStore reports, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.reports = reports;
        this.json = json;
        this.clock = clock;
    }

    public void register(ApiRouteTable routes) {
        routes.add(Method.GET, "/apps", this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        keys.authenticateManagement(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        ReportParameters params = new ReportParameters(req);
        RankingPeriod period = params.text("period")
                .map(name -> RankingPeriod.parse(name)
                        .orElseThrow(() -> ReportParameters.invalid("period", "`period` must be day, week or month")))
                .orElse(RankingPeriod.WEEK);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate date = params.date("date", EARLIEST, today, "from " + EARLIEST + " to today")
                .orElse(today);
        int limit = params.bounded("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        LocalDate first = period.first(date);
        LocalDate last = period.last(date);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        reports.apps(first, last, limit).forEach(app -> render(data, app));
        body.put("period", period.wireName());
        body.put("start_date", first.toString());
        body.put("end_date", last.toString());
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json, body));
    }

    private static void render(ArrayNode data, AppUsage app) {
        ObjectNode out = data.addObject();
        out.put("app", app.app());
        out.put("title", app.title().orElse(null));
        app.categories().forEach(out.putArray("categories")::add);
        out.put("requests", app.requests());
        out.put("prompt_tokens", app.promptTokens());
        out.put("completion_tokens", app.completionTokens());
        out.put("total_tokens", app.totalTokens());
    }
}
