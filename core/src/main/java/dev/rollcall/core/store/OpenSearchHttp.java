package dev.rollcall.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * Plain HTTP requests through the OpenSearch client's transport (so SigV4 signing applies), answering status and
 * body whether the transport reports an error status as a response or as an exception.
 */
public final class OpenSearchHttp {

    /** A status and a body; never an exception for an HTTP error status. */
    public record Answer(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final OpenSearchGenericClient generic;

    public OpenSearchHttp(OpenSearchClient client) {
        this.generic = client.generic();
    }

    /** Sends a request; throws {@link IOException} only when no answer came (connection refused, timeout). */
    public Answer execute(String method, String endpoint, Map<String, String> query, byte[] body, String contentType) throws IOException {
        var request = Requests.builder().method(method).endpoint(endpoint).query(query == null ? Map.of() : query);
        if (body != null) {
            request.body(Body.from(body, contentType));
        }
        try (Response response = generic.execute(request.build())) {
            byte[] bytes = response.getBody().map(OpenSearchHttp::readAll).orElse(new byte[0]);
            return new Answer(response.getStatus(), bytes);
        } catch (ResponseException e) {
            return answer(e);
        } catch (OpenSearchException e) {
            // The SigV4 transport throws for a 403 (a missing role mapping), even here on the generic endpoint, and
            // as an unchecked exception: unanswered, every caller would fail with a 500 instead of naming a refusal.
            return new Answer(e.status(), String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // 401 and 403 come wrapped as "Unauthorized/Forbidden access" IOExceptions, as if nothing had answered:
            // callers would retry a refusal (a missing role mapping) as an outage and say "did not answer".
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ResponseException refused) {
                    return answer(refused);
                }
            }
            throw e;
        }
    }

    /**
     * The Apache HttpClient 5 transport reports some error statuses as exceptions; they are answers all the same. Its
     * response body is not reachable from here; the message carries the status line and body text.
     */
    private static Answer answer(ResponseException e) {
        return new Answer(e.status(), String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }

    public Answer get(String endpoint) throws IOException {
        return execute("GET", endpoint, null, null, null);
    }

    public Answer putJson(String endpoint, byte[] json) throws IOException {
        return execute("PUT", endpoint, null, json, "application/json");
    }

    public Answer postJson(String endpoint, Map<String, String> query, byte[] json) throws IOException {
        return execute("POST", endpoint, query, json, "application/json");
    }

    private static byte[] readAll(Body body) {
        try (InputStream in = body.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
