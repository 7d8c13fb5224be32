package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldLimitsTest {

    @Test
    void idsPastTheLimitBecomeTheirHashStablyAndShortOnesStay() {
        assertThat(FieldLimits.eventId("custom", "custom:abc")).isEqualTo("custom:abc");
        String longId = "custom:" + "é".repeat(300); // 607 bytes in UTF-8, 307 characters
        assertThat(FieldLimits.eventId("custom", "custom:" + "é".repeat(252))).as("511 bytes: as OpenSearch took it before").endsWith("é");
        String hashed = FieldLimits.eventId("custom", longId);
        assertThat(hashed).startsWith("custom:sha256:").isEqualTo(FieldLimits.eventId("custom", longId));
        assertThat(hashed.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FieldLimits.ID_BYTES);
        assertThat(FieldLimits.eventId("custom", longId + "x")).isNotEqualTo(hashed);
    }

    @Test
    void fingerprintsPastTheLimitBecomeTheirHash() {
        assertThat(FieldLimits.fingerprint("cloudwatch", "cloudwatch:1|eu-west-1|a")).isEqualTo("cloudwatch:1|eu-west-1|a");
        assertThat(FieldLimits.fingerprint("cloudwatch", "cloudwatch:" + "a".repeat(5_000))).hasSize(5_011);
        assertThat(FieldLimits.fingerprint("cloudwatch", "cloudwatch:" + "a".repeat(8_200))).startsWith("cloudwatch:sha256:").hasSizeLessThan(100);
    }

    @Test
    void truncationKeepsSurrogatePairsWhole() {
        assertThat(FieldLimits.truncate("abc", 5)).isEqualTo("abc");
        assertThat(FieldLimits.truncate("abcdef", 3)).isEqualTo("abc");
        assertThat(FieldLimits.truncate("ab\uD83D\uDE00cd", 3)).isEqualTo("ab");
        assertThat(FieldLimits.truncate(null, 3)).isNull();
    }

    @Test
    void labelsWithinOpenSearchsTermLimitAreKeptAsTheyAre() {
        Map<String, String> labels = Map.of("team", "payments", "nine_kb", "x".repeat(9 * 1024), "at_limit",
                "y".repeat(FieldLimits.LABEL_BYTES - "at_limit".length()), "multibyte", "é".repeat(16_000));
        assertThat(FieldLimits.labels(labels)).isSameAs(labels);
    }

    @Test
    void aLabelPastTheLimitIsCutToItAndTheOthersStay() {
        Map<String, String> labels = new HashMap<>(Map.of("team", "payments", "generator_url", "x".repeat(40_000),
                "one_over", "y".repeat(FieldLimits.LABEL_BYTES - "one_over".length() + 1), "emoji", "\uD83D\uDE00".repeat(9_000)));

        Map<String, String> cut = FieldLimits.labels(labels);

        assertThat(cut).containsEntry("team", "payments").hasSize(4);
        assertThat(cut.get("generator_url")).hasSize(FieldLimits.LABEL_BYTES - "generator_url".length());
        assertThat(cut.get("one_over")).hasSize(FieldLimits.LABEL_BYTES - "one_over".length());
        // Four bytes per emoji: cut between two, never inside one.
        assertThat(cut.get("emoji")).hasSize((FieldLimits.LABEL_BYTES - "emoji".length()) / 4 * 2);
        for (Map.Entry<String, String> label : cut.entrySet()) {
            assertThat((label.getKey() + label.getValue()).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FieldLimits.LABEL_BYTES);
        }
    }

    @Test
    void aKeyPastTheLimitIsCutTo256CharactersWithoutReplacingALabelAlreadyThere() {
        String longKey = "k".repeat(40_000);
        Map<String, String> cut = FieldLimits.labels(Map.of(longKey, "v", "k".repeat(256), "kept", "other", "x".repeat(40_000)));

        assertThat(cut).containsEntry("k".repeat(256), "kept").doesNotContainKey(longKey);
        assertThat(cut.get("other")).hasSize(FieldLimits.LABEL_BYTES - "other".length());
        assertThat(FieldLimits.labels(Map.of(longKey, "v"))).containsExactly(Map.entry("k".repeat(256), "v"));
    }

    /** A value exactly at its limit is kept; one unit more is hashed. */
    @ParameterizedTest(name = "{0} of {1} -> kept {2}")
    @CsvSource({"eventId, 512, true", "eventId, 513, false", "fingerprint, 8191, true", "fingerprint, 8192, false"})
    void valuesExactlyAtTheLimitAreKept(String field, int length, boolean kept) {
        String value = "a".repeat(length);
        String stored = field.equals("eventId") ? FieldLimits.eventId("custom", value) : FieldLimits.fingerprint("custom", value);
        assertThat(stored.equals(value)).isEqualTo(kept);
    }

    /** UTF-8 lengths at each encoding boundary (U+007F/U+0080, U+07FF/U+0800, U+FFFF/U+10000). */
    @ParameterizedTest(name = "U+{0} is {1} bytes")
    @CsvSource({"7F, 1", "80, 2", "7FF, 2", "800, 3", "FFFF, 3", "10000, 4"})
    void utf8LengthsAtEachEncodingBoundary(String hex, int bytes) {
        String character = Character.toString(Integer.parseInt(hex, 16));
        assertThat(FieldLimits.utf8Length(character)).isEqualTo(bytes).isEqualTo(character.getBytes(StandardCharsets.UTF_8).length);
        assertThat(FieldLimits.truncateUtf8(character + character, bytes)).isEqualTo(character);
    }
}
