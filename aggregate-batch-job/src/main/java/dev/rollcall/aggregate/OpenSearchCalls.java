package dev.rollcall.aggregate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.Backoff;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.OpenSearchRefusedException;
import dev.rollcall.core.store.RetryReport;

/**
 * JSON requests to OpenSearch that ride out what a busy domain answers: connection errors, 429 and 5xx are
 * retried with backoff and jitter until a deadline; any other status is returned for the caller to judge.
 */
final class OpenSearchCalls {

    private final OpenSearchHttp http;
    private final Backoff backoff;
    private final Clock clock;
    private final Duration retryFor;
    private final RetryReport.Sink retries;

    /**
     * {@code retryFor}: how long one request keeps being retried before the run fails (and Batch retries the job);
     * {@code retries}: told while a request is being retried.
     */
    OpenSearchCalls(OpenSearchClient client, Clock clock, Duration retryFor, RetryReport.Sink retries) {
        this.http = new OpenSearchHttp(client);
        this.backoff = Backoff.DEFAULT;
        this.clock = clock;
        this.retryFor = retryFor;
        this.retries = retries;
    }

    OpenSearchHttp http() {
        return http;
    }

    Duration retryFor() {
        return retryFor;
    }

    /** A report of the retries of one request, {@code request} being its method and path. */
    RetryReport retryReport(String request) {
        return new RetryReport(retries, clock, request);
    }

    RetryReport.Sink retries() {
        return retries;
    }

    /**
     * Returns once OpenSearch answers anything about {@code index}, retrying until the deadline like every request: the
     * index template installer, which runs first, does not retry, so a domain still restarting would fail the run at
     * once, and one that is down would fail it with a stack trace instead of {@link OpenSearchUnavailableException}.
     */
    void awaitReachable(String index) {
        send("HEAD", "/" + index, null, null);
    }

    /** Sends a request, retrying transient failures; answers whatever else OpenSearch said. */
    OpenSearchHttp.Answer send(String method, String path, Map<String, String> query, Object body) {
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : AlertJson.toBytes(body);
        Instant deadline = clock.instant().plus(retryFor);
        RetryReport report = retryReport(method + " " + path);
        for (int attempt = 0; ; attempt++) {
            String failure;
            try {
                OpenSearchHttp.Answer answer = http.execute(method, path, query, bytes, bytes == null ? null : "application/json");
                if (!isTransient(answer.status())) {
                    report.succeeded();
                    return answer;
                }
                failure = method + " " + path + " answered " + answer.status() + ": " + abbreviate(answer.text());
            } catch (IOException | RuntimeException e) {
                if (interrupted(e)) {
                    // Termination interrupted the request, not the domain: retrying it would hold the stop up until
                    // the JVM is halted, and report an outage that was not one.
                    throw new TerminatedException();
                }
                failure = method + " " + path + ": OpenSearch unreachable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
            Duration wait = backoff.delay(attempt);
            if (clock.instant().plus(wait).isAfter(deadline)) {
                throw new OpenSearchUnavailableException(failure + "; gave up after " + retryFor);
            }
            report.failed(failure, deadline);
            sleep(wait);
        }
    }

    /**
     * Sends once and never throws: for releasing a search context (point-in-time, scroll) that expires by itself,
     * where a failure loses nothing and must not fail the read it ends.
     */
    void release(String path, Object body) {
        try {
            http.execute("DELETE", path, null, AlertJson.toBytes(body), "application/json");
        } catch (IOException | RuntimeException e) {
            // left to expire
        }
    }

    /** Like {@link #send} but any non-2xx answer is an error; returns the parsed body. */
    JsonNode json(String method, String path, Map<String, String> query, Object body) {
        OpenSearchHttp.Answer answer = send(method, path, query, body);
        if (!answer.ok()) {
            throw new OpenSearchRefusedException(method + " " + path, answer.status(), answer.text());
        }
        return AlertJson.readTree(answer.body());
    }

    /** Deletes what {@code query} matches in {@code index} (none when it does not exist), refreshed; answers how many. */
    long deleteByQuery(String index, ObjectNode query) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.set("query", query);
        OpenSearchHttp.Answer answer = send("POST", "/" + index + "/_delete_by_query",
                Map.of("conflicts", "proceed", "refresh", "true", "ignore_unavailable", "true", "allow_no_indices", "true"), body);
        if (answer.status() == 404) {
            return 0;
        }
        if (!answer.ok()) {
            throw new OpenSearchRefusedException("deleting from " + index, answer.status(), answer.text());
        }
        return AlertJson.readTree(answer.body()).path("deleted").asLong();
    }

    /**
     * Whether {@code e} is an interrupt surfacing from inside the transport; clears the thread's interrupt status, as
     * {@link #sleep} does, so that the run's wrap-up can still send requests.
     */
    static boolean interrupted(Throwable e) {
        boolean interrupted = Thread.interrupted();
        for (Throwable cause = e; cause != null && !interrupted; cause = cause.getCause()) {
            interrupted = cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException
                    && !(cause instanceof java.net.SocketTimeoutException);
        }
        return interrupted;
    }

    static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }

    /**
     * Sleeps {@code d}; interrupted, which only {@link Termination} does to a run's thread, throws
     * {@link TerminatedException} with the interrupt consumed, so that the run's wrap-up (its lease) can still talk to
     * OpenSearch.
     */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new TerminatedException();
        }
    }
}
