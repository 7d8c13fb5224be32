package dev.rollcall.core.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells an operator that one request to OpenSearch is being retried: at its first retry, then at most once per
 * interval, and once more when it gets through. A run waiting minutes on a busy or absent domain thus shows why in its
 * log, without a line per attempt. One instance follows one request; it is not shared between threads.
 */
public final class RetryReport {

    /** How often a request still being retried is reported again. */
    public static final Duration EVERY = Duration.ofSeconds(30);

    /** Where the reports go. */
    public interface Sink {

        /** Says nothing: for callers that report retries some other way (the ingest handler's invocation line). */
        Sink NONE = new Sink() {
            @Override
            public void retrying(Retrying retrying) {
                // reported elsewhere
            }

            @Override
            public void recovered(String request, int failures, Duration waited) {
                // reported elsewhere
            }
        };

        /** The request failed {@code retrying.failures()} times so far and is retried until its deadline. */
        void retrying(Retrying retrying);

        /** The request got through after {@code failures} failures, {@code waited} after the first. */
        void recovered(String request, int failures, Duration waited);
    }

    /**
     * One report of a request still being retried.
     *
     * @param request what was sent, as method and path
     * @param reason  what the last attempt got back
     * @param failures attempts that failed so far
     * @param waited  time since the first failure
     * @param givesUpAt when the request stops being retried
     */
    public record Retrying(String request, String reason, int failures, Duration waited, Instant givesUpAt) {
    }

    private final Sink sink;
    private final Clock clock;
    private final Duration every;
    private final String request;
    private Instant firstFailure;
    private Instant lastReported;
    private int failures;

    public RetryReport(Sink sink, Clock clock, Duration every, String request) {
        this.sink = sink;
        this.clock = clock;
        this.every = every;
        this.request = request;
    }

    public RetryReport(Sink sink, Clock clock, String request) {
        this(sink, clock, EVERY, request);
    }

    /** Counts a failed attempt that will be retried; reports it if it is the first or the last report is old enough. */
    public void failed(String reason, Instant givesUpAt) {
        Instant now = clock.instant();
        failures++;
        if (firstFailure == null) {
            firstFailure = now;
        }
        if (lastReported == null || !now.isBefore(lastReported.plus(every))) {
            lastReported = now;
            sink.retrying(new Retrying(request, reason, failures, Duration.between(firstFailure, now), givesUpAt));
        }
    }

    /** The request got through; reports the recovery if a failure was reported. */
    public void succeeded() {
        if (lastReported != null) {
            sink.recovered(request, failures, Duration.between(firstFailure, clock.instant()));
        }
    }
}
