package dev.rollcall.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of a secured OpenSearch node that sends every request on as one user: it stands in for
 * Amazon OpenSearch Service's front door, which turns a SigV4-signed request into the caller's IAM role before
 * fine-grained access control decides what that role may do. A component pointed at it needs no credentials of its
 * own, as a component signing with its task or function role needs none in its configuration.
 */
public final class AuthenticatingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself, or that describe the hop rather than the message. */
    private static final Set<String> HOP_HEADERS = Set.of("authorization", "connection", "content-length", "host",
            "transfer-encoding", "upgrade", "expect", "keep-alive", "te", "trailer", "proxy-authorization", "date");

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client;
    private final URI target;
    private final String authorization;
    private final UnaryOperator<byte[]> requestBodies;

    private AuthenticatingProxy(URI target, String authorization, UnaryOperator<byte[]> requestBodies) throws IOException {
        this.target = target;
        this.authorization = authorization;
        this.requestBodies = requestBodies;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        this.threads = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code target} with the {@code Authorization} value given. */
    public static AuthenticatingProxy start(URI target, String authorization) {
        return start(target, authorization, UnaryOperator.identity());
    }

    /**
     * Like {@link #start(URI, String)}, passing each request body through {@code requestBodies} first: for a node of
     * another version than the one deployed, which words one thing differently.
     */
    public static AuthenticatingProxy start(URI target, String authorization, UnaryOperator<byte[]> requestBodies) {
        try {
            return new AuthenticatingProxy(target, authorization, requestBodies);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not start the authenticating proxy", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = requestBodies.apply(in.readAllBytes());
            }
            URI incoming = exchange.getRequestURI();
            String pathAndQuery = incoming.getRawPath() + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                    // Longer than any client's own timeout: the client decides when a request has taken too long.
                    .timeout(Duration.ofMinutes(5))
                    .method(exchange.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Authorization", authorization);
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                // What a client of an unreachable domain sees from its load balancer.
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            boolean bodiless = "HEAD".equals(exchange.getRequestMethod()) || answer.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), bodiless ? -1 : answer.length);
            if (!bodiless) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
