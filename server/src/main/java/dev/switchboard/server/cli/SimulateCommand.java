package dev.switchboard.server.cli;

import dev.switchboard.server.ListenAddress;
import dev.switchboard.server.StartupFailure;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard simulate}: runs the upstream simulator (a test instrument) on its own. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Run the upstream simulator, a test instrument that speaks the OpenAI wire format with synthetic text.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "18080", description = "Port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed for the synthetic text (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            System.err.println("switchboard simulate: --port must be between 0 and 65535");
            return 2;
        }
        SimulatorOptions defaults = SimulatorOptions.defaults();
        UpstreamSimulator simulator;
        try {
            ListenAddress.checkAvailable(host, port);
            simulator = UpstreamSimulator.start(new SimulatorOptions(
                    host,
                    port,
                    seed,
                    defaults.defaultTimeToFirstToken(),
                    defaults.defaultTokensPerSecond(),
                    defaults.defaultOutputTokens()));
        } catch (StartupFailure e) {
            System.err.println("switchboard simulate: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            System.err.println("switchboard simulate: " + e.getMessage());
            return 1;
        }
        System.out.println("Switchboard upstream simulator (test instrument) listening on " + simulator.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            simulator.close();
                            stopped.countDown();
                        },
                        "simulator-shutdown"));
        stopped.await();
        return 0;
    }
}
