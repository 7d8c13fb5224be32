package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

class EventReaderTest {

    private static final String ERROR = "{\"error\":{\"type\":\"circuit_breaking_exception\",\"reason\":\"[parent] Data too large\"},\"status\":429}";

    @Test
    void aSmileErrorIsReadAsJsonSoItsReasonCanBeMatchedAndLogged() throws Exception {
        // A page asks for Smile, so OpenSearch answers its errors in Smile too.
        byte[] smile = new ObjectMapper(new SmileFactory()).writeValueAsBytes(new ObjectMapper().readTree(ERROR));

        assertThat(EventReader.readable(smile)).isEqualTo(ERROR);
    }

    @Test
    void aJsonOrPlainAnswerIsReadAsItIs() {
        // A proxy or load balancer in front of OpenSearch answers in its own format.
        assertThat(EventReader.readable(ERROR.getBytes(StandardCharsets.UTF_8))).isEqualTo(ERROR);
        assertThat(EventReader.readable("502 Bad Gateway".getBytes(StandardCharsets.UTF_8))).isEqualTo("502 Bad Gateway");
    }

    @Test
    void aBrokenSmileAnswerSaysSoInsteadOfFailing() {
        assertThat(EventReader.readable(new byte[] {':', ')', '\n', (byte) 0xfa, 1, 2})).isEqualTo("(an unreadable Smile answer of 6 bytes)");
    }
}
