package dev.rollcall.query.telemetry;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.StringMapMessage;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiRequest;

/**
 * Structured log lines of a request: every line inside {@link #open} carries the request id and route (as context
 * fields of the JSON layout), and each request ends with one access line. Expected errors are logged with their
 * message only; a stack trace appears only for failures the API did not expect.
 */
public final class RequestLog {

    private static final Logger LOG = LogManager.getLogger(RequestLog.class);

    private RequestLog() {
    }

    public static void open(String requestId) {
        // A request that ended in an Error (out of memory) skipped close(): its fields must not reach this one's lines.
        close();
        ThreadContext.put("request_id", requestId == null ? "none" : requestId);
    }

    /**
     * API Gateway's id of the request, which its access log names ({@code requestId}), when it differs from the
     * Lambda request id the lines carry: the alarms count from the access log, so its lines are where a search starts.
     */
    public static void apiRequest(String apiRequestId) {
        if (apiRequestId != null) {
            ThreadContext.put("api_request_id", apiRequestId);
        }
    }

    public static void route(String route) {
        ThreadContext.put("route", route);
    }

    /** Whether the answer was remembered ({@code hit}), computed and remembered ({@code miss}), or neither. */
    public static void cache(String outcome) {
        ThreadContext.put("cache", outcome);
    }

    /** The outcome {@link #cache} noted for this request; null when its route never remembers answers. */
    public static String cacheOutcome() {
        return ThreadContext.get("cache");
    }

    public static void close() {
        ThreadContext.remove("request_id");
        ThreadContext.remove("api_request_id");
        ThreadContext.remove("route");
        ThreadContext.remove("cache");
    }

    /** The access line; {@code request} is null when the event could not even be read. */
    public static void access(ApiRequest request, int status, double latencyMillis) {
        LOG.log(status >= 500 ? Level.WARN : Level.INFO, new StringMapMessage()
                .with("event", "request")
                // Cut like an error's message: a client's 100 KB path must not make a 100 KB line per request.
                .with("method", request == null ? "" : ApiError.shown(request.method()))
                .with("path", request == null ? "" : ApiError.shown(request.path()))
                .with("status", Integer.toString(status))
                .with("latency_ms", String.format(java.util.Locale.ROOT, "%.3f", latencyMillis)));
    }

    /** An answer the API meant to give (4xx, or 5xx of a dependency): a line with its message, no stack trace. */
    public static void expected(ApiError error) {
        LOG.log(error.status() >= 500 ? Level.WARN : Level.INFO, "{} {}: {}", error.status(), error.code(), error.getMessage());
    }

    public static void unexpected(RuntimeException error) {
        LOG.error("request failed unexpectedly", error);
    }
}
