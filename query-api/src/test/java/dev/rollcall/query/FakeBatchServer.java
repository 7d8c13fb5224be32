package dev.rollcall.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the AWS Batch endpoint on 127.0.0.1: records every request the SDK really sends (method, path,
 * headers, JSON body) and answers each operation path with canned JSON.
 */
public final class FakeBatchServer implements AutoCloseable {

    /** One request as received. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Canned(int status, String json) {
    }

    private final HttpServer server;
    private final List<Recorded> requests = new ArrayList<>();
    private final Map<String, Deque<Canned>> answers = new HashMap<>();

    public FakeBatchServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Canned canned;
            synchronized (this) {
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                Deque<Canned> turns = answers.get(exchange.getRequestURI().getPath());
                canned = turns == null ? new Canned(404, "{\"__type\":\"ClientException\",\"message\":\"no canned answer\"}")
                        : turns.size() > 1 ? turns.poll() : turns.peek();
            }
            byte[] bytes = canned.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (canned.status() >= 400) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType(canned.json()));
            }
            exchange.sendResponseHeaders(canned.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    private static String errorType(String json) {
        int start = json.indexOf("\"__type\":\"");
        return start < 0 ? "ServerException" : json.substring(start + 10, json.indexOf('"', start + 10));
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers requests to {@code path} (e.g. {@code /v1/submitjob}) with {@code status} and {@code json}. */
    public synchronized FakeBatchServer answer(String path, int status, String json) {
        return answerInTurn(path, status, json);
    }

    /** Answers requests to {@code path} with each of {@code jsons} in turn, the last one from then on. */
    public synchronized FakeBatchServer answerInTurn(String path, int status, String... jsons) {
        Deque<Canned> turns = new ArrayDeque<>();
        for (String json : jsons) {
            turns.add(new Canned(status, json));
        }
        answers.put(path, turns);
        return this;
    }

    /** Answers the next request to {@code path}, after the turns already canned, with {@code status} and {@code json}. */
    public synchronized FakeBatchServer thenAnswer(String path, int status, String json) {
        answers.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Canned(status, json));
        return this;
    }

    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
