package dev.rollcall.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.IncomingEvent;

/**
 * Ingests one EventBridge event per invocation. A stream handler, so the event's bytes reach the normalizer exactly
 * as EventBridge sent them (no detour through a typed event that would round numbers past 2^53).
 *
 * <p>An event that could not be stored yet (OpenSearch down or pushing back) goes to the ingest queue when one is
 * configured ({@link EventRetryQueue}), whose redeliveries outlast an outage. Any other failure, and one the queue
 * does not take, makes the invocation fail, so Lambda's asynchronous retries and then the function's dead-letter
 * queue keep it: nothing is dropped.
 */
public final class EventBridgeHandler implements RequestStreamHandler {

    private static final Logger LOG = LogManager.getLogger(EventBridgeHandler.class);
    /** The most of one envelope field a failure line carries. */
    private static final int ENVELOPE_FIELD_CHARS = 200;

    private final IngestRuntime runtime;
    private final Optional<EventRetryQueue> retryQueue;

    public EventBridgeHandler() {
        this(IngestRuntime.fromEnvironment(), EventRetryQueue.fromEnvironment(System.getenv()));
    }

    /** Without a retry queue: a failed event fails the invocation. */
    public EventBridgeHandler(IngestRuntime runtime) {
        this(runtime, Optional.empty());
    }

    public EventBridgeHandler(IngestRuntime runtime, Optional<EventRetryQueue> retryQueue) {
        this.runtime = runtime;
        this.retryQueue = retryQueue;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext.put("request_id", requestId)) {
            byte[] body = input.readAllBytes();
            IncomingEvent event = new IncomingEvent(body, null, Map.of(), IncomingEvent.Door.EVENTBRIDGE, runtime.now());
            IngestReport report = runtime.ingest(List.of(event), context);
            InvocationReport.publish(LOG, "eventbridge", report);
            EventOutcome outcome = report.outcomes().get(0);
            if (outcome.isFailure()) {
                // Which event it was, so that it can be found again in the queue or the event-delivery dead-letter queue.
                try (CloseableThreadContext.Instance named = CloseableThreadContext.putAll(envelopeFields(body))) {
                    if (outcome.isRetryable() && queuedForRetry(body, outcome, timeLeft(context))) {
                        output.write(("{\"status\":\"queued_for_retry\",\"alerts\":" + outcome.alerts() + "}").getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    LOG.error("event not ingested ({}): {}", outcome.kind(), outcome.reason());
                }
                throw new EventNotIngestedException(outcome.kind() + ": " + outcome.reason());
            }
            String answer = "{\"status\":\"" + (outcome.kind() == EventOutcome.Kind.STORED ? "stored" : "not_an_alert")
                    + "\",\"alerts\":" + outcome.alerts() + ",\"indexed\":" + outcome.indexed()
                    + ",\"duplicates\":" + outcome.duplicates() + "}";
            output.write(answer.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether the event is on the retry queue now; a queue that does not take it leaves it to Lambda's retries. */
    private boolean queuedForRetry(byte[] body, EventOutcome outcome, java.time.Duration timeLeft) {
        if (retryQueue.isEmpty()) {
            return false;
        }
        try {
            retryQueue.get().offer(body, timeLeft);
            LOG.warn("event not stored yet, left on the ingest queue for its redeliveries: {}", outcome.reason());
            return true;
        } catch (RuntimeException e) {
            LOG.error("the ingest queue did not take the event either: {}", e.getMessage());
            return false;
        }
    }

    /** What a send to the queue may take: the invocation's time less half a second to answer. */
    private static java.time.Duration timeLeft(Context context) {
        return context == null ? EventRetryQueue.SEND_TIMEOUT : java.time.Duration.ofMillis(context.getRemainingTimeInMillis() - 500L);
    }

    /**
     * The EventBridge envelope's {@code id}, {@code source}, {@code detail-type} and {@code account} for a log line, as
     * far as the body has them: it may be the very JSON that could not be read.
     */
    static Map<String, String> envelopeFields(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            JsonNode envelope = AlertJson.mapper().readTree(body);
            for (String name : List.of("id", "source", "detail-type", "account")) {
                JsonNode value = envelope == null ? null : envelope.get(name);
                if (value != null && value.isTextual()) {
                    String text = value.asText();
                    // A sender controls these: a log line stays a line, however long they are.
                    fields.put("event_" + name.replace('-', '_'), text.length() > ENVELOPE_FIELD_CHARS ? text.substring(0, ENVELOPE_FIELD_CHARS) : text);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Malformed: the outcome's reason says so, and there is no envelope to name.
        }
        return fields;
    }

    /** Fails the invocation on purpose so Lambda retries it and finally dead-letters it. */
    public static final class EventNotIngestedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EventNotIngestedException(String message) {
            super(message, null, false, false);
        }
    }
}
