package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

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
}
