package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/** The time an SQS message was sent, which a redelivery repeats; the processing time when the message does not say. */
class SqsSentAtTest {

    private static final Instant NOW = Instant.parse("2026-02-01T00:00:30Z");

    @ParameterizedTest(name = "SentTimestamp {0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "1769903999500, 2026-01-31T23:59:59.500Z",
            "' 1769903999500 ', 2026-01-31T23:59:59.500Z",
            "none, 2026-02-01T00:00:30Z",
            "yesterday, 2026-02-01T00:00:30Z"})
    void readsSentTimestamp(String sentTimestamp, Instant expected) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        Map<String, String> attributes = new HashMap<>();
        if (sentTimestamp != null) {
            attributes.put("SentTimestamp", sentTimestamp);
        }
        message.setAttributes(attributes);

        assertThat(SqsHandler.sentAt(message, NOW)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aMessageWithoutAttributesWasSentNow() {
        assertThat(SqsHandler.sentAt(new SQSEvent.SQSMessage(), NOW)).isEqualTo(NOW);
    }
}
