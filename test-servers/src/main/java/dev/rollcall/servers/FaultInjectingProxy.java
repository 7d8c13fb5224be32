package dev.rollcall.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy on loopback in front of a real server that answers chosen requests with an error instead of
 * forwarding them: how tests make the real OpenSearch look overloaded (429) or failing (503) on demand.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive", "expect");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile int faultStatus = 429;
    private volatile Predicate<String> faultPaths = path -> true;
    private final AtomicInteger hangsLeft = new AtomicInteger();
    private volatile Predicate<String> hangPaths = path -> false;

    private FaultInjectingProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FaultInjectingProxy start(URI target) {
        try {
            return new FaultInjectingProxy(target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The next {@code count} requests whose path matches answer {@code status} instead of being forwarded. */
    public FaultInjectingProxy failNext(int count, int status, Predicate<String> paths) {
        this.faultStatus = status;
        this.faultPaths = paths;
        this.faultsLeft.set(count);
        return this;
    }

    /**
     * The next {@code count} requests whose path matches are never answered: the proxy holds them until it closes,
     * as a node that has stopped responding does. The client's own timeout is all that ends them.
     */
    public FaultInjectingProxy hangNext(int count, Predicate<String> paths) {
        this.hangPaths = paths;
        this.hangsLeft.set(count);
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    public int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            if (hangPaths.test(path) && hangsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                faultsServed.incrementAndGet();
                try {
                    Thread.sleep(Long.MAX_VALUE); // until close() interrupts it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (faultPaths.test(path) && faultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                faultsServed.incrementAndGet();
                byte[] answer = ("{\"error\":{\"type\":\"injected_fault\",\"reason\":\"injected by test\"},\"status\":" + faultStatus + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(faultStatus, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            forwarded.incrementAndGet();
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
