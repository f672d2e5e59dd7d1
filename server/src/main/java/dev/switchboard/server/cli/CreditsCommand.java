package dev.switchboard.server.cli;

import dev.switchboard.core.accounting.CreditEntry;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.Overrides;
import dev.switchboard.core.keys.ApiKey;
import dev.switchboard.core.storage.Storage;
import dev.switchboard.core.storage.StorageOptions;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.server.StorageBackends;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard credits grant AMOUNT}: adds a grant to a workspace's credit ledger, straight into the
 * database the configuration names (the gateway may be running; it reads its credits again within
 * seconds). Idempotent by {@code --id}: running the same grant twice books it once.
 */
@Command(
        name = "credits",
        mixinStandardHelpOptions = true,
        description = "Workspace credits.",
        subcommands = {CreditsCommand.Grant.class})
final class CreditsCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grant credits (USD) to a workspace.")
    static final class Grant implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "AMOUNT", description = "USD to grant, e.g. 25 or 10.50.")
        @Nullable
        String amount;

        @Option(names = "--workspace", description = "The workspace (default: ${DEFAULT-VALUE}).")
        String workspace = ApiKey.DEFAULT_WORKSPACE;

        @Option(names = "--id", description = "The entry's id; a grant with an id already used is booked once.")
        @Nullable
        String id;

        @Option(names = "--note", description = "Why the credits were granted.")
        String note = "";

        @Option(names = "--config", description = "YAML configuration file (env SWITCHBOARD_CONFIG).")
        @Nullable
        Path config;

        @Option(names = "--data-dir", description = "Data directory (env SWITCHBOARD_DATA_DIR; default data).")
        @Nullable
        Path dataDir;

        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            Optional<Path> file = Optional.ofNullable(config)
                    .or(() -> Optional.ofNullable(env.get("SWITCHBOARD_CONFIG"))
                            .filter(s -> !s.isBlank())
                            .map(Path::of));
            GatewayConfig loaded;
            try {
                loaded = new ConfigLoader(env, ProviderAdapters.KINDS, StorageBackends.FACTORY.schemes())
                        .load(file, new Overrides(Optional.empty(), Optional.empty(), Optional.ofNullable(dataDir)));
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            CreditEntry entry;
            try {
                entry = new CreditEntry(
                        id == null ? UUID.randomUUID().toString() : id,
                        workspace,
                        CreditEntry.Kind.GRANT,
                        new BigDecimal(String.valueOf(amount).strip()).stripTrailingZeros(),
                        Instant.now(),
                        note);
            } catch (IllegalArgumentException e) {
                System.err.println("switchboard: AMOUNT must be a positive number of USD, and --id and --note short");
                return 2;
            }
            try (Storage storage = StorageBackends.FACTORY.open(
                    loaded.storage().url(), new StorageOptions(loaded.storage().allowNewDatabase()))) {
                boolean added = storage.credits().append(entry);
                BigDecimal credits = storage.credits().credits(workspace);
                BigDecimal usage = storage.credits().usage(workspace);
                System.out.println((added ? "Granted " : "Already granted (same id) ")
                        + entry.amount().toPlainString() + " USD to workspace " + workspace + " as " + entry.id()
                        + "; credits " + credits.toPlainString() + ", usage " + usage.toPlainString()
                        + ", balance " + credits.subtract(usage).toPlainString() + " USD");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("switchboard: another credit entry has the id " + entry.id());
                return 1;
            } catch (RuntimeException e) {
                System.err.println("switchboard: cannot grant: " + e.getMessage());
                return 1;
            }
        }
    }
}
