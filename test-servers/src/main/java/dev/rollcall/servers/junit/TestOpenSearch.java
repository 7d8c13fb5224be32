package dev.rollcall.servers.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * The test OpenSearch node: its address, and a plain HTTP client for assertions that must not go through the
 * code under test.
 */
public record TestOpenSearch(URI uri) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A plain HTTP answer. */
    public record Response(int status, String body) {
    }

    /** A fresh index-name prefix, so test classes never see each other's data. */
    public static String uniquePrefix(String hint) {
        return "t-" + hint.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Response request(String method, String path, String jsonBody) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody);
        HttpRequest request = HttpRequest.newBuilder(uri.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body)
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Makes everything written to indices matching {@code pattern} visible to search. */
    public void refresh(String pattern) {
        request("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    }

    /** Number of documents in indices matching {@code pattern} (0 when none exist), after a refresh. */
    public long count(String pattern) {
        return count(pattern, null);
    }

    /** Number of documents matching {@code queryJson} (a {@code _count} body) in indices matching {@code pattern}. */
    public long count(String pattern, String queryJson) {
        refresh(pattern);
        Response response = countRequest(pattern, queryJson);
        if (response.status() == 503) {
            // An index the code under test has just created answers 503 until its primary shard starts: wait for
            // that, once, rather than fail a test that polls for its first document.
            request("GET", "/_cluster/health/" + pattern + "?wait_for_status=yellow&timeout=30s", null);
            refresh(pattern);
            response = countRequest(pattern, queryJson);
        }
        if (response.status() == 404) {
            return 0;
        }
        var matcher = java.util.regex.Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected _count answer " + response.status() + ": " + response.body());
        }
        return Long.parseLong(matcher.group(1));
    }

    private Response countRequest(String pattern, String queryJson) {
        return request(queryJson == null ? "GET" : "POST", "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true", queryJson);
    }

    /** Deletes indices matching {@code pattern}. */
    public void deleteIndices(String pattern) {
        request("DELETE", "/" + pattern + "?ignore_unavailable=true&allow_no_indices=true", null);
    }
}
