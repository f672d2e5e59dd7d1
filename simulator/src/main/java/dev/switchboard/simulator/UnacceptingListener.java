package dev.switchboard.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A test instrument beside the simulator: a loopback port where a TCP connect hangs until the
 * client's connect timeout, for testing connect timeouts without leaving loopback. A listening socket
 * with a backlog of one that never accepts, its accept queue filled with plain client sockets. Linux
 * drops a SYN that arrives while the accept queue is full (the client retransmits it, and keeps
 * waiting), so nothing refuses the connection and nothing completes it.
 *
 * <p>Opening fails when connects to the full queue do not hang (a system that refuses them instead),
 * rather than letting a connect-timeout test pass for the wrong reason.
 */
public final class UnacceptingListener implements AutoCloseable {
    private static final int FILL_CONNECT_TIMEOUT_MS = 250;
    private static final int MAX_FILLERS = 16;
    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private UnacceptingListener(ServerSocket server) {
        this.server = server;
    }

    public static UnacceptingListener open() {
        try {
            UnacceptingListener listener =
                    new UnacceptingListener(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            listener.fill();
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects fillers until one hangs: from then on the queue is full and every connect hangs. */
    private void fill() throws IOException {
        for (int i = 0; i < MAX_FILLERS; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(
                        new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), FILL_CONNECT_TIMEOUT_MS);
                fillers.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return;
            } catch (IOException e) {
                socket.close();
                close();
                throw new IllegalStateException("a connect to a full accept queue failed instead of hanging: " + e, e);
            }
        }
        close();
        throw new IllegalStateException("the accept queue did not fill after " + MAX_FILLERS + " connects");
    }

    /** An OpenAI-style base URL at this port. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    @Override
    public void close() {
        for (Socket socket : fillers) {
            closeQuietly(socket);
        }
        closeQuietly(server);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a test socket cannot fail in a way that matters
        }
    }
}
