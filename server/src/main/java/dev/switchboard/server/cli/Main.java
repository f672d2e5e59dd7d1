package dev.switchboard.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard}: the command line. */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        version = "Switchboard 0.1.0",
        description = "A self-hosted LLM gateway that speaks OpenRouter's API.",
        subcommands = {ServeCommand.class, SimulateCommand.class, CreditsCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        configureLogging();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Applies the bundled one-line log format, unless the operator named a logging configuration. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
