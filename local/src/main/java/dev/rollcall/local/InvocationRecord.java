package dev.rollcall.local;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * Lambda's invocation record, the message an asynchronous invocation's on-failure destination receives: the event as
 * {@code requestPayload} and the last attempt's error as {@code responsePayload}. Local mode parks the same message as
 * the stack, so the event-delivery dead-letter queue reads, and replays through the ingest queue, the same way.
 */
final class InvocationRecord {

    /** Every attempt failed (the only condition under which the stack's destination receives an event). */
    static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    /** Local mode's own: it stopped while a retry waited, and the accepted event was parked rather than dropped. */
    static final String LOCAL_MODE_STOPPED = "LocalModeStopped";

    private InvocationRecord() {
    }

    /**
     * The record for {@code event}, sent to {@code function} {@code attempts} times; {@code error} is the last attempt's
     * error payload (errorMessage, errorType, stackTrace), or null when there was none to report.
     */
    static String of(String function, String event, String error, int attempts, String condition, Instant at) {
        ObjectNode record = AlertJson.mapper().createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", at.toString());
        record.putObject("requestContext")
                .put("requestId", UUID.randomUUID().toString())
                .put("functionArn", "arn:aws:lambda:" + LocalConfig.REGION + ":" + LocalConfig.ACCOUNT_ID + ":function:" + function + ":$LATEST")
                .put("condition", condition)
                .put("approximateInvokeCount", attempts);
        record.set("requestPayload", payload(event));
        if (error != null) {
            record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST").put("functionError", "Unhandled");
            record.set("responsePayload", payload(error));
        }
        return record.toString();
    }

    /** A payload as JSON when it is, as Lambda keeps it; otherwise as the string it was. */
    private static JsonNode payload(String text) {
        try {
            return AlertJson.readTree(text);
        } catch (RuntimeException e) {
            return AlertJson.mapper().getNodeFactory().textNode(text);
        }
    }
}
