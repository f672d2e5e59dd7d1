package dev.switchboard.server.cli;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.Overrides;
import dev.switchboard.provider.ProviderAdapters;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.StartupFailure;
import dev.switchboard.server.StorageBackends;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard serve}: loads the configuration and runs the gateway until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the gateway.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file (env SWITCHBOARD_CONFIG).")
    @Nullable
    Path config;

    @Option(names = "--port", description = "Port to listen on (env SWITCHBOARD_PORT; default 8080).")
    @Nullable
    Integer port;

    @Option(names = "--host", description = "Address to bind (env SWITCHBOARD_SERVER_HOST; default 127.0.0.1).")
    @Nullable
    String host;

    @Option(
            names = "--data-dir",
            description = "Directory for the SQLite database (env SWITCHBOARD_DATA_DIR; default ./data).")
    @Nullable
    Path dataDir;

    @Option(
            names = "--allow-new-database",
            description =
                    "Start with a new, empty database although the database file"
                            + " is missing and files of a lost one (-wal, -shm, -journal, .recovered-*) are beside it; the -wal, -shm and"
                            + " -journal files are renamed aside, nothing is deleted (env SWITCHBOARD_ALLOW_NEW_DATABASE=true).")
    boolean allowNewDatabase;

    @Option(
            names = "--default-provider",
            paramLabel = "SLUG",
            description = "Try this provider's endpoints first for requests whose provider object names no order"
                    + " or only (env SWITCHBOARD_ROUTING_DEFAULT_PROVIDER; file routing.default_provider).")
    @Nullable
    String defaultProvider;

    @Option(
            names = "--force-model",
            paramLabel = "ID",
            description = "Serve every request with this model, whatever it asked for; its models fallbacks are"
                    + " dropped (env SWITCHBOARD_ROUTING_FORCE_MODEL; file routing.force_model).")
    @Nullable
    String forceModel;

    /** The options that win over the environment and the file. */
    Overrides overrides() {
        return new Overrides(
                Optional.ofNullable(host),
                Optional.ofNullable(port),
                Optional.ofNullable(dataDir),
                allowNewDatabase,
                Optional.ofNullable(defaultProvider),
                Optional.ofNullable(forceModel));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        Optional<Path> file = Optional.ofNullable(config)
                .or(() -> Optional.ofNullable(env.get("SWITCHBOARD_CONFIG"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of));
        GatewayConfig loaded;
        try {
            loaded = new ConfigLoader(env, ProviderAdapters.KINDS, StorageBackends.FACTORY.schemes())
                    .load(file, overrides());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(
                    loaded,
                    Optional.ofNullable(env.get("SWITCHBOARD_ADMIN_KEY")).filter(s -> !s.isBlank()),
                    Clock.systemUTC());
        } catch (StartupFailure e) {
            System.err.println("switchboard: " + e.getMessage());
            return 1;
        }
        System.out.println(gateway.banner());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "switchboard-shutdown"));
        stopped.await();
        return 0;
    }
}
