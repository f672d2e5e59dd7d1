package dev.switchboard.server.cli;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells the web server that logging is taken care of. Switchboard logs through
 * {@code java.util.logging}, configured by {@link Main} before anything logs (the bundled one-line
 * format, unless the operator names a configuration of their own), so the web server has nothing to
 * set up; without a provider it would print a notice that it found none as the first line of every
 * start. Registered through {@code META-INF/services}.
 */
public final class JulLoggingProvider implements LoggingProvider {
    @Override
    public void initialization() {
        // configured by Main
    }

    @Override
    public void runTime() {
        // configured by Main
    }
}
