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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy on loopback in front of a real server that answers chosen requests with an error instead of
 * forwarding them: how tests make the real OpenSearch look overloaded (429) or failing (503) on demand. It can also
 * forward a request and then hide the real answer behind a fault: a write that happened but was never confirmed.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive", "expect");
    /** {@link #unconfirmedStatus} saying: keep the server's 200 and rewrite its {@code _bulk} items instead. */
    private static final int BULK_ITEMS = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

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
    private final AtomicInteger unconfirmedLeft = new AtomicInteger();
    private volatile Predicate<String> unconfirmedPaths = path -> false;
    /** Status answered instead of the server's answer, or {@link #BULK_ITEMS} to rewrite the items of a 200. */
    private volatile int unconfirmedStatus = 429;
    private volatile int unconfirmedItemStatus = 429;

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

    /**
     * The next {@code count} requests whose path matches are forwarded, so the server acts on them (a write is
     * stored), but the client is answered {@code status} instead of the server's answer: as when a node's answer is
     * lost or a node acts on a request and then reports overload. Each counts as forwarded and as a fault served.
     * It shares its count with {@link #rewriteBulkItemsAfterForwardingNext}: the later call of the two decides.
     */
    public FaultInjectingProxy failAfterForwardingNext(int count, int status, Predicate<String> paths) {
        this.unconfirmedStatus = status;
        this.unconfirmedPaths = paths;
        this.unconfirmedLeft.set(count);
        return this;
    }

    /**
     * The next {@code count} {@code _bulk} requests whose path matches are forwarded, so the server stores them, and
     * the server's 200 answer reaches the client with {@code "errors":true} and every item's status replaced by
     * {@code itemStatus}: OpenSearch's own way of saying 429 (per item, inside a 200), here for items it did write.
     * An answer that is not a 200 with items passes unchanged (still using up one of the count). Each counts as
     * forwarded; each rewritten answer also as a fault served.
     */
    public FaultInjectingProxy rewriteBulkItemsAfterForwardingNext(int count, int itemStatus, Predicate<String> paths) {
        this.unconfirmedStatus = BULK_ITEMS;
        this.unconfirmedItemStatus = itemStatus;
        this.unconfirmedPaths = paths;
        this.unconfirmedLeft.set(count);
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
            boolean hideAnswer = unconfirmedPaths.test(path) && unconfirmedLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
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
            if (hideAnswer && unconfirmedStatus != BULK_ITEMS) {
                faultsServed.incrementAndGet();
                byte[] answer = ("{\"error\":{\"type\":\"injected_fault\",\"reason\":\"injected by test after forwarding\"},\"status\":"
                        + unconfirmedStatus + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(unconfirmedStatus, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            byte[] answer = response.body();
            if (hideAnswer && response.statusCode() == 200) {
                byte[] rewritten = withItemStatus(answer, unconfirmedItemStatus);
                if (rewritten != null) {
                    faultsServed.incrementAndGet();
                    answer = rewritten;
                }
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    /** A {@code _bulk} answer with every item's status set to {@code status}; null when it holds no items. */
    private static byte[] withItemStatus(byte[] bulkAnswer, int status) {
        JsonNode answer;
        try {
            answer = JSON.readTree(bulkAnswer);
        } catch (IOException e) {
            return null;
        }
        if (!(answer instanceof ObjectNode root) || !answer.path("items").isArray() || answer.path("items").isEmpty()) {
            return null;
        }
        root.put("errors", true);
        for (JsonNode item : answer.path("items")) {
            // Each item is {"<action>": {...}}; OpenSearch's own 429 item carries an error object beside the status.
            item.elements().forEachRemaining(result -> {
                ObjectNode fields = (ObjectNode) result;
                fields.put("status", status);
                fields.putObject("error").put("type", "es_rejected_execution_exception")
                        .put("reason", "injected by test after the item was written");
            });
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
