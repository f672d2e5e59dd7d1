package dev.switchboard.core.config;

import dev.switchboard.core.byok.ByokFee;
import dev.switchboard.core.catalog.Model;
import dev.switchboard.core.catalog.Provider;
import dev.switchboard.core.keys.RateLimit;
import dev.switchboard.core.routing.names.ModelAlias;
import dev.switchboard.core.routing.names.ModelNames;
import dev.switchboard.core.upstream.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated configuration: bundled catalog merged with the configuration file, environment
 * overrides and command-line options applied. Immutable.
 *
 * @param source the configuration file, when one was given
 */
public record GatewayConfig(
        Server server,
        Storage storage,
        Timeouts timeouts,
        Upstream upstream,
        Streaming streaming,
        Routing routing,
        Credits credits,
        Alerts alerts,
        IoLogging ioLogging,
        Limits limits,
        Byok byok,
        Path dataDir,
        List<Provider> providers,
        List<Model> models,
        Optional<Path> source) {
    public GatewayConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(streaming, "streaming");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(ioLogging, "ioLogging");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(byok, "byok");
        Objects.requireNonNull(dataDir, "dataDir");
        providers = List.copyOf(providers);
        models = List.copyOf(models);
        Objects.requireNonNull(source, "source");
    }

    /**
     * The HTTP server's settings.
     *
     * @param maxBodyBytes   request bodies above this size get 413
     * @param bodyTimeout    longest time a request body may take to arrive, from its first read; a client
     *                       slower than that has its connection closed
     * @param maxConnections open client connections at most; further ones wait to be accepted
     */
    public record Server(String host, int port, long maxBodyBytes, Duration bodyTimeout, int maxConnections) {
        public Server {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        }
    }

    /**
     * Bounds on what a provider may send, so that a misbehaving one cannot exhaust the gateway's memory.
     *
     * @param maxBodyBytes  a non-streamed response body above this size is refused with 502
     * @param maxEventBytes one server-sent event (all its {@code data} lines together) above this size ends
     *                      the stream with a 502
     * @param nativeRelay   whether a request whose client and provider speak the same wire format is sent
     *                      and answered natively, edited only where it must be (the pass-through lane);
     *                      false translates every request through the canonical model
     * @param poolIdleTimeout an upstream connection idle for longer than this is closed
     * @param poolMaxIdle     at most this many idle connections are kept per upstream host
     */
    public record Upstream(
            long maxBodyBytes, int maxEventBytes, boolean nativeRelay, Duration poolIdleTimeout, int poolMaxIdle) {
        public static final Upstream DEFAULTS =
                new Upstream(8L * 1024 * 1024, 8 * 1024 * 1024, true, Duration.ofSeconds(30), 512);

        /** These bounds with the default connection pool settings. */
        public Upstream(long maxBodyBytes, int maxEventBytes, boolean nativeRelay) {
            this(maxBodyBytes, maxEventBytes, nativeRelay, DEFAULTS.poolIdleTimeout(), DEFAULTS.poolMaxIdle());
        }
    }

    /**
     * Where generation records and keys are kept.
     *
     * @param url               a storage URL whose scheme a backend is registered for, checked at load:
     *                          {@code sqlite:PATH} (relative paths are resolved against the working directory)
     * @param maxPendingRecords generation records that may wait in memory for the store before new chat
     *                          requests are refused with 503
     * @param allowNewDatabase  start with a new, empty database even though the database file is missing
     *                          and files of an earlier one are beside it (those are moved aside, not deleted);
     *                          from {@code --allow-new-database} or {@code SWITCHBOARD_ALLOW_NEW_DATABASE},
     *                          never from the file, since it is a decision for one start
     */
    public record Storage(String url, int maxPendingRecords, boolean allowNewDatabase) {
        public Storage {
            Objects.requireNonNull(url, "url");
            if (maxPendingRecords < 1) {
                throw new IllegalArgumentException("maxPendingRecords must be at least 1");
            }
        }
    }

    /**
     * Streaming settings.
     *
     * @param keepAliveInterval how often {@code : OPENROUTER PROCESSING} is sent while a stream waits
     */
    public record Streaming(Duration keepAliveInterval) {}

    /**
     * Routing settings.
     *
     * @param retries         further passes over a request's plan when every attempt failed transiently;
     *                        0 (the default) leaves retrying to the client, whose SDK usually retries already
     * @param retryBackoff    the wait before the first retry, before jitter
     * @param maxRetryWait    the longest wait before a retry, a provider's {@code Retry-After} included
     * @param hedge           per model id, how long an attempt may go without a first byte before the next
     *                        attempt of the plan starts beside it; a request's {@code provider.hedge} wins
     * @param modelAliases    {@code model_aliases}: requested model ids rewritten before resolution, first
     *                        whole match wins
     * @param forceModel      {@code force_model}: the model every request is given, its {@code models}
     *                        fallbacks dropped
     * @param defaultProvider {@code default_provider}: a provider slug (or {@code slug/tag}) whose endpoints
     *                        go first for requests that name no providers ({@code order}, {@code only})
     */
    public record Routing(
            int retries,
            Duration retryBackoff,
            Duration maxRetryWait,
            Map<String, Duration> hedge,
            List<ModelAlias> modelAliases,
            Optional<String> forceModel,
            Optional<String> defaultProvider) {
        public static final Routing DEFAULTS = new Routing(0, Duration.ofMillis(250), Duration.ofSeconds(5));

        public Routing {
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(maxRetryWait, "maxRetryWait");
            hedge = Map.copyOf(hedge);
            modelAliases = List.copyOf(modelAliases);
            Objects.requireNonNull(forceModel, "forceModel");
            Objects.requireNonNull(defaultProvider, "defaultProvider");
        }

        /** Retry settings alone; no hedging, model ids used as sent, no default provider. */
        public Routing(int retries, Duration retryBackoff, Duration maxRetryWait) {
            this(retries, retryBackoff, maxRetryWait, Map.of(), List.of(), Optional.empty(), Optional.empty());
        }

        /** What is done to the model ids clients send: the aliases and the forced model. */
        public ModelNames modelNames() {
            return new ModelNames(modelAliases, forceModel);
        }
    }

    /**
     * Workspace credits.
     *
     * @param enforce whether a workspace's credits limit its requests (402 when they cannot pay for one);
     *                false (the default) meters every request without refusing any, so that a new
     *                installation works before anyone grants credits. Key limits apply either way.
     */
    public record Credits(boolean enforce) {
        public static final Credits DEFAULTS = new Credits(false);
    }

    /**
     * Spend alerts: when a key crosses 50, 80 or 100 % of its limit (or a workspace of its credits), a log
     * line, and a signed POST to the webhook when one is set.
     *
     * @param webhookUrl   where alerts are posted; empty: log lines only
     * @param secret       the HMAC-SHA256 key of the {@code X-Switchboard-Signature} header
     * @param retryBackoff the wait before the first retry of a failed delivery, doubled for each of the
     *                     four more
     */
    public record Alerts(Optional<java.net.URI> webhookUrl, Optional<String> secret, Duration retryBackoff) {
        public static final Alerts DEFAULTS = new Alerts(Optional.empty(), Optional.empty(), Duration.ofSeconds(1));

        public Alerts {
            Objects.requireNonNull(webhookUrl, "webhookUrl");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
        }

        @Override
        public String toString() {
            return "Alerts[webhookUrl=" + webhookUrl + ", retryBackoff=" + retryBackoff + "]";
        }
    }

    /**
     * Input/output logging, opt-in: the prompts and completions of requests by the listed workspaces and
     * keys are stored for {@code retention}; no other request content is ever stored.
     *
     * @param workspaces workspace ids whose requests are logged
     * @param keys       key hashes whose requests are logged
     * @param retention  how long an entry is kept
     * @param maxChars   the most characters kept of a request's input, and of its output
     */
    public record IoLogging(
            java.util.Set<String> workspaces, java.util.Set<String> keys, Duration retention, int maxChars) {
        public static final IoLogging DEFAULTS =
                new IoLogging(java.util.Set.of(), java.util.Set.of(), Duration.ofDays(30), 1_000_000);

        public IoLogging {
            workspaces = java.util.Set.copyOf(workspaces);
            keys = java.util.Set.copyOf(keys);
            Objects.requireNonNull(retention, "retention");
        }

        /** Whether requests of this key, in this workspace, are logged. */
        public boolean logs(String workspaceId, String keyHash) {
            return workspaces.contains(workspaceId) || keys.contains(keyHash);
        }

        public boolean enabled() {
            return !workspaces.isEmpty() || !keys.isEmpty();
        }
    }

    /**
     * Rate limits beyond each key's own ({@code rate_limit} of {@code /keys}).
     *
     * @param freeModels   whether OpenRouter's free-model limits apply (20 requests a minute, 50 or 1000 a
     *                     UTC day per workspace) to {@code :free} models and models whose every endpoint is free
     * @param perWorkspace requests and tokens per minute every workspace may use, its keys together;
     *                     {@link RateLimit#NONE} (the default) for none
     */
    public record Limits(boolean freeModels, RateLimit perWorkspace) {
        public static final Limits DEFAULTS = new Limits(true, RateLimit.NONE);

        public Limits {
            Objects.requireNonNull(perWorkspace, "perWorkspace");
        }
    }

    /**
     * Bring your own key: how the workspaces' own provider keys are sealed at rest, and their fee.
     *
     * @param masterKey          the base64 of the 32-byte AES key that seals them ({@code byok.master_key},
     *                           {@code SWITCHBOARD_BYOK_MASTER_KEY}); empty: read from a file
     * @param masterKeyFile      the file holding that key when {@code masterKey} is not given
     *                           ({@code byok.master_key_file}); empty: {@code byok-master.key} in the data
     *                           directory, made on first use
     * @param previousMasterKeys earlier master keys, still used to open what they sealed until it is sealed
     *                           again with the current one at start ({@code byok.previous_master_keys})
     * @param fee                the share of a BYOK request's list price charged to credits
     */
    public record Byok(
            Optional<String> masterKey, Optional<Path> masterKeyFile, List<String> previousMasterKeys, ByokFee fee) {
        public static final Byok DEFAULTS = new Byok(Optional.empty(), Optional.empty(), List.of(), ByokFee.DEFAULT);

        public Byok {
            Objects.requireNonNull(masterKey, "masterKey");
            Objects.requireNonNull(masterKeyFile, "masterKeyFile");
            previousMasterKeys = List.copyOf(previousMasterKeys);
            Objects.requireNonNull(fee, "fee");
        }

        @Override
        public String toString() {
            return "Byok[masterKey=" + (masterKey.isPresent() ? "<set>" : "<none>") + ", masterKeyFile=" + masterKeyFile
                    + ", previousMasterKeys=" + previousMasterKeys.size() + ", fee=" + fee + "]";
        }
    }
}
