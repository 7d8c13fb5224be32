package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertJson;

class InvocationRecordTest {

    /** Lambda keeps a payload that is not JSON as the string it was; so does the record, rather than failing to park it. */
    @Test
    void aPayloadThatIsNotJsonIsKeptAsText() {
        JsonNode record = AlertJson.readTree(InvocationRecord.of("IngestEventBridge", "not json {", "plain error", 3,
                InvocationRecord.RETRIES_EXHAUSTED, Instant.parse("2026-12-07T10:00:00Z")));

        assertThat(record.path("requestPayload").isTextual()).isTrue();
        assertThat(record.path("requestPayload").asText()).isEqualTo("not json {");
        assertThat(record.path("responsePayload").asText()).isEqualTo("plain error");
        assertThat(record.path("timestamp").asText()).isEqualTo("2026-12-07T10:00:00Z");
    }
}
