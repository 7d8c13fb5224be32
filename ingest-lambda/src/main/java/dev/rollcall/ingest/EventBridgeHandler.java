package dev.rollcall.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.IncomingEvent;

/**
 * Ingests one EventBridge event per invocation. A stream handler, so the event's bytes reach the normalizer exactly
 * as EventBridge sent them (no detour through a typed event that would round numbers past 2^53).
 *
 * <p>A failed event makes the invocation fail, so Lambda's asynchronous retries and then the function's
 * dead-letter queue keep it: nothing is dropped.
 */
public final class EventBridgeHandler implements RequestStreamHandler {

    private static final Logger LOG = LogManager.getLogger(EventBridgeHandler.class);

    private final IngestRuntime runtime;

    public EventBridgeHandler() {
        this(IngestRuntime.fromEnvironment());
    }

    public EventBridgeHandler(IngestRuntime runtime) {
        this.runtime = runtime;
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
                LOG.error("event not ingested ({}): {}", outcome.kind(), outcome.reason());
                throw new EventNotIngestedException(outcome.kind() + ": " + outcome.reason());
            }
            String answer = "{\"status\":\"" + (outcome.kind() == EventOutcome.Kind.STORED ? "stored" : "not_an_alert")
                    + "\",\"alerts\":" + outcome.alerts() + ",\"indexed\":" + outcome.indexed()
                    + ",\"duplicates\":" + outcome.duplicates() + "}";
            output.write(answer.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Fails the invocation on purpose so Lambda retries it and finally dead-letters it. */
    public static final class EventNotIngestedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EventNotIngestedException(String message) {
            super(message, null, false, false);
        }
    }
}
