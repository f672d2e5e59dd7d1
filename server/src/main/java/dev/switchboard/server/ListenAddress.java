package dev.switchboard.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Checks, before anything is created, that the gateway can listen where it is configured to, so a
 * taken port or a bad host is reported in one line and a failed first start does not use up the
 * one-time keys. The server's own bind is still checked afterwards: another process may take the
 * port in between.
 */
public final class ListenAddress {
    private ListenAddress() {}

    /**
     * Fails early, with a clear message, when the gateway could not listen on {@code host:port}.
     *
     * @throws StartupFailure when the host does not resolve or the port cannot be bound
     */
    public static void checkAvailable(String host, int port) {
        InetAddress address = resolve(host);
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new StartupFailure(
                    "cannot listen on " + host + ":" + port + ": " + StartupFailure.rootMessage(e)
                            + " (is another process using the port? choose another with --port)",
                    e);
        } catch (IOException e) {
            throw new StartupFailure("cannot listen on " + host + ":" + port + ": " + StartupFailure.rootMessage(e), e);
        }
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new StartupFailure(
                    "cannot listen on host '" + host + "': not a known address or host name"
                            + " (set server.host, --host or SWITCHBOARD_SERVER_HOST)",
                    e);
        }
    }
}
