package dev.rollcall.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;

/** A local port nothing listens on: where tests point a client to see a dependency that is down. */
public final class ClosedPort {

    private ClosedPort() {
    }

    /** A port the OS just handed out and that was closed again, so connecting to it is refused at once. */
    public static int number() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<closed port>}. */
    public static URI http() {
        return URI.create("http://127.0.0.1:" + number());
    }
}
