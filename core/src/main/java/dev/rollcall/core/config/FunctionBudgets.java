package dev.rollcall.core.config;

import java.time.Duration;

/**
 * The time the CDK stack gives each function and each of its OpenSearch requests, defined once: local mode runs the
 * same handlers with the same budgets, so a hung OpenSearch or a slow batch behaves there as it will deployed.
 */
public final class FunctionBudgets {

    /** The EventBridge ingest function's timeout. */
    public static final Duration EVENTBRIDGE_INGEST_TIMEOUT = Duration.ofSeconds(30);
    /** The SQS ingest function's timeout; the ingest queue's visibility timeout is derived from it. */
    public static final Duration SQS_INGEST_TIMEOUT = Duration.ofSeconds(60);
    /** The webhook function's timeout: it verifies a signature and sends one SQS message. */
    public static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    /** The query function's timeout, just under the HTTP API's 30 s integration limit. */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(29);

    /**
     * One OpenSearch request of an ingest function may take 3 s to connect and this long to answer; the last
     * {@link #INGEST_DEADLINE_MARGIN} of an invocation are kept free, so a request that starts before that reserve cannot
     * outlive the invocation and 2 s remain to report. When OpenSearch stops answering, the events come back as "retry
     * later" instead of a Lambda timeout that takes the whole batch and its log line with it.
     */
    public static final Duration INGEST_OPENSEARCH_TIMEOUT = Duration.ofSeconds(9);
    /** See {@link #INGEST_OPENSEARCH_TIMEOUT}: connect, one request and 2 s to report. */
    public static final Duration INGEST_DEADLINE_MARGIN = Duration.ofSeconds(14);
    /**
     * A query's search that hangs ends as the API's own retryable 503 after this long, well before the function's
     * timeout would end it as API Gateway's bare 500 (rollup searches take milliseconds).
     */
    public static final Duration QUERY_OPENSEARCH_TIMEOUT = Duration.ofSeconds(10);

    private FunctionBudgets() {
    }
}
