package dev.rollcall.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class AlertTest {

    static Alert sample() {
        return new Alert("9a1f2b3c-0000-4000-8000-000000000001",
                Instant.parse("2026-11-22T10:15:30.123456Z"), Instant.parse("2026-11-22T10:15:31Z"),
                "cloudwatch", "123456789012", "eu-west-1", "prod", "checkout",
                "checkout-5xx", "Checkout 5xx above 1%", AlertState.FIRING, Severity.HIGH, Urgency.HIGH,
                false, "rule-3", "fp-1", List.of("account", "region", "name"),
                Map.of("team", "payments", "Dimension.ApiName", "checkout"),
                AlertJson.readTree("{\"id\":123456789012345678901234567890,\"amount\":0.1000000000000000055511151231257827}"));
    }

    @Test
    void roundTripsThroughJsonUnchanged() {
        Alert alert = sample();
        String json = AlertJson.toJson(alert);
        assertThat(AlertJson.readAlert(json)).isEqualTo(alert);
    }

    @Test
    void writesSnakeCaseFieldsAndUtcMillisecondTimes() {
        JsonNode json = AlertJson.readTree(AlertJson.toJson(sample()));
        assertThat(json.path("event_id").asText()).isEqualTo("9a1f2b3c-0000-4000-8000-000000000001");
        assertThat(json.path("occurred_at").asText()).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(json.path("state").asText()).isEqualTo("firing");
        assertThat(json.path("severity").asText()).isEqualTo("high");
        assertThat(json.path("urgency").asText()).isEqualTo("high");
        assertThat(json.path("fingerprint_fields")).hasSize(3);
        assertThat(json.path("labels").path("team").asText()).isEqualTo("payments");
    }

    @Test
    void keepsDigitsOfRawNumbersBeyondDoublePrecision() {
        String json = AlertJson.toJson(sample());
        assertThat(json).contains("123456789012345678901234567890").contains("0.1000000000000000055511151231257827");
    }

    @Test
    void omitsAbsentOptionalFields() {
        Alert alert = new Alert("e1", Instant.EPOCH, Instant.EPOCH, "custom", null, null, null, null, "n", null,
                AlertState.INFO, Severity.INFO, Urgency.HIGH, true, null, "fp", null, null, null);
        JsonNode json = AlertJson.readTree(AlertJson.toJson(alert));
        assertThat(json.has("service")).isFalse();
        assertThat(json.has("raw")).isFalse();
        assertThat(AlertJson.readAlert(AlertJson.toJson(alert))).isEqualTo(alert);
    }

    static Stream<Arguments> requiredFields() {
        return Stream.of("event_id", "occurred_at", "ingested_at", "source", "name", "state", "severity", "urgency", "fingerprint")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredFields")
    void rejectsADocumentWithoutARequiredField(String field) {
        ObjectNode json = (ObjectNode) AlertJson.readTree(AlertJson.toJson(sample()));
        json.remove(field);
        assertThatThrownBy(() -> AlertJson.readAlert(json.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
    }

    @Test
    void rejectsBlankRequiredStrings() {
        UnaryOperator<String> blank = s -> "  ";
        assertThatThrownBy(() -> new Alert(blank.apply("x"), Instant.EPOCH, Instant.EPOCH, "custom", null, null, null, null, "n", null,
                AlertState.INFO, Severity.INFO, Urgency.HIGH, true, null, "fp", null, null, null))
                .hasMessageContaining("event_id");
    }

    @Test
    void rejectsUnknownEnumValuesListingTheAllowedOnes() {
        ObjectNode json = (ObjectNode) AlertJson.readTree(AlertJson.toJson(sample()));
        json.put("severity", "sev1");
        assertThatThrownBy(() -> AlertJson.readAlert(json.toString()))
                .hasMessageContaining("severity 'sev1' is not one of: critical, high, medium, low, info");
    }

    @Test
    void malformedJsonGetsAShortMessageWithItsLocation() {
        assertThatThrownBy(() -> AlertJson.readTree("{\"a\": [1, 2}"))
                .isInstanceOf(AlertJson.MalformedJsonException.class)
                .hasMessageStartingWith("malformed JSON:")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> AlertJson.readTree("")).hasMessage("malformed JSON: empty body");
    }

    /** A sender reads where its body went wrong, not the parser's description of its input or the names of its settings. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"from\":\"2026-11-01\"|malformed JSON: Unexpected end-of-input: expected close marker for Object (opened at line 1, column 1) at line 1, column 21",
            "[1, 2|malformed JSON: Unexpected end-of-input: expected close marker for Array (opened at line 1, column 1) at line 1, column 6",
            "{\"a\": [1, 2}|malformed JSON: Unexpected close marker '}': expected ']' (for Array starting at line 1, column 7)"})
    void malformedJsonIsDescribedInTheSendersTerms(String body, String message) {
        assertThatThrownBy(() -> AlertJson.readPayload(body.getBytes(StandardCharsets.UTF_8))).hasMessageStartingWith(message)
                .hasMessageNotContaining("StreamReadFeature").hasMessageNotContaining("Source");
    }

    @Test
    void aLimitIsNamedWithoutItsSetting() {
        assertThat(AlertJson.withoutParserTerms("Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"))
                .isEqualTo("Number value length (1001) exceeds the maximum allowed (1000)");
    }

    /** Bytes that are no UTF-8: an overlong {@code <}, a surrogate encoded alone, a character cut short. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"'C0 BC', 6", "'ED A0 80', 6", "'E2 82', 6", "'FF', 6"})
    void bytesThatAreNoUtf8AreMalformedAndNamedByOffset(String hex, int offset) {
        byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);
        byte[] body = new byte[bad.length + 8];
        System.arraycopy("{\"t\":\"".getBytes(StandardCharsets.UTF_8), 0, body, 0, 6);
        System.arraycopy(bad, 0, body, 6, bad.length);
        System.arraycopy("\"}".getBytes(StandardCharsets.UTF_8), 0, body, 6 + bad.length, 2);

        assertThatThrownBy(() -> AlertJson.readPayload(body))
                .isInstanceOf(AlertJson.MalformedJsonException.class)
                .hasMessage("malformed JSON: JSON must be UTF-8 (RFC 8259): the bytes at offset " + offset + " are no UTF-8 character");
    }

    /** Two-, three- and four-byte characters, longer than one slice of the check, and a UTF-8 byte order mark (.NET writes one). */
    @Test
    void wellFormedUtf8IsReadAsItSpells() {
        String text = "\u00e9\u20ac\ud83d\ude00".repeat(5_000);
        byte[] json = ("\uFEFF{\"t\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(json[0]).isEqualTo((byte) 0xEF);
        assertThat(AlertJson.readPayload(json).path("t").asText()).isEqualTo(text);
    }
}
