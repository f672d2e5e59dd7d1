package dev.switchboard.server.keys;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.UsageTotals;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.limits.FreeModelUsage;
import dev.switchboard.server.http.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Renders keys in OpenRouter's shapes: the key object of {@code /keys} and the {@code data} of
 * {@code GET /key}. Spend comes from the generation records, those not yet stored included (UTC day,
 * week from Monday, month): {@code usage*} is what credits were charged (for BYOK requests, the fee),
 * {@code byok_usage*} what BYOK requests cost at list price, billed by the provider to the workspace's own
 * key. {@code limit_remaining} is the limit less the spend of the limit's period (its whole life without a
 * reset; BYOK spend counted when {@code include_byok_in_limit}), never below zero. The official SDK requires a workspace id on key
 * objects; every key has one ({@code default} until workspaces can be made). A key's own rates are in
 * {@code rate_limit} ({@code requests_per_minute}, {@code tokens_per_minute}, null when not set); in
 * {@code GET /key} they join OpenRouter's legacy {@code rate_limit} object. {@code free_model_daily_requests}
 * is the workspace's count today against the free models' daily limit.
 */
final class KeyRenderer {
    private final GenerationLog generations;
    private final Clock clock;
    private final Predicate<String> everGranted;
    private final Function<String, FreeModelUsage> freeModelUsage;

    /**
     * @param everGranted    whether a workspace was ever granted credits (its keys are then not free tier)
     * @param freeModelUsage a workspace's free-model requests today
     */
    KeyRenderer(
            GenerationLog generations,
            Clock clock,
            Predicate<String> everGranted,
            Function<String, FreeModelUsage> freeModelUsage) {
        this.generations = generations;
        this.clock = clock;
        this.everGranted = everGranted;
        this.freeModelUsage = freeModelUsage;
    }

    ObjectNode keyObject(ApiKey key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("hash", key.hash());
        out.put("name", key.name());
        out.put("label", key.label());
        out.put("disabled", key.disabled());
        UsageTotals usage = usage(key);
        UsageTotals byok = byokUsage(key);
        putLimits(out, key, usage, byok);
        putUsage(out, usage, byok);
        out.put("created_at", key.createdAt().toString());
        out.put("updated_at", key.updatedAt().toString());
        putExpiry(out, key);
        putRates(out.putObject("rate_limit"), key.rateLimit());
        out.putNull("creator_user_id");
        out.putNull("external_user");
        out.put("workspace_id", key.workspaceId());
        return out;
    }

    ObjectNode currentKey(ApiKey key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("label", key.label());
        UsageTotals usage = usage(key);
        UsageTotals byok = byokUsage(key);
        putLimits(out, key, usage, byok);
        putUsage(out, usage, byok);
        out.put("is_free_tier", !everGranted.test(key.workspaceId()));
        out.put("is_management_key", key.management());
        out.put("is_provisioning_key", key.management());
        out.putNull("creator_user_id");
        putExpiry(out, key);
        // OpenRouter's legacy object, then the key's own rates (ours) in the same object
        ObjectNode rateLimit = out.putObject("rate_limit");
        rateLimit.put("requests", -1);
        rateLimit.put("interval", "10s");
        rateLimit.put("note", "This field is deprecated and safe to ignore.");
        putRates(rateLimit, key.rateLimit());
        out.putArray("allowed_data_regions");
        // -1 when free models are not limited (limits.free_models: false), as in rate_limit
        FreeModelUsage freeToday = freeModelUsage.apply(key.workspaceId());
        ObjectNode free = out.putObject("free_model_daily_requests");
        free.put("limit", freeToday.limit());
        free.put("remaining", freeToday.remaining());
        free.put("used", freeToday.used());
        out.putNull("organization_id");
        out.put("workspace_id", key.workspaceId());
        return out;
    }

    /**
     * The key's limit and what is left of it in the current period (never below zero): its credit spend,
     * and its BYOK spend at list price too when its limit includes BYOK.
     */
    private static void putLimits(ObjectNode out, ApiKey key, UsageTotals credits, UsageTotals byok) {
        ApiKey.Spending spending = key.spending();
        UsageTotals usage = spending.includeByokInLimit() ? credits.plus(byok) : credits;
        if (spending.limit().isEmpty()) {
            out.putNull("limit");
            out.putNull("limit_remaining");
        } else {
            BigDecimal limit = spending.limit().get();
            BigDecimal spent = spending.reset()
                    .map(reset -> switch (reset) {
                        case DAILY -> usage.daily();
                        case WEEKLY -> usage.weekly();
                        case MONTHLY -> usage.monthly();
                    })
                    .orElse(usage.total());
            Json.putMoney(out, "limit", limit);
            Json.putMoney(out, "limit_remaining", limit.subtract(spent).max(BigDecimal.ZERO));
        }
        spending.reset()
                .ifPresentOrElse(reset -> out.put("limit_reset", reset.wireName()), () -> out.putNull("limit_reset"));
        out.put("include_byok_in_limit", spending.includeByokInLimit());
    }

    /** The key's own rates; null for a rate it does not have. */
    private static void putRates(ObjectNode out, RateLimit rates) {
        putOptional(out, "requests_per_minute", rates.requestsPerMinute());
        putOptional(out, "tokens_per_minute", rates.tokensPerMinute());
    }

    private static void putOptional(ObjectNode out, String field, OptionalLong value) {
        if (value.isPresent()) {
            out.put(field, value.getAsLong());
        } else {
            out.putNull(field);
        }
    }

    private static void putExpiry(ObjectNode out, ApiKey key) {
        key.spending()
                .expiresAt()
                .ifPresentOrElse(at -> out.put("expires_at", at.toString()), () -> out.putNull("expires_at"));
    }

    private static void putUsage(ObjectNode out, UsageTotals usage, UsageTotals byok) {
        Json.putMoney(out, "usage", usage.total());
        Json.putMoney(out, "usage_daily", usage.daily());
        Json.putMoney(out, "usage_weekly", usage.weekly());
        Json.putMoney(out, "usage_monthly", usage.monthly());
        Json.putMoney(out, "byok_usage", byok.total());
        Json.putMoney(out, "byok_usage_daily", byok.daily());
        Json.putMoney(out, "byok_usage_weekly", byok.weekly());
        Json.putMoney(out, "byok_usage_monthly", byok.monthly());
    }

    private UsageTotals usage(ApiKey key) {
        Periods p = periods();
        return generations.usage(key.hash(), p.day(), p.week(), p.month());
    }

    private UsageTotals byokUsage(ApiKey key) {
        Periods p = periods();
        return generations.byokUsage(key.hash(), p.day(), p.week(), p.month());
    }

    /** The starts of the current UTC day, week (from Monday) and month. */
    private record Periods(Instant day, Instant week, Instant month) {}

    private Periods periods() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        ZonedDateTime day = now.truncatedTo(ChronoUnit.DAYS);
        Instant week =
                day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
        return new Periods(day.toInstant(), week, day.withDayOfMonth(1).toInstant());
    }
}
