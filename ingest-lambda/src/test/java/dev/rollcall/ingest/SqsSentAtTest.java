package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * The time an SQS message was first sent, which a redelivery repeats: a webhook's receive time for its messages, else
 * SQS's {@code SentTimestamp}; the processing time when the message does not say.
 */
class SqsSentAtTest {

    private static final Instant NOW = Instant.parse("2026-02-01T00:00:30Z");

    @ParameterizedTest(name = "SentTimestamp {0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "1769903999500, 2026-01-31T23:59:59.500Z",
            "' 1769903999500 ', 2026-01-31T23:59:59.500Z",
            "none, 2026-02-01T00:00:30Z",
            "yesterday, 2026-02-01T00:00:30Z"})
    void readsSentTimestamp(String sentTimestamp, Instant expected) {
        ObjectNode record = sampleRecord();
        ObjectNode attributes = (ObjectNode) record.path("attributes");
        attributes.remove("SentTimestamp");
        if (sentTimestamp != null) {
            attributes.put("SentTimestamp", sentTimestamp);
        }

        assertThat(SqsHandler.sentAt(message(record), false, NOW)).isEqualTo(expected);
        assertThat(SqsHandler.sentAt(message(record), true, NOW)).as("a webhook's message without its receive time").isEqualTo(expected);
    }

    /** The webhook's own receive time wins for its messages: a copy the SDK sent again has a later SentTimestamp. */
    @ParameterizedTest(name = "webhook {0}, received-at {1} -> {2}")
    @CsvSource(nullValues = "none", value = {
            "true, 1769903999000, 2026-01-31T23:59:59Z",
            "true, ' 1769903999000 ', 2026-01-31T23:59:59Z",
            "true, 1769903999500, 2026-01-31T23:59:59.500Z",
            "true, 1769903699500, 2026-01-31T23:54:59.500Z",
            // A message redriven from the dead-letter queue is sent anew, long after the webhook received it.
            "true, 1769817599500, 2026-01-30T23:59:59.500Z",
            "true, 946684800000, 2000-01-01T00:00:00Z",
            "true, soon, 2026-01-31T23:59:59.500Z",
            "true, none, 2026-01-31T23:59:59.500Z",
            // Any producer may set the attributes: a time after the send (beyond a second of clock skew), or before
            // 2000, is not a webhook's own.
            "true, 1769904000500, 2026-02-01T00:00:00.500Z",
            "true, 1769904000501, 2026-01-31T23:59:59.500Z",
            "true, 946684799999, 2026-01-31T23:59:59.500Z",
            "true, 253402300800000, 2026-01-31T23:59:59.500Z",
            "true, -1, 2026-01-31T23:59:59.500Z",
            // Only the webhook's door reads it at all.
            "false, 1769903999000, 2026-01-31T23:59:59.500Z"})
    void aWebhooksMessageIsTimedByWhenTheWebhookReceivedIt(boolean webhook, String receivedAt, Instant expected) {
        ObjectNode record = sampleRecord();
        ((ObjectNode) record.path("attributes")).put("SentTimestamp", "1769903999500");
        if (receivedAt != null) {
            record.putObject("messageAttributes").putObject(SqsHandler.RECEIVED_AT_ATTRIBUTE)
                    .put("stringValue", receivedAt).put("dataType", "Number");
        }

        assertThat(SqsHandler.sentAt(message(record), webhook, NOW)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aMessageWithoutAttributesWasSentNow() {
        ObjectNode record = sampleRecord();
        record.remove("attributes");
        assertThat(SqsHandler.sentAt(message(record), false, NOW)).isEqualTo(NOW);
    }

    /** The first record of the published sample event, to change before it is read as the Lambda runtime reads it. */
    private static ObjectNode sampleRecord() {
        return (ObjectNode) AlertJson.readTree(LambdaRuntimeSerialization.resource("sqs-event.json")).path("Records").get(0);
    }

    private static SQSEvent.SQSMessage message(ObjectNode record) {
        ObjectNode event = AlertJson.mapper().createObjectNode();
        event.putArray("Records").add(record);
        return LambdaRuntimeSerialization.fromJson(event.toString(), SQSEvent.class).getRecords().get(0);
    }
}
