package dev.rollcall.core.config;

import java.util.List;

/**
 * The CloudWatch metrics Rollcall's functions publish, named once for the functions that write them and the stack's
 * dashboard that graphs them.
 */
public final class OperatorMetrics {

    /** Dimension of the ingest counts: the door the events came through ({@code eventbridge}, {@code sqs}, ...). */
    public static final String DOOR = "Door";
    public static final String EVENTS_RECEIVED = "EventsReceived";
    public static final String ALERTS_INDEXED = "AlertsIndexed";
    public static final String ALERTS_DUPLICATE = "AlertsDuplicate";
    public static final String EVENTS_NOT_ALERTS = "EventsNotAlerts";
    public static final String EVENTS_FAILED = "EventsFailed";
    public static final String EVENTS_RETRIED = "EventsRetried";
    /**
     * Retry rounds of the bulk writes, each sending again what OpenSearch pushed back (429, 5xx, no connection): the
     * early sign of overload.
     */
    public static final String BULK_RETRIES = "BulkRetries";
    /** Every ingest count, in the order the dashboard draws them. */
    public static final List<String> INGEST_COUNTS = List.of(EVENTS_RECEIVED, ALERTS_INDEXED, ALERTS_DUPLICATE, EVENTS_NOT_ALERTS,
            EVENTS_FAILED, EVENTS_RETRIED, BULK_RETRIES);

    /** The query API's latency of one request in milliseconds, with the dimension {@link #ROUTE}. */
    public static final String QUERY_LATENCY = "latency";
    public static final String ROUTE = "route";
    /**
     * 1 when a report route gave an answer from memory, else 0, with the dimension {@link #ROUTE}: its average is the
     * share of requests answered without a search.
     */
    public static final String ANSWER_REMEMBERED = "answer_remembered";

    /**
     * The field of the webhook function's {@code webhook rejected} line that says how: {@link #CREDENTIALS_REFUSED}
     * (credentials presented and refused: a sender set up wrong) or {@link #CREDENTIALS_MISSING}. The stack counts the
     * first from the log as {@link #WEBHOOK_CREDENTIALS_REFUSED}.
     */
    public static final String WEBHOOK_REJECTION_FIELD = "rejection";
    public static final String CREDENTIALS_REFUSED = "credentials_refused";
    public static final String CREDENTIALS_MISSING = "credentials_missing";
    public static final String WEBHOOK_CREDENTIALS_REFUSED = "WebhookCredentialsRefused";

    private OperatorMetrics() {
    }
}
