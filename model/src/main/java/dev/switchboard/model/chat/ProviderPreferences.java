package dev.switchboard.model.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client asked of routing: OpenRouter's {@code provider} object, typed. Fields routing does not
 * read ride in {@code extensions}.
 *
 * @param only                   allow-list of provider slugs (a base slug names every endpoint of a
 *                               provider, {@code provider/tag} one endpoint); empty means every provider
 * @param ignore                 deny-list of slugs, matched the same way
 * @param order                  slugs to try first, in this order; turns off load balancing
 * @param allowFallbacks         false: only the primary endpoint (or the {@code order} list) is tried
 * @param requireParameters      only endpoints that support every parameter the request sends
 * @param dataCollection         {@code DENY}: only endpoints that neither train on nor retain prompts
 * @param zdr                    only zero-data-retention endpoints
 * @param quantizations          allowed quantizations ({@code fp8}, {@code int4}, {@code unknown}, ...);
 *                               empty means any
 * @param sort                   a strict order by price, throughput or latency; turns off load balancing
 * @param preferredMinThroughput endpoints slower than this (tokens per second) go to the back
 * @param preferredMaxLatency    endpoints slower to the first token than this (seconds) go to the back
 * @param maxPrice               endpoints dearer than this are removed
 * @param hedgeAfter             {@code hedge.after_ms}: when an attempt has sent no first byte this long, the
 *                               next attempt of the plan starts too and the first to answer is kept (an
 *                               extension of ours)
 */
public record ProviderPreferences(
        List<String> only,
        List<String> ignore,
        List<String> order,
        boolean allowFallbacks,
        boolean requireParameters,
        DataCollection dataCollection,
        boolean zdr,
        List<String> quantizations,
        Optional<RouteSort> sort,
        Optional<PercentileThresholds> preferredMinThroughput,
        Optional<PercentileThresholds> preferredMaxLatency,
        Optional<MaxPrice> maxPrice,
        Optional<Duration> hedgeAfter,
        Extensions extensions) {
    public static final ProviderPreferences NONE = builder().build();

    public ProviderPreferences {
        only = List.copyOf(only);
        ignore = List.copyOf(ignore);
        order = List.copyOf(order);
        Objects.requireNonNull(dataCollection, "dataCollection");
        quantizations = List.copyOf(quantizations);
        Objects.requireNonNull(sort, "sort");
        Objects.requireNonNull(preferredMinThroughput, "preferredMinThroughput");
        Objects.requireNonNull(preferredMaxLatency, "preferredMaxLatency");
        Objects.requireNonNull(maxPrice, "maxPrice");
        Objects.requireNonNull(hedgeAfter, "hedgeAfter");
        Objects.requireNonNull(extensions, "extensions");
    }

    /** Only, ignore and order, everything else at its default. */
    public ProviderPreferences(List<String> only, List<String> ignore, List<String> order, Extensions extensions) {
        this(
                only,
                ignore,
                order,
                true,
                false,
                DataCollection.ALLOW,
                false,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                extensions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether routing must not balance load: an explicit order or sort asks for a fixed order. */
    public boolean fixedOrder() {
        return !order.isEmpty() || sort.isPresent();
    }

    /** {@code provider.data_collection}. */
    public enum DataCollection {
        ALLOW,
        DENY
    }

    /** A builder with OpenRouter's defaults. */
    public static final class Builder {
        private List<String> only = List.of();
        private List<String> ignore = List.of();
        private List<String> order = List.of();
        private boolean allowFallbacks = true;
        private boolean requireParameters;
        private DataCollection dataCollection = DataCollection.ALLOW;
        private boolean zdr;
        private List<String> quantizations = List.of();
        private Optional<RouteSort> sort = Optional.empty();
        private Optional<PercentileThresholds> preferredMinThroughput = Optional.empty();
        private Optional<PercentileThresholds> preferredMaxLatency = Optional.empty();
        private Optional<MaxPrice> maxPrice = Optional.empty();
        private Optional<Duration> hedgeAfter = Optional.empty();
        private Extensions extensions = Extensions.NONE;

        private Builder() {}

        public Builder only(List<String> value) {
            only = value;
            return this;
        }

        public Builder ignore(List<String> value) {
            ignore = value;
            return this;
        }

        public Builder order(List<String> value) {
            order = value;
            return this;
        }

        public Builder allowFallbacks(boolean value) {
            allowFallbacks = value;
            return this;
        }

        public Builder requireParameters(boolean value) {
            requireParameters = value;
            return this;
        }

        public Builder dataCollection(DataCollection value) {
            dataCollection = value;
            return this;
        }

        public Builder zdr(boolean value) {
            zdr = value;
            return this;
        }

        public Builder quantizations(List<String> value) {
            quantizations = value;
            return this;
        }

        public Builder sort(Optional<RouteSort> value) {
            sort = value;
            return this;
        }

        public Builder preferredMinThroughput(Optional<PercentileThresholds> value) {
            preferredMinThroughput = value;
            return this;
        }

        public Builder preferredMaxLatency(Optional<PercentileThresholds> value) {
            preferredMaxLatency = value;
            return this;
        }

        public Builder maxPrice(Optional<MaxPrice> value) {
            maxPrice = value;
            return this;
        }

        public Builder hedgeAfter(Optional<Duration> value) {
            hedgeAfter = value;
            return this;
        }

        public Builder extensions(Extensions value) {
            extensions = value;
            return this;
        }

        public ProviderPreferences build() {
            return new ProviderPreferences(
                    only,
                    ignore,
                    order,
                    allowFallbacks,
                    requireParameters,
                    dataCollection,
                    zdr,
                    quantizations,
                    sort,
                    preferredMinThroughput,
                    preferredMaxLatency,
                    maxPrice,
                    hedgeAfter,
                    extensions);
        }
    }
}
