package dev.switchboard.server.metrics;

import dev.switchboard.core.generation.GenerationLog;
import dev.switchboard.core.generation.GenerationRecord;
import dev.switchboard.core.storage.Storage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's Prometheus metrics, scraped at {@code GET /metrics}:
 * <ul>
 *   <li>{@code switchboard_chat_requests_total{status,streamed,provider}}: every routed request, by the
 *       status the client got (200 for streams whose error came in-band) — one per generation record;</li>
 *   <li>{@code switchboard_chat_errors_total{error_type,provider}}: routed requests that failed, by
 *       OpenRouter error type ({@code timeout}, {@code provider_unavailable}, ...);</li>
 *   <li>{@code switchboard_chat_cancelled_total{provider}}: streams the client abandoned;</li>
 *   <li>{@code switchboard_tokens_total{direction}}: prompt and completion tokens billed;</li>
 *   <li>{@code switchboard_generation_backlog}: records handed over but not yet stored;</li>
 *   <li>{@code switchboard_generation_backlog_limit}: the backlog at which new chat requests are refused
 *       ({@code storage.max_pending_records});</li>
 *   <li>{@code switchboard_generation_refused_total}: chat requests refused with 503 because the backlog
 *       was at its limit;</li>
 *   <li>{@code switchboard_generation_write_failures_total}: writes of generation records the database
 *       refused (a batch split in parts counts once per part);</li>
 *   <li>{@code switchboard_generation_writes_failing}: 1 while generation records cannot be stored, else 0;</li>
 *   <li>{@code switchboard_storage_file_ok}: 1 while the database file at its path is the one the gateway
 *       opened, 0 once it was deleted or replaced (see the log and {@code GET /health}).</li>
 * </ul>
 * Tags have low cardinality by construction (statuses, provider slugs, error types). Counters are
 * cached per tag set so that recording costs one map read and an adder increment. Thread-safe.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter promptTokens;
    private final Counter completionTokens;

    public GatewayMetrics(GenerationLog generations, Storage storage) {
        promptTokens =
                Counter.builder("switchboard.tokens").tag("direction", "prompt").register(registry);
        completionTokens = Counter.builder("switchboard.tokens")
                .tag("direction", "completion")
                .register(registry);
        Gauge.builder("switchboard.generation.backlog", generations, GenerationLog::backlog)
                .register(registry);
        Gauge.builder("switchboard.generation.backlog.limit", generations, GenerationLog::maxPending)
                .register(registry);
        FunctionCounter.builder("switchboard.generation.refused", generations, GenerationLog::refused)
                .register(registry);
        FunctionCounter.builder("switchboard.generation.write.failures", generations, GenerationLog::writeFailures)
                .register(registry);
        Gauge.builder(
                        "switchboard.generation.writes.failing",
                        generations,
                        g -> g.writeFailure().isPresent() ? 1 : 0)
                .register(registry);
        Gauge.builder("switchboard.storage.file.ok", storage, s -> s.problem().isEmpty() ? 1 : 0)
                .register(registry);
    }

    /** Records one finished, routed request. */
    public void record(GenerationRecord record) {
        counter(
                        "switchboard.chat.requests",
                        "status",
                        Integer.toString(record.status()),
                        "streamed",
                        Boolean.toString(record.streamed()),
                        "provider",
                        record.providerSlug())
                .increment();
        record.errorType()
                .ifPresent(type -> counter(
                                "switchboard.chat.errors", "error_type", type, "provider", record.providerSlug())
                        .increment());
        if (record.cancelled()) {
            counter("switchboard.chat.cancelled", "provider", record.providerSlug())
                    .increment();
        }
        promptTokens.increment((double) record.tokensPrompt());
        completionTokens.increment((double) record.tokensCompletion());
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("\u0000", tags);
        return counters.computeIfAbsent(
                key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
