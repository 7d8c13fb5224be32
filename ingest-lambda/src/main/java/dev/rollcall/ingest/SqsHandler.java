package dev.rollcall.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.type.TypeReference;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.IncomingEvent;

/**
 * Ingests an SQS batch and answers a partial batch response naming only the messages to retry: those OpenSearch
 * could not take in time (redelivered later) and those that can never be indexed (dead-lettered after the redrive
 * count). One bad message never fails the rest of its batch.
 */
public final class SqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Message attribute naming the payload's source, set by the webhook handler or by producers. */
    public static final String SOURCE_ATTRIBUTE = "rollcall-source";
    /** Message attribute with the HTTP headers a webhook arrived with, as a JSON object. */
    public static final String HEADERS_ATTRIBUTE = "rollcall-headers";
    /**
     * Message attribute the webhook handler sets to {@value #WEBHOOK_DOOR}: such a message is believed no more than
     * its webhook token (never an AWS service's event; Sentry's or PagerDuty's only on their own paths).
     */
    public static final String DOOR_ATTRIBUTE = "rollcall-door";
    public static final String WEBHOOK_DOOR = "webhook";
    /**
     * The door the EventBridge function sets on an event it left on the queue (see {@link EventRetryQueue}): read as
     * that function reads it, so it becomes the same documents. It believes the body no more than the queue's door does.
     */
    public static final String EVENTBRIDGE_DOOR = "eventbridge";
    /** The metrics door of those events when the SQS function takes them from the queue. */
    static final String QUEUED_EVENTBRIDGE_DOOR = "eventbridge_queue";
    /**
     * Message attribute the webhook handler sets to when it received the request (epoch milliseconds). Every copy of
     * one delivery carries it, also a copy the SDK queued again after losing the answer to its first send, so it
     * stands for the first send time of webhook messages.
     */
    public static final String RECEIVED_AT_ATTRIBUTE = "rollcall-received-at";
    /** The earliest receive time believed, as for a body's own time. */
    static final Instant EARLIEST_RECEIVED = Instant.parse("2000-01-01T00:00:00Z");
    /** How much later than {@code SentTimestamp} it may be: API Gateway's clock and SQS's are not one clock. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(1);

    private static final Logger LOG = LogManager.getLogger(SqsHandler.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final IngestRuntime runtime;

    public SqsHandler() {
        this(IngestRuntime.fromEnvironment());
    }

    public SqsHandler(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext.put("request_id", requestId)) {
            // A direct invocation with a JSON null carries no messages, as one without Records does.
            List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
            List<IncomingEvent> incoming = new ArrayList<>(messages.size());
            for (SQSEvent.SQSMessage message : messages) {
                incoming.add(toIncoming(message));
            }
            IngestReport report = runtime.ingest(incoming, context);
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                EventOutcome outcome = report.outcomes().get(i);
                if (outcome.isFailure()) {
                    String messageId = messages.get(i).getMessageId();
                    failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
                    logFailure(messages.get(i), outcome);
                }
            }
            publishByDoor(incoming, report);
            return new SQSBatchResponse(failures);
        }
    }

    /**
     * The counts by the door the messages came in by: the webhook function's, the EventBridge function's (events it
     * queued) and other producers' messages share this queue, and the dashboard tells their volumes apart by it. The
     * invocation's bulk retries go with the first of those published (producers', webhooks', queued events'): they
     * are the invocation's, counted once.
     */
    static void publishByDoor(List<IncomingEvent> incoming, IngestReport report) {
        List<EventOutcome> webhook = new ArrayList<>();
        List<EventOutcome> eventBridge = new ArrayList<>();
        List<EventOutcome> direct = new ArrayList<>();
        for (int i = 0; i < incoming.size(); i++) {
            IncomingEvent.Door door = incoming.get(i).door();
            (door == IncomingEvent.Door.WEBHOOK ? webhook : door == IncomingEvent.Door.EVENTBRIDGE ? eventBridge : direct)
                    .add(report.outcomes().get(i));
        }
        int bulkRetries = report.bulkRetries();
        if (!direct.isEmpty() || (webhook.isEmpty() && eventBridge.isEmpty())) {
            InvocationReport.publish(LOG, "sqs", new IngestReport(direct, bulkRetries));
            bulkRetries = 0;
        }
        if (!webhook.isEmpty()) {
            InvocationReport.publish(LOG, WEBHOOK_DOOR, new IngestReport(webhook, bulkRetries));
            bulkRetries = 0;
        }
        // Events the EventBridge function left here while OpenSearch could not take them: neither the producers'
        // volume nor a second count under the EventBridge door, which counted each as received and retried already.
        if (!eventBridge.isEmpty()) {
            InvocationReport.publish(LOG, QUEUED_EVENTBRIDGE_DOOR, new IngestReport(eventBridge, bulkRetries));
        }
    }

    private IncomingEvent toIncoming(SQSEvent.SQSMessage message) {
        String body = message.getBody() == null ? "" : message.getBody();
        Instant now = runtime.now();
        String door = attribute(message, DOOR_ATTRIBUTE);
        boolean webhook = WEBHOOK_DOOR.equals(door);
        return new IncomingEvent(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), attribute(message, SOURCE_ATTRIBUTE),
                headers(message), webhook ? IncomingEvent.Door.WEBHOOK
                        : EVENTBRIDGE_DOOR.equals(door) ? IncomingEvent.Door.EVENTBRIDGE : IncomingEvent.Door.SQS,
                now, sentAt(message, webhook, now));
    }

    /**
     * When the message was first handed to Rollcall, which every redelivery repeats: for a webhook's message the
     * webhook's receive time ({@value #RECEIVED_AT_ATTRIBUTE}, which a second send of the same delivery repeats too),
     * else SQS's {@code SentTimestamp}; {@code now} without either.
     */
    static Instant sentAt(SQSEvent.SQSMessage message, boolean webhook, Instant now) {
        Instant sent = epochMillis(message.getAttributes() == null ? null : message.getAttributes().get("SentTimestamp"));
        if (webhook) {
            Instant received = epochMillis(attribute(message, RECEIVED_AT_ATTRIBUTE));
            // Any producer may set both attributes: a time after the send would choose a future month's index (and
            // create it) for a body without a time of its own. Any earlier time since 2000 is believed, as a body's own
            // time is: a message redriven from the dead-letter queue is sent anew, hours or days after its receipt.
            if (received != null && (sent == null || !received.isAfter(sent.plus(CLOCK_SKEW)) && !received.isBefore(EARLIEST_RECEIVED))) {
                return received;
            }
        }
        return sent == null ? now : sent;
    }

    private static Instant epochMillis(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String attribute(SQSEvent.SQSMessage message, String name) {
        Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
        if (attributes == null || attributes.get(name) == null) {
            return null;
        }
        return attributes.get(name).getStringValue();
    }

    private static Map<String, String> headers(SQSEvent.SQSMessage message) {
        String json = attribute(message, HEADERS_ATTRIBUTE);
        if (json == null) {
            return Map.of();
        }
        try {
            return AlertJson.mapper().readValue(json, HEADERS);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable {} attribute of message {}", HEADERS_ATTRIBUTE, message.getMessageId());
            return Map.of();
        }
    }

    /** Characters of a failure's reason kept in its log field: a parser's message can quote much of a body. */
    static final int REASON_FIELD_CHARS = 1000;

    private static String reasonField(String reason) {
        if (reason == null) {
            return "";
        }
        return reason.length() <= REASON_FIELD_CHARS ? reason : reason.substring(0, REASON_FIELD_CHARS) + "...";
    }

    private static void logFailure(SQSEvent.SQSMessage message, EventOutcome outcome) {
        String receiveCount = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext
                .put("message_id", message.getMessageId())
                .put("outcome", outcome.kind().name().toLowerCase(java.util.Locale.ROOT))
                // A field of its own, so that the dead-letter runbook's query can sort bugs from bad bodies.
                .put("reason", reasonField(outcome.reason()))
                .put("receive_count", receiveCount == null ? "" : receiveCount)) {
            if (outcome.isRetryable()) {
                LOG.warn("message left for redelivery: {}", outcome.reason());
            } else {
                LOG.error("message cannot be ingested, it goes to the dead-letter queue after the redrive count: {}", outcome.reason());
            }
        }
    }
}
