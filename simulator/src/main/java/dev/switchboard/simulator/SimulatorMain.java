package dev.switchboard.simulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the upstream simulator on its own: {@code --port N} (default 18080), {@code --host H}
 * (default 127.0.0.1), {@code --seed S} (default 42). Prints one line with the base URL, then
 * serves until the process is stopped.
 */
public final class SimulatorMain {

    static final int DEFAULT_PORT = 18080;

    private SimulatorMain() {}

    /**
     * Starts the simulator and blocks.
     *
     * @param args {@code [--port N] [--host H] [--seed S]}
     * @throws InterruptedException if the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            usage(System.err, String.valueOf(e.getMessage()));
            System.exit(2);
            return;
        }
        UpstreamSimulator simulator = UpstreamSimulator.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
        System.out.println("Switchboard upstream simulator (test instrument) listening on " + simulator.baseUrl());
        new CountDownLatch(1).await();
    }

    static SimulatorOptions parse(String[] args) {
        SimulatorOptions options = SimulatorOptions.defaults().withPort(DEFAULT_PORT);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String value = args[i + 1];
            options = switch (args[i]) {
                case "--port" -> options.withPort(number(args[i], value));
                case "--host" -> options.withHost(value);
                case "--seed" -> options.withSeed(Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            };
        }
        return options;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value);
        }
    }

    private static void usage(PrintStream out, String problem) {
        out.println("simulator: " + problem);
        out.println("usage: SimulatorMain [--port N] [--host H] [--seed S]");
    }
}
