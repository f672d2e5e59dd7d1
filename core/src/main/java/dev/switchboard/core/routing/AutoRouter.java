package dev.switchboard.core.routing;

import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.TaskClassifier.Task;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.HealthSnapshot;
import dev.switchboard.model.chat.AutoRouterOptions;
import dev.switchboard.model.chat.AutoRouterOptions.CostTier;
import dev.switchboard.model.chat.ChatRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code openrouter/auto} router (also {@code switchboard/auto}): chooses models for a request by
 * what it asks for and a cost tier, from the catalog and live health. The planner then plans the chosen
 * models as it plans a {@code models} list.
 *
 * <p>Design note. OpenRouter ranks models for a task by the community's share of spend on them; a
 * self-hosted gateway has no such data, so this router is deterministic and can explain every choice:
 * <ol>
 *   <li>Task: {@link TaskClassifier} names one (general, coding, tool use, reasoning, long context,
 *       vision) from the request's shape and its last user message.</li>
 *   <li>Candidates: every catalog model that is not a variant ({@code :free}, {@code :extended}, ...),
 *       has an endpoint whose provider can be called, is allowed by the {@code auto-router} plugin's
 *       {@code allowed_models} and {@code excluded_models}, and takes what the request needs: its input
 *       modalities; {@code tools} and {@code response_format} when sent; every parameter sent when
 *       {@code provider.require_parameters} is on; and, in its largest context, the estimated prompt
 *       plus {@code max_tokens} (twice that when the request turned context compression on).</li>
 *   <li>Tiers: a candidate's price is its cheapest callable endpoint's prompt plus completion price per
 *       token, and its percentile the share of candidates strictly cheaper (so equal prices share a
 *       band). Percentiles 0–20 are {@code low}, 20–40 {@code medium}, 40–60 {@code high}, 60–80
 *       {@code xhigh}, 80–100 {@code max}. The plugin's {@code cost_tier} chooses the band,
 *       {@code medium} ({@link #DEFAULT_TIER}) when it gives none.</li>
 *   <li>Rank within a band, best first: models with an endpoint free of trouble (no recent outage, no
 *       open or half-open circuit, no 429 cool-down) before the others; then by score, the task's fit
 *       points less a health penalty; then the newer model ({@code created}); then the cheaper; then
 *       the id. The penalty takes each model's best endpoint: a point per 10 points of uptime (over 30
 *       minutes) below 100 %, and up to half a point for a p50 throughput under
 *       {@value #SLOW_TOKENS_PER_SECOND} tokens per second. Unmeasured counts as healthy: nothing is held
 *       against a model for lack of traffic.</li>
 *   <li>Fallbacks: when the band holds fewer than {@value #MAX_RANKED} candidates, the nearest bands
 *       follow (at equal distance, the cheaper first), each ranked the same way. The planner takes the
 *       first {@value #MAX_MODELS} of these with an endpoint that passes the request's {@code provider}
 *       filters: the first answers, the others are its fallbacks.</li>
 *   <li>{@code pin_model}, when given, goes first whatever its tier or task (the parser has checked that
 *       the patterns allow it); the ranked models follow it as fallbacks.</li>
 * </ol>
 * Fit points come from catalog metadata only: coding 2 when the model's id or name mentions code
 * ({@code code}, {@code coder}, {@code codex}, {@code codestral}, {@code devstral}), 1 for
 * {@code reasoning}, 1 for {@code tools}; tool use 1 each for {@code tool_choice},
 * {@code parallel_tool_calls}, {@code structured_outputs}, {@code reasoning}; reasoning 2 for
 * {@code reasoning}, 1 for {@code include_reasoning}; long context 1 each for a context of 200,000,
 * 500,000 and 1,000,000 tokens or more; vision 1 each for taking files, {@code structured_outputs}, {@code reasoning}; general
 * none, so that the newest healthy model of the tier wins.
 *
 * <p>Cost. Once per catalog snapshot (the first request after a load or reload): each model's price,
 * largest context and fit points, sorted by price. Per request: the classification (at most 4,096
 * characters read), one pass over the candidates with a few set lookups and the pattern matches, and
 * health snapshots only for the models of the bands ranked (usually one fifth). No I/O, no locks;
 * thread-safe.
 */
final class AutoRouter {
    static final Set<String> IDS = Set.of("openrouter/auto", "switchboard/auto");
    static final CostTier DEFAULT_TIER = CostTier.MEDIUM;
    /** Models a plan takes from the router: the one that answers and its fallbacks. */
    static final int MAX_MODELS = 3;
    /** Models handed to the planner, best first, of which it keeps {@value #MAX_MODELS}. */
    static final int MAX_RANKED = 8;

    static final double SLOW_TOKENS_PER_SECOND = 20;

    private static final int BANDS = CostTier.values().length;
    private static final Index EMPTY = new Index(new Catalog(List.of(), List.of()), List.of());

    private final EndpointHealth health;
    /** Replaced whole when the catalog is; two requests racing after a reload may both build it, harmlessly. */
    private volatile Index index = EMPTY;

    AutoRouter(EndpointHealth health) {
        this.health = health;
    }

    /**
     * The models for {@code request}, best first: the pinned model, then up to {@value #MAX_RANKED} in
     * all from the ranked bands.
     *
     * @param router the router id the request named, for errors
     * @throws GatewayException 400 for a pinned model the catalog does not have; 404 when no model is
     *     a candidate and none is pinned
     */
    List<Model> choose(Catalog catalog, ChatRequest request, RequestNeeds needs, String router) {
        AutoRouterOptions options = request.autoRouter();
        List<Model> chosen = new ArrayList<>(MAX_RANKED);
        options.pinModel()
                .ifPresent(
                        pin -> chosen.add(catalog.model(pin).orElseThrow(() -> GatewayException.modelNotFound(pin))));
        List<Entry> candidates = candidates(index(catalog), request, needs);
        if (candidates.isEmpty() && chosen.isEmpty()) {
            throw GatewayException.unavailable(
                    ErrorType.NOT_FOUND,
                    "No model that " + router + " may choose takes what this request needs",
                    new Availability("no_endpoints", false, List.of(router)));
        }
        Task task = TaskClassifier.classify(request, needs);
        int[] bands = bands(candidates);
        int wanted = band(options.costTier().orElse(DEFAULT_TIER));
        for (int distance = 0; distance < BANDS && chosen.size() < MAX_RANKED; distance++) {
            addBand(chosen, candidates, bands, wanted - distance, task);
            if (distance > 0) {
                addBand(chosen, candidates, bands, wanted + distance, task);
            }
        }
        return chosen;
    }

    /** The band of a tier, from 0 (low) to 4 (max). */
    private static int band(CostTier tier) {
        return switch (tier) {
            case LOW -> 0;
            case MEDIUM -> 1;
            case HIGH -> 2;
            case XHIGH -> 3;
            case MAX -> 4;
        };
    }

    /** The candidates of one band, ranked, after those chosen already, up to {@value #MAX_RANKED} in all. */
    private void addBand(List<Model> chosen, List<Entry> candidates, int[] bands, int band, Task task) {
        if (band < 0 || band >= BANDS || chosen.size() >= MAX_RANKED) {
            return;
        }
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (bands[i] == band) {
                ranked.add(rank(candidates.get(i), task));
            }
        }
        ranked.sort(BEST_FIRST);
        for (Ranked r : ranked) {
            if (chosen.size() == MAX_RANKED) {
                return;
            }
            if (chosen.stream().noneMatch(m -> m.id().equals(r.entry().model.id()))) {
                chosen.add(r.entry().model);
            }
        }
    }

    /** Each candidate's band: five times the share of candidates strictly cheaper, so 0 (low) to 4 (max). */
    private static int[] bands(List<Entry> byPrice) {
        int[] bands = new int[byPrice.size()];
        int cheaper = 0;
        for (int i = 0; i < bands.length; i++) {
            if (i > 0 && byPrice.get(i).price.compareTo(byPrice.get(i - 1).price) > 0) {
                cheaper = i;
            }
            bands[i] = Math.min(BANDS - 1, BANDS * cheaper / bands.length);
        }
        return bands;
    }

    private static List<Entry> candidates(Index index, ChatRequest request, RequestNeeds needs) {
        AutoRouterOptions options = request.autoRouter();
        boolean requireAll = request.provider().requireParameters();
        long room = needs.promptTokens() + needs.maxTokens();
        long needed = needs.contextCompression().orElse(false) ? (room + 1) / 2 : room;
        List<Entry> out = new ArrayList<>(index.byPrice().size());
        for (Entry entry : index.byPrice()) {
            Model model = entry.model;
            if (entry.context >= needed
                    && model.inputModalities().containsAll(needs.inputModalities())
                    && RoutingPlanner.takes(model, needs, "tools")
                    && RoutingPlanner.takes(model, needs, "response_format")
                    && (!requireAll
                            || model.supportedParameters().isEmpty()
                            || model.supportedParameters().containsAll(needs.parameters()))
                    && options.allows(model.id())) {
                out.add(entry);
            }
        }
        return out;
    }

    private Ranked rank(Entry entry, Task task) {
        boolean calm = false;
        double uptime = 0;
        double throughput = 0;
        for (Endpoint endpoint : entry.callable) {
            HealthSnapshot h = health.snapshot(new EndpointKey(entry.model.id(), endpoint.slug()));
            calm |= !h.unstable() && h.circuit() != HealthSnapshot.Circuit.HALF_OPEN;
            uptime = Math.max(uptime, h.uptime30m().orElse(100));
            throughput = Math.max(throughput, h.throughput().map(p -> p.p50()).orElse(Double.POSITIVE_INFINITY));
        }
        double penalty = (100 - uptime) / 10 + 0.5 * Math.max(0, 1 - throughput / SLOW_TOKENS_PER_SECOND);
        return new Ranked(entry, !calm, entry.fit.getOrDefault(task, 0) - penalty);
    }

    private static final Comparator<Ranked> BEST_FIRST = Comparator.comparing(Ranked::troubled)
            .thenComparingDouble(r -> -r.score())
            .thenComparingLong(r -> -r.entry().model.created())
            .thenComparing(r -> r.entry().price)
            .thenComparing(r -> r.entry().model.id());

    private record Ranked(Entry entry, boolean troubled, double score) {}

    /** The catalog's candidates-to-be, computed once per catalog snapshot. */
    private Index index(Catalog catalog) {
        Index current = index;
        if (current.catalog() == catalog) {
            return current;
        }
        Index built = Index.of(catalog);
        index = built;
        return built;
    }

    /** The models that can be routed to at all, cheapest first. */
    private record Index(Catalog catalog, List<Entry> byPrice) {
        static Index of(Catalog catalog) {
            List<Entry> entries = new ArrayList<>();
            for (Model model : catalog.models()) {
                List<Endpoint> callable = model.endpoints().stream()
                        .filter(e -> catalog.provider(e.providerSlug())
                                .map(Provider::available)
                                .orElse(false))
                        .toList();
                if (model.id().indexOf(':') < 0 && !callable.isEmpty()) {
                    entries.add(new Entry(model, callable));
                }
            }
            entries.sort(Comparator.comparing((Entry e) -> e.price).thenComparing(e -> e.model.id()));
            return new Index(catalog, List.copyOf(entries));
        }
    }

    /** One candidate model with what ranking reads of it. */
    private static final class Entry {
        final Model model;
        final List<Endpoint> callable;
        final BigDecimal price;
        final long context;
        final EnumMap<Task, Integer> fit = new EnumMap<>(Task.class);

        Entry(Model model, List<Endpoint> callable) {
            this.model = model;
            this.callable = callable;
            this.price = callable.stream()
                    .map(e -> e.pricing().prompt().add(e.pricing().completion()))
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            this.context =
                    callable.stream().mapToLong(Endpoint::contextLength).max().orElse(0);
            for (Task task : Task.values()) {
                fit.put(task, fit(task));
            }
        }

        private int fit(Task task) {
            return switch (task) {
                case GENERAL -> 0;
                case CODING -> (mentionsCode() ? 2 : 0) + has("reasoning") + has("tools");
                case TOOL_USE ->
                    has("tool_choice") + has("parallel_tool_calls") + has("structured_outputs") + has("reasoning");
                case REASONING -> 2 * has("reasoning") + has("include_reasoning");
                case LONG_CONTEXT ->
                    (context >= 200_000 ? 1 : 0) + (context >= 500_000 ? 1 : 0) + (context >= 1_000_000 ? 1 : 0);
                case VISION ->
                    (model.inputModalities().contains("file") ? 1 : 0) + has("structured_outputs") + has("reasoning");
            };
        }

        private int has(String parameter) {
            return model.supportedParameters().contains(parameter) ? 1 : 0;
        }

        private boolean mentionsCode() {
            String name = (model.id() + " " + model.name()).toLowerCase(Locale.ROOT);
            return name.contains("code") || name.contains("devstral");
        }
    }
}
