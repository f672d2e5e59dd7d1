package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.server.http.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Renders keys in OpenRouter's shapes: the key object of {@code /keys} and the {@code data} of
 * {@code GET /key}. Spend comes from the generation records, those not yet stored included (UTC day,
 * week from Monday, month). Spend limits arrive with credits; until then {@code limit} is null
 * (unlimited). Every key belongs to the one implicit workspace, {@value #WORKSPACE} (the official
 * SDK requires a workspace id on key objects).
 */
final class KeyRenderer {
    static final String WORKSPACE = "default";
    private final GenerationLog generations;
    private final Clock clock;

    KeyRenderer(GenerationLog generations, Clock clock) {
        this.generations = generations;
        this.clock = clock;
    }

    ObjectNode keyObject(ApiKey key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("hash", key.hash());
        out.put("name", key.name());
        out.put("label", key.label());
        out.put("disabled", key.disabled());
        putLimits(out);
        putUsage(out, usage(key));
        out.put("created_at", key.createdAt().toString());
        out.put("updated_at", key.updatedAt().toString());
        out.putNull("expires_at");
        out.putNull("creator_user_id");
        out.putNull("external_user");
        out.put("workspace_id", WORKSPACE);
        return out;
    }

    ObjectNode currentKey(ApiKey key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("label", key.label());
        putLimits(out);
        putUsage(out, usage(key));
        out.put("is_free_tier", false);
        out.put("is_management_key", key.management());
        out.put("is_provisioning_key", key.management());
        out.putNull("creator_user_id");
        out.putNull("expires_at");
        ObjectNode rateLimit = out.putObject("rate_limit");
        rateLimit.put("requests", -1);
        rateLimit.put("interval", "10s");
        rateLimit.put("note", "This field is deprecated and safe to ignore.");
        out.putArray("allowed_data_regions");
        // A self-hosted gateway has no free-model daily cap: -1 means "no limit", as in rate_limit.
        ObjectNode free = out.putObject("free_model_daily_requests");
        free.put("limit", -1);
        free.put("remaining", -1);
        free.put("used", 0);
        out.putNull("organization_id");
        out.put("workspace_id", WORKSPACE);
        return out;
    }

    private static void putLimits(ObjectNode out) {
        out.putNull("limit");
        out.putNull("limit_remaining");
        out.putNull("limit_reset");
        out.put("include_byok_in_limit", false);
    }

    private static void putUsage(ObjectNode out, UsageTotals usage) {
        Json.putMoney(out, "usage", usage.total());
        Json.putMoney(out, "usage_daily", usage.daily());
        Json.putMoney(out, "usage_weekly", usage.weekly());
        Json.putMoney(out, "usage_monthly", usage.monthly());
        Json.putMoney(out, "byok_usage", BigDecimal.ZERO);
        Json.putMoney(out, "byok_usage_daily", BigDecimal.ZERO);
        Json.putMoney(out, "byok_usage_weekly", BigDecimal.ZERO);
        Json.putMoney(out, "byok_usage_monthly", BigDecimal.ZERO);
    }

    private UsageTotals usage(ApiKey key) {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        ZonedDateTime day = now.truncatedTo(ChronoUnit.DAYS);
        Instant week =
                day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
        Instant month = day.withDayOfMonth(1).toInstant();
        return generations.usage(key.hash(), day.toInstant(), week, month);
    }
}
