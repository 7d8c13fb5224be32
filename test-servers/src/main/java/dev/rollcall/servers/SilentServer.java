package dev.rollcall.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local server that accepts every connection and never answers: a dependency that hangs rather than refuses, the
 * case client timeouts exist for. Closing it drops the connections it holds.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private SilentServer() throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("silent-server").start(this::acceptForever);
    }

    public static SilentServer start() {
        try {
            return new SilentServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Connections accepted so far: proof that a client got as far as waiting for an answer. */
    public int accepted() {
        return held.size();
    }

    private void acceptForever() {
        while (!socket.isClosed()) {
            try {
                held.add(socket.accept());
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
