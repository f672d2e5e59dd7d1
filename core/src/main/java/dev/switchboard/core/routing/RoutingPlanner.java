package dev.switchboard.core.routing;

import dev.switchboard.core.byok.OwnKeys;
import dev.switchboard.core.catalog.Catalog;
import dev.switchboard.core.catalog.Endpoint;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Pricing;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.chat.ContextCompression;
import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.routing.health.EndpointHealth;
import dev.switchboard.core.routing.health.EndpointKey;
import dev.switchboard.core.routing.health.HealthSnapshot;
import dev.switchboard.core.routing.health.Percentiles;
import dev.switchboard.core.routing.sticky.Conversation;
import dev.switchboard.core.routing.sticky.StickyRoutes;
import dev.switchboard.model.chat.ChatRequest;
import dev.switchboard.model.chat.MaxPrice;
import dev.switchboard.model.chat.PercentileThresholds;
import dev.switchboard.model.chat.ProviderPreferences;
import dev.switchboard.model.chat.RouteSort;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Plans a request the way OpenRouter routes it: which models and endpoints, in which order.
 *
 * <p>Design note. The models are {@code model} then the {@code models} list (the parser has removed
 * repeats); an unknown one is a 400. An auto router id ({@code openrouter/auto}) stands for the models
 * {@link AutoRouter} ranks for the request, of which the first {@value AutoRouter#MAX_MODELS} with an
 * endpoint left after the filters below are planned. Each model's endpoints go through the filters in this order, and
 * every endpoint a filter removes is kept as an {@link Exclusion} naming the filter:
 * <ol>
 *   <li>data policy: {@code data_collection: deny} keeps endpoints that neither train on nor retain
 *       prompts ({@code data_policy:training}); {@code zdr} keeps zero-data-retention ones
 *       ({@code data_policy:zdr});</li>
 *   <li>{@code only} and {@code ignore} ({@code allowed_providers}): a provider's slug matches all its
 *       endpoints, {@code provider/tag} one;</li>
 *   <li>{@code quantizations};</li>
 *   <li>{@code max_price}: prompt and completion per million tokens, request and image per unit;</li>
 *   <li>{@code require_parameters}: every parameter the request sends;</li>
 *   <li>the soft preference: for {@code tools}, {@code response_format} and {@code verbosity}, when some
 *       of the remaining endpoints support the parameter and others do not, only the former stay; when
 *       none does, all stay;</li>
 *   <li>context ({@code context_length}): the estimated prompt plus {@code max_tokens} fits the
 *       endpoint's context, and {@code max_tokens} its completion cap;</li>
 *   <li>input modalities: images, files and audio need a model that takes them;</li>
 *   <li>last, providers that cannot be called at all (disabled, or no key: {@code unavailable}); a
 *       provider without a key of the gateway's stays when the caller has a key of its own for it.</li>
 * </ol>
 * The caller's own provider keys (BYOK) are then placed among each model's ordered endpoints by
 * {@link ByokPlacement}.
 *
 * <p>Order, per model. With {@code sort}, strictly by price (prompt plus completion per token),
 * throughput (p50 tokens per second, highest first) or latency (p50 time to first token, lowest first)
 * over the last 5 minutes, unmeasured endpoints after measured ones; or quality first
 * ({@code exacto}, {@link ExactoOrder}); price breaking ties. The variants {@code :nitro},
 * {@code :floor} and {@code :exacto} sort so unless the request's own {@code sort} says otherwise. With
 * {@code order}, the listed endpoints first in list order, the rest load-balanced after them. Otherwise
 * OpenRouter's load balancing (then, when the gateway has a default provider and the request names no
 * providers with {@code order} or {@code only}, that provider's endpoints are moved to the front, in the
 * balanced order): stable endpoints (no significant outage in the last 30 seconds, circuit
 * not open) before unstable ones; among the stable, the first is drawn at random with weight
 * 1/price² (free endpoints, if any, share the draw equally), the rest follow cheapest first; the unstable
 * follow cheapest first. An endpoint whose circuit is half-open and whose probe this request wins is put
 * first: the probe is the request's first attempt, and a failed probe falls back like any failure.
 * Then {@code preferred_min_throughput} and {@code preferred_max_latency} move endpoints that miss any
 * given percentile behind those that meet them (unmeasured endpoints count as meeting them). With
 * {@code allow_fallbacks: false} only the first endpoint (or, with {@code order}, the listed ones)
 * stays. Models follow each other in list order, except that {@code sort} with
 * {@code partition: "none"} sorts the endpoints of all models together.
 *
 * <p>When nothing is left the error says why, in OpenRouter's availability terms: 404
 * {@code privacy_restricted} when only data policies removed endpoints, 404 {@code constraint_filtered}
 * when a constraint did, 404 {@code no_endpoints} for provider lists; 503 when some endpoint passed
 * every filter but its provider cannot be called (disabled, no key); {@code excluded_by} lists the filters and the message names each removed endpoint.
 *
 * <p>Cost. A plan is one pass over the listed models' endpoints with a few comparisons each, a health
 * snapshot per endpoint (cached by the health store) and one sort; no I/O, no locks held across it.
 */
public final class RoutingPlanner implements RoutePlanner {
    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);
    private static final int MESSAGE_EXCLUSIONS = 8;

    private final Supplier<Catalog> catalog;
    private final EndpointHealth health;
    private final Supplier<RandomGenerator> random;
    private final StickyRoutes sticky;
    /** {@code routing.default_provider} as an order list: empty, or one slug (or slug/tag). */
    private final List<String> defaultProvider;

    private final AutoRouter autoRouter;

    /**
     * @param sticky where conversations are routed back to the endpoint of their previous turn
     * @param random the source of load balancing's draws, per call (a seeded one in tests)
     */
    public RoutingPlanner(
            Supplier<Catalog> catalog, EndpointHealth health, StickyRoutes sticky, Supplier<RandomGenerator> random) {
        this(catalog, health, sticky, random, Optional.empty());
    }

    /**
     * @param defaultProvider a provider slug (or {@code slug/tag}) whose endpoints go first in a
     *                        load-balanced order, for requests that name no providers themselves
     */
    public RoutingPlanner(
            Supplier<Catalog> catalog,
            EndpointHealth health,
            StickyRoutes sticky,
            Supplier<RandomGenerator> random,
            Optional<String> defaultProvider) {
        this.catalog = catalog;
        this.health = health;
        this.sticky = sticky;
        this.random = random;
        this.defaultProvider = defaultProvider.stream().toList();
        this.autoRouter = new AutoRouter(health);
    }

    /** A planner without sticky routing. */
    public RoutingPlanner(Supplier<Catalog> catalog, EndpointHealth health, Supplier<RandomGenerator> random) {
        this(catalog, health, StickyRoutes.NONE, random);
    }

    /** A planner drawing from a thread-local random source. */
    public RoutingPlanner(Supplier<Catalog> catalog, EndpointHealth health, StickyRoutes sticky) {
        this(catalog, health, sticky, java.util.concurrent.ThreadLocalRandom::current);
    }

    /** A planner without sticky routing, drawing from a thread-local random source. */
    public RoutingPlanner(Supplier<Catalog> catalog, EndpointHealth health) {
        this(catalog, health, StickyRoutes.NONE);
    }

    /** One endpoint still in the running, with what ordering needs to know of it. */
    private record Candidate(Attempt attempt, HealthSnapshot health, double price, int catalogIndex) {}

    @Override
    public RoutePlan plan(ChatRequest request) {
        return plan(request, "");
    }

    @Override
    public RoutePlan plan(ChatRequest request, String caller) {
        return plan(request, caller, OwnKeys.NONE);
    }

    @Override
    public RoutePlan plan(ChatRequest request, String caller, OwnKeys own) {
        Catalog snapshot = catalog.get();
        ProviderPreferences prefs = request.provider();
        RequestNeeds needs = RequestNeeds.of(request);
        List<Requested> requested = models(snapshot, request, needs);
        List<Model> models = new ArrayList<>(requested.size());
        List<Exclusion> excluded = new ArrayList<>();
        List<List<Candidate>> perModel = new ArrayList<>(requested.size());
        boolean passedFilters = false;
        Optional<Conversation> conversation = stickyConversation(request, caller, requested);
        int routedKept = 0;
        for (Requested r : requested) {
            if (r.routed() && routedKept == AutoRouter.MAX_MODELS) {
                continue;
            }
            Model model = r.model();
            models.add(model);
            Optional<RouteSort> sortOfModel = prefs.sort().or(r.variant()::sort);
            List<Candidate> kept = filter(snapshot, model, prefs, needs, excluded, own);
            passedFilters |= !kept.isEmpty();
            if (!kept.isEmpty()) {
                routedKept += r.routed() ? 1 : 0;
                List<Candidate> ordered = order(kept, prefs, sortOfModel);
                perModel.add(conversation.isEmpty() ? ordered : stickFirst(ordered, caller, model, conversation.get()));
            }
        }
        List<Attempt> attempts = new ArrayList<>();
        Optional<RouteSort> sort = prefs.sort();
        if (sort.isPresent() && sort.get().partition() == RouteSort.Partition.NONE) {
            List<Candidate> all = new ArrayList<>();
            perModel.forEach(all::addAll);
            all.sort(sortOrder(sort.get().by()));
            attempts.addAll(
                    ByokPlacement.place(all.stream().map(Candidate::attempt).toList(), own));
        } else {
            perModel.forEach(list -> attempts.addAll(
                    ByokPlacement.place(list.stream().map(Candidate::attempt).toList(), own)));
        }
        if (attempts.isEmpty()) {
            throw nothingLeft(models, excluded, prefs, needs, passedFilters);
        }
        return new RoutePlan(attempts, caller, conversation);
    }

    /**
     * The conversation to route back, when routing may be sticky: a caller is known, the request names
     * no {@code order} (which decides the endpoints itself), and some listed model has more than one
     * endpoint to choose from. Only then is the conversation hashed.
     */
    private static Optional<Conversation> stickyConversation(
            ChatRequest request, String caller, List<Requested> models) {
        if (caller.isEmpty()
                || !request.provider().order().isEmpty()
                || models.stream().allMatch(m -> m.model().endpoints().size() < 2)) {
            return Optional.empty();
        }
        return Conversation.of(request);
    }

    /** The endpoint that answered the conversation's last turn goes first, while it is not unstable. */
    private List<Candidate> stickFirst(List<Candidate> ordered, String caller, Model model, Conversation conversation) {
        Optional<String> slug = sticky.endpoint(new StickyRoutes.StickyKey(caller, model.id(), conversation.hash()));
        if (slug.isEmpty()) {
            return ordered;
        }
        for (int i = 1; i < ordered.size(); i++) {
            Candidate c = ordered.get(i);
            if (c.attempt().endpoint().slug().equals(slug.get()) && !c.health().unstable()) {
                List<Candidate> out = new ArrayList<>(ordered);
                out.remove(i);
                out.addFirst(c);
                return out;
            }
        }
        return ordered;
    }

    /**
     * A dynamic variant of a model id: {@code :nitro} sorts by throughput, {@code :floor} by price and
     * {@code :exacto} quality first ({@link ExactoOrder}), unless the request's own {@code provider.sort}
     * says otherwise. Static variants ({@code :free}, {@code :extended}, {@code :thinking}) are models of
     * their own in the catalog.
     */
    private enum Variant {
        NONE,
        NITRO,
        FLOOR,
        EXACTO;

        Optional<RouteSort> sort() {
            return switch (this) {
                case NONE -> Optional.empty();
                case NITRO -> Optional.of(new RouteSort(RouteSort.By.THROUGHPUT, RouteSort.Partition.MODEL));
                case FLOOR -> Optional.of(new RouteSort(RouteSort.By.PRICE, RouteSort.Partition.MODEL));
                case EXACTO -> Optional.of(new RouteSort(RouteSort.By.EXACTO, RouteSort.Partition.MODEL));
            };
        }
    }

    /**
     * One model to plan, in the requested order.
     *
     * @param variant the dynamic variant it was asked with
     * @param routed  chosen by the auto router, which lends the plan at most {@value AutoRouter#MAX_MODELS}
     *                such models with endpoints left
     */
    private record Requested(Model model, Variant variant, boolean routed) {}

    /** The requested models, in order: {@code model}, then {@code models}, an auto router's choices in its place. */
    private List<Requested> models(Catalog snapshot, ChatRequest request, RequestNeeds needs) {
        List<Requested> models = new ArrayList<>(1 + request.fallbackModels().size());
        add(models, snapshot, request, request.model(), needs);
        for (String id : request.fallbackModels()) {
            add(models, snapshot, request, id, needs);
        }
        return models;
    }

    private void add(List<Requested> models, Catalog snapshot, ChatRequest request, String id, RequestNeeds needs) {
        if (AutoRouter.IDS.contains(id) && snapshot.model(id).isEmpty()) {
            for (Model chosen : autoRouter.choose(snapshot, request, needs, id)) {
                if (models.stream().noneMatch(m -> m.model().id().equals(chosen.id()))) {
                    models.add(new Requested(chosen, Variant.NONE, true));
                }
            }
            return;
        }
        models.add(model(snapshot, id, needs));
    }

    /**
     * The catalog's model for {@code id}: the model itself; a dynamic variant of one
     * ({@code :nitro}, {@code :floor}, {@code :exacto}); the free router ({@code openrouter/free} or
     * {@code switchboard/free}: a model whose every endpoint is free, drawn at random among those with a
     * callable provider that take what the request needs); or a
     * latest alias ({@code ~author/family-latest}: the family's newest model, variants left out).
     */
    private Requested model(Catalog snapshot, String id, RequestNeeds needs) {
        Optional<Model> exact = snapshot.model(id);
        if (exact.isPresent()) {
            return new Requested(exact.get(), Variant.NONE, false);
        }
        if (FREE_ROUTERS.contains(id)) {
            return new Requested(freeModel(snapshot, needs), Variant.NONE, false);
        }
        if (id.startsWith("~") && id.endsWith(LATEST)) {
            return new Requested(
                    latest(snapshot, id).orElseThrow(() -> GatewayException.modelNotFound(id)), Variant.NONE, false);
        }
        int colon = id.lastIndexOf(':');
        if (colon > 0) {
            String suffix = id.substring(colon + 1);
            Optional<Model> base = snapshot.model(id.substring(0, colon));
            Variant variant = switch (suffix) {
                case "nitro" -> Variant.NITRO;
                case "floor" -> Variant.FLOOR;
                case "exacto" -> Variant.EXACTO;
                default -> Variant.NONE;
            };
            if (base.isPresent() && variant != Variant.NONE) {
                return new Requested(base.get(), variant, false);
            }
        }
        throw GatewayException.modelNotFound(id);
    }

    private static final Set<String> FREE_ROUTERS = Set.of("openrouter/free", "switchboard/free");
    private static final String LATEST = "-latest";

    private Model freeModel(Catalog snapshot, RequestNeeds needs) {
        List<Model> free = snapshot.models().stream()
                // every endpoint free, so that routing cannot land on a paid one; one of them callable
                .filter(m -> m.endpoints().stream().allMatch(e -> costsNothing(e.pricing())))
                .filter(m -> m.endpoints().stream()
                        .anyMatch(e -> snapshot.provider(e.providerSlug())
                                .map(Provider::available)
                                .orElse(false)))
                .filter(m -> m.inputModalities().containsAll(needs.inputModalities()))
                .filter(m -> takes(m, needs, "tools") && takes(m, needs, "response_format"))
                .toList();
        if (free.isEmpty()) {
            throw GatewayException.unavailable(
                    ErrorType.NOT_FOUND,
                    "No free model takes what this request needs",
                    new Availability("no_endpoints", false, List.of("openrouter/free")));
        }
        return free.get(random.get().nextInt(free.size()));
    }

    private static boolean costsNothing(Pricing pricing) {
        return pricing.prompt().signum() == 0
                && pricing.completion().signum() == 0
                && pricing.request().signum() == 0;
    }

    /** Whether the model takes {@code parameter} when the request sends it; a model listing none takes all. */
    static boolean takes(Model model, RequestNeeds needs, String parameter) {
        return !needs.parameters().contains(parameter)
                || model.supportedParameters().isEmpty()
                || model.supportedParameters().contains(parameter);
    }

    /** {@code ~author/family-latest}: the newest model whose id is {@code author/family} or continues it. */
    private static Optional<Model> latest(Catalog snapshot, String alias) {
        String family = alias.substring(1, alias.length() - LATEST.length());
        return snapshot.models().stream()
                .filter(m -> m.id().indexOf(':') < 0)
                .filter(m -> m.id().equals(family)
                        || (m.id().startsWith(family)
                                && (m.id().charAt(family.length()) == '-' || m.id().charAt(family.length()) == '.')))
                .max(Comparator.comparingLong(Model::created).thenComparing(Model::id));
    }

    /** @param own the caller's own provider keys, which make a provider without a shared key callable */
    private List<Candidate> filter(
            Catalog snapshot,
            Model model,
            ProviderPreferences prefs,
            RequestNeeds needs,
            List<Exclusion> excluded,
            OwnKeys own) {
        List<Candidate> kept = new ArrayList<>(model.endpoints().size());
        List<Endpoint> endpoints = model.endpoints();
        int largestCompressible = -1;
        @Nullable Exclusion largestExclusion = null;
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            Optional<Exclusion> why = hardFilters(model, endpoint, prefs, needs);
            if (why.isPresent()) {
                excluded.add(why.get());
                if (why.get().filter().equals("context_length")
                        && compresses(endpoint, needs)
                        && (largestCompressible < 0
                                || endpoint.contextLength()
                                        > endpoints.get(largestCompressible).contextLength())) {
                    largestCompressible = i;
                    largestExclusion = why.get();
                }
                continue;
            }
            kept.add(candidate(snapshot, model, endpoint, i));
        }
        if (kept.isEmpty() && largestExclusion != null) {
            // compression on and no endpoint with half the room needed: the largest context, compressed
            excluded.remove(largestExclusion);
            kept.add(candidate(snapshot, model, endpoints.get(largestCompressible), largestCompressible));
        }
        kept = softPreferences(kept, needs, excluded);
        List<Candidate> callable = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            Provider provider = c.attempt().provider();
            if (provider.available()
                    || (!provider.disabled()
                            && !own.forEndpoint(provider.slug(), model.id()).isEmpty())) {
                callable.add(c);
            } else {
                excluded.add(exclusion(
                        model,
                        c.attempt().endpoint(),
                        "unavailable",
                        provider.unavailableReason().orElse("unavailable")));
            }
        }
        return callable;
    }

    private Candidate candidate(Catalog snapshot, Model model, Endpoint endpoint, int catalogIndex) {
        Provider provider = snapshot.provider(endpoint.providerSlug()).orElseThrow();
        return new Candidate(
                new Attempt(model, endpoint, provider),
                health.snapshot(new EndpointKey(model.id(), endpoint.slug())),
                blended(endpoint.pricing()),
                catalogIndex);
    }

    /**
     * Whether a prompt too long for {@code endpoint} would be compressed for it: as the request says, else
     * for endpoints of {@value ContextCompression#DEFAULT_ON_MAX_CONTEXT} tokens or less; and only when
     * the completion asked for leaves room for a prompt at all.
     */
    private static boolean compresses(Endpoint endpoint, RequestNeeds needs) {
        return ContextCompression.appliesTo(needs.contextCompression(), endpoint)
                && needs.maxTokens() < endpoint.contextLength();
    }

    /** The first hard filter that removes {@code endpoint}, in the documented order. */
    private static Optional<Exclusion> hardFilters(
            Model model, Endpoint endpoint, ProviderPreferences prefs, RequestNeeds needs) {
        if (prefs.dataCollection() == ProviderPreferences.DataCollection.DENY
                && (endpoint.dataPolicy().training() || endpoint.dataPolicy().retainsPrompts())) {
            return Optional.of(exclusion(model, endpoint, "data_policy:training", "may train on or retain prompts"));
        }
        if (prefs.zdr() && !endpoint.dataPolicy().zeroDataRetention()) {
            return Optional.of(exclusion(model, endpoint, "data_policy:zdr", "not zero-data-retention"));
        }
        if (!prefs.only().isEmpty() && !matches(prefs.only(), endpoint)) {
            return Optional.of(exclusion(model, endpoint, "allowed_providers", "not in provider.only"));
        }
        if (matches(prefs.ignore(), endpoint)) {
            return Optional.of(exclusion(model, endpoint, "allowed_providers", "in provider.ignore"));
        }
        if (!prefs.quantizations().isEmpty() && !prefs.quantizations().contains(endpoint.quantization())) {
            return Optional.of(exclusion(model, endpoint, "quantization", "quantization " + endpoint.quantization()));
        }
        Optional<String> price = prefs.maxPrice().flatMap(max -> overPrice(endpoint.pricing(), max));
        if (price.isPresent()) {
            return Optional.of(exclusion(model, endpoint, "max_price", price.get()));
        }
        if (prefs.requireParameters() && !endpoint.supportedParameters().containsAll(needs.parameters())) {
            Set<String> missing = new LinkedHashSet<>(needs.parameters());
            missing.removeAll(endpoint.supportedParameters());
            return Optional.of(
                    exclusion(model, endpoint, "require_parameters", "does not support " + String.join(", ", missing)));
        }
        long required = needs.promptTokens() + needs.maxTokens();
        if (required > endpoint.contextLength()
                && !(compresses(endpoint, needs) && endpoint.contextLength() * 2 >= required)) {
            return Optional.of(exclusion(
                    model,
                    endpoint,
                    "context_length",
                    "context of " + endpoint.contextLength() + " tokens is too small for about "
                            + (needs.promptTokens() + needs.maxTokens())));
        }
        if (needs.maxTokens() > 0
                && endpoint.maxCompletionTokens() > 0
                && needs.maxTokens() > endpoint.maxCompletionTokens()) {
            return Optional.of(exclusion(
                    model,
                    endpoint,
                    "context_length",
                    "produces at most " + endpoint.maxCompletionTokens() + " tokens"));
        }
        if (!model.inputModalities().containsAll(needs.inputModalities())) {
            Set<String> missing = new LinkedHashSet<>(needs.inputModalities());
            missing.removeAll(model.inputModalities());
            return Optional.of(
                    exclusion(model, endpoint, "input_modalities", "takes no " + String.join(", ", missing)));
        }
        return Optional.empty();
    }

    /** A provider's slug matches all of its endpoints; {@code provider/tag} matches one. */
    private static boolean matches(List<String> slugs, Endpoint endpoint) {
        for (String slug : slugs) {
            if (slug.equals(endpoint.providerSlug()) || slug.equals(endpoint.slug())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> overPrice(Pricing pricing, MaxPrice max) {
        if (max.prompt().isPresent()
                && pricing.prompt().multiply(PER_MILLION).compareTo(max.prompt().get()) > 0) {
            return Optional.of("prompt costs $" + plain(pricing.prompt().multiply(PER_MILLION)) + "/M");
        }
        if (max.completion().isPresent()
                && pricing.completion()
                                .multiply(PER_MILLION)
                                .compareTo(max.completion().get())
                        > 0) {
            return Optional.of("completion costs $" + plain(pricing.completion().multiply(PER_MILLION)) + "/M");
        }
        if (max.request().isPresent()
                && pricing.request().compareTo(max.request().get()) > 0) {
            return Optional.of("a request costs $" + plain(pricing.request()));
        }
        if (max.image().isPresent() && pricing.image().compareTo(max.image().get()) > 0) {
            return Optional.of("an image costs $" + plain(pricing.image()));
        }
        return Optional.empty();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static List<Candidate> softPreferences(List<Candidate> kept, RequestNeeds needs, List<Exclusion> excluded) {
        List<Candidate> out = kept;
        for (String parameter : RequestNeeds.SOFT_PREFERENCES) {
            if (!needs.parameters().contains(parameter)) {
                continue;
            }
            List<Candidate> supporting = out.stream()
                    .filter(c -> c.attempt().endpoint().supportedParameters().contains(parameter))
                    .toList();
            if (!supporting.isEmpty() && supporting.size() < out.size()) {
                for (Candidate c : out) {
                    if (!supporting.contains(c)) {
                        excluded.add(exclusion(
                                c.attempt().model(),
                                c.attempt().endpoint(),
                                "require_parameters",
                                "does not support " + parameter + " (others do)"));
                    }
                }
                out = supporting;
            }
        }
        return out;
    }

    /** @param sort the request's {@code provider.sort}, else the one its model's variant asks for */
    private List<Candidate> order(List<Candidate> candidates, ProviderPreferences prefs, Optional<RouteSort> sort) {
        List<Candidate> ordered;
        if (sort.isPresent()) {
            ordered = new ArrayList<>(candidates);
            ordered.sort(sortOrder(sort.get().by()));
        } else if (!prefs.order().isEmpty()) {
            ordered = new ArrayList<>();
            List<Candidate> rest = new ArrayList<>(candidates);
            for (String slug : prefs.order()) {
                for (Candidate c : List.copyOf(rest)) {
                    if (matches(List.of(slug), c.attempt().endpoint())) {
                        ordered.add(c);
                        rest.remove(c);
                    }
                }
            }
            if (!prefs.allowFallbacks()) {
                return ordered;
            }
            ordered.addAll(balanced(rest));
        } else {
            ordered = defaultProviderFirst(balanced(candidates), prefs);
        }
        ordered = preferred(ordered, prefs);
        if (!prefs.allowFallbacks() && !ordered.isEmpty()) {
            return List.of(ordered.getFirst());
        }
        return ordered;
    }

    /** The default provider's endpoints ahead of the others, each group in its balanced order; unless {@code only} is given. */
    private List<Candidate> defaultProviderFirst(List<Candidate> balanced, ProviderPreferences prefs) {
        if (defaultProvider.isEmpty() || !prefs.only().isEmpty()) {
            return balanced;
        }
        List<Candidate> out = new ArrayList<>(balanced.size());
        balanced.stream()
                .filter(c -> matches(defaultProvider, c.attempt().endpoint()))
                .forEach(out::add);
        balanced.stream()
                .filter(c -> !matches(defaultProvider, c.attempt().endpoint()))
                .forEach(out::add);
        return out;
    }

    /** Load balancing: a probe first, then a 1/price²-weighted draw among the stable, the rest by price. */
    private List<Candidate> balanced(List<Candidate> candidates) {
        Comparator<Candidate> byPrice =
                Comparator.comparingDouble(Candidate::price).thenComparingInt(Candidate::catalogIndex);
        List<Candidate> probes = new ArrayList<>();
        List<Candidate> stable = new ArrayList<>();
        List<Candidate> unstable = new ArrayList<>();
        for (Candidate c : candidates) {
            HealthSnapshot h = c.health();
            if (h.circuit() == HealthSnapshot.Circuit.HALF_OPEN && probes.isEmpty() && tryProbe(c)) {
                probes.add(c);
            } else if (h.unstable() || h.circuit() == HealthSnapshot.Circuit.HALF_OPEN) {
                unstable.add(c);
            } else {
                stable.add(c);
            }
        }
        stable.sort(byPrice);
        unstable.sort(byPrice);
        if (stable.size() > 1) {
            Candidate first = draw(stable);
            stable.remove(first);
            stable.addFirst(first);
        }
        List<Candidate> out = new ArrayList<>(candidates.size());
        out.addAll(probes);
        out.addAll(stable);
        out.addAll(unstable);
        return out;
    }

    private boolean tryProbe(Candidate c) {
        return health.tryProbe(
                new EndpointKey(c.attempt().model().id(), c.attempt().endpoint().slug()));
    }

    /** One of {@code stable} with probability proportional to 1/price²; free endpoints share it equally. */
    private Candidate draw(List<Candidate> stable) {
        RandomGenerator rng = random.get();
        List<Candidate> free = stable.stream().filter(c -> c.price() <= 0).toList();
        if (!free.isEmpty()) {
            return free.get(rng.nextInt(free.size()));
        }
        double total = 0;
        double[] weights = new double[stable.size()];
        for (int i = 0; i < weights.length; i++) {
            double price = stable.get(i).price();
            weights[i] = 1 / (price * price);
            total += weights[i];
        }
        double point = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0) {
                return stable.get(i);
            }
        }
        return stable.getLast();
    }

    private static Comparator<Candidate> sortOrder(RouteSort.By by) {
        Comparator<Candidate> byPrice = Comparator.comparingDouble(Candidate::price);
        Comparator<Candidate> primary = switch (by) {
            case PRICE -> byPrice;
            case THROUGHPUT -> measured(c -> c.health().throughput(), p -> -p.p50());
            case LATENCY -> measured(c -> c.health().latency(), Percentiles::p50);
            case EXACTO -> Comparator.comparing(Candidate::health, ExactoOrder.QUALITY_FIRST);
        };
        return primary.thenComparing(byPrice);
    }

    /** Measured endpoints by {@code key} ascending, unmeasured ones after them. */
    private static Comparator<Candidate> measured(
            Function<Candidate, Optional<Percentiles>> measure, ToDoubleFunction<Percentiles> key) {
        return Comparator.comparingDouble(
                c -> measure.apply(c).map(key::applyAsDouble).orElse(Double.MAX_VALUE));
    }

    /** Endpoints that miss a preferred throughput or latency percentile move behind those that meet them. */
    private static List<Candidate> preferred(List<Candidate> ordered, ProviderPreferences prefs) {
        if (prefs.preferredMinThroughput().isEmpty()
                && prefs.preferredMaxLatency().isEmpty()) {
            return ordered;
        }
        List<Candidate> meeting = new ArrayList<>(ordered.size());
        List<Candidate> missing = new ArrayList<>();
        for (Candidate c : ordered) {
            boolean fast = prefs.preferredMinThroughput()
                    .map(t -> meets(c.health().throughput(), t, false))
                    .orElse(true);
            boolean quick = prefs.preferredMaxLatency()
                    .map(t -> meets(c.health().latency(), t, true))
                    .orElse(true);
            (fast && quick ? meeting : missing).add(c);
        }
        meeting.addAll(missing);
        return meeting;
    }

    /** Whether every given percentile is met; an unmeasured endpoint is not held against. */
    private static boolean meets(Optional<Percentiles> measured, PercentileThresholds wanted, boolean atMost) {
        if (measured.isEmpty()) {
            return true;
        }
        Percentiles p = measured.get();
        return within(p.p50(), wanted.p50(), atMost)
                && within(p.p75(), wanted.p75(), atMost)
                && within(p.p90(), wanted.p90(), atMost)
                && within(p.p99(), wanted.p99(), atMost);
    }

    private static boolean within(double value, OptionalDouble bound, boolean atMost) {
        if (bound.isEmpty()) {
            return true;
        }
        return atMost ? value <= bound.getAsDouble() : value >= bound.getAsDouble();
    }

    private static double blended(Pricing pricing) {
        return pricing.prompt().add(pricing.completion()).doubleValue();
    }

    private static Exclusion exclusion(Model model, Endpoint endpoint, String filter, String detail) {
        return new Exclusion(model.id(), endpoint.slug(), filter, detail);
    }

    /**
     * @param passedFilters whether some endpoint passed every filter and was callable, so that only the
     *                      request's {@code order} without fallbacks left nothing
     */
    private static GatewayException nothingLeft(
            List<Model> models,
            List<Exclusion> excluded,
            ProviderPreferences prefs,
            RequestNeeds needs,
            boolean passedFilters) {
        List<String> requested = models.stream().map(Model::id).toList();
        String names = String.join(", ", requested);
        if (passedFilters) {
            return GatewayException.unavailable(
                    ErrorType.NOT_FOUND,
                    "No endpoints found for the request with manual order: " + String.join(", ", prefs.order()),
                    new Availability("no_endpoints", false, requested, List.of("allowed_providers")));
        }
        List<Exclusion> unavailable =
                excluded.stream().filter(e -> e.filter().equals("unavailable")).toList();
        if (!unavailable.isEmpty()) {
            // endpoints passed every filter but their providers cannot be called: servable once they can
            return GatewayException.unavailable(
                    ErrorType.PROVIDER_OVERLOADED,
                    "No provider is available for " + names + " (" + describe(unavailable) + ")",
                    new Availability("no_available_provider", false, requested));
        }
        Set<String> filters = new LinkedHashSet<>();
        excluded.forEach(e -> filters.add(e.filter()));
        if (filters.equals(Set.of("context_length"))) {
            return contextLengthExceeded(models, needs);
        }
        String detail = describe(excluded);
        List<String> excludedBy = List.copyOf(filters);
        boolean privacyOnly = !filters.isEmpty() && filters.stream().allMatch(f -> f.startsWith("data_policy:"));
        boolean constrained =
                filters.stream().anyMatch(f -> !f.startsWith("data_policy:") && !f.equals("allowed_providers"));
        String code;
        String message;
        if (privacyOnly) {
            code = "privacy_restricted";
            message = "No endpoints found matching your data policy for " + names;
        } else if (constrained) {
            code = "constraint_filtered";
            message = "No endpoints found for " + names + " that satisfy the request's constraints";
        } else {
            code = "no_endpoints";
            message = "No endpoints found for " + names + " matching the request's provider preferences";
        }
        return GatewayException.unavailable(
                ErrorType.NOT_FOUND,
                message + " (" + detail + ")",
                new Availability(code, false, requested, excludedBy));
    }

    /**
     * Too long for every endpoint: a 400 in the words clients look for to shorten a conversation (the
     * largest context on offer, the tokens asked for, what to do).
     */
    private static GatewayException contextLengthExceeded(List<Model> models, RequestNeeds needs) {
        long largest = 0;
        for (Model model : models) {
            for (Endpoint endpoint : model.endpoints()) {
                largest = Math.max(largest, endpoint.contextLength());
            }
        }
        long requested = needs.promptTokens() + needs.maxTokens();
        return new GatewayException(
                ErrorType.CONTEXT_LENGTH_EXCEEDED,
                "This endpoint's maximum context length is " + largest + " tokens. However, you requested about "
                        + requested + " tokens (" + needs.promptTokens() + " of text input, " + needs.maxTokens()
                        + " in the output). Please reduce the length of either one.",
                java.util.Map.of("param", "messages"));
    }

    /** What removed each endpoint, the first few of them. */
    private static String describe(List<Exclusion> excluded) {
        List<String> parts = new ArrayList<>();
        for (Exclusion e : excluded.subList(0, Math.min(MESSAGE_EXCLUSIONS, excluded.size()))) {
            parts.add(e.endpointSlug() + ": "
                    + (e.filter().equals("unavailable") ? e.detail() : e.filter() + ", " + e.detail()));
        }
        if (excluded.size() > MESSAGE_EXCLUSIONS) {
            parts.add("and " + (excluded.size() - MESSAGE_EXCLUSIONS) + " more");
        }
        return String.join("; ", parts);
    }
}
