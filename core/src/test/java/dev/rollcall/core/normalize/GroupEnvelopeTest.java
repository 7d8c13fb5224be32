package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

class GroupEnvelopeTest {

    @Test
    void smallSharedFieldsAreKeptAsTheyAreAroundTheAlertsOwnEntry() {
        JsonNode group = AlertJson.readTree("{\"receiver\":\"r\",\"alerts\":[{\"n\":1},{\"n\":2}],\"commonLabels\":{\"team\":\"blue\"},\"orgId\":1}");

        ObjectNode second = GroupEnvelope.of(group, "alerts").holdingOnly(group.path("alerts").get(1));

        assertThat(second).isEqualTo(AlertJson.withList(group, "alerts", List.of(group.path("alerts").get(1))));
        assertThat(second.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("receiver", "alerts", "commonLabels", "orgId");
    }

    @Test
    void aLongSharedStringAnywhereKeepsItsStartAndSaysHowLongItWas() {
        String message = "**Firing**\n" + "Labels:\n - alertname = T1\n".repeat(1_000);
        ObjectNode group = AlertJson.mapper().createObjectNode().put("message", message).put("title", "[FIRING:1000]");
        group.putArray("alerts").addObject().put("n", 1);
        group.putObject("commonAnnotations").put("description", "d".repeat(5_000));

        ObjectNode raw = GroupEnvelope.of(group, "alerts").holdingOnly(group.path("alerts").get(0));

        assertThat(raw.path("message").asText()).startsWith(message.substring(0, GroupEnvelope.TEXT_CHARS))
                .endsWith("…[cut from " + message.length() + " characters]");
        assertThat(raw.path("commonAnnotations").path("description").asText()).hasSize(GroupEnvelope.TEXT_CHARS + "…[cut from 5000 characters]".length());
        assertThat(raw.path("title").asText()).isEqualTo("[FIRING:1000]");
        assertThat(group.path("message").asText()).as("the payload itself is left alone").isEqualTo(message);
    }

    /** A group the webhook queued in parts arrives with its fields cut once: stored, they keep the original length. */
    @Test
    void aStringCutAlreadyIsNotCutAgain() {
        String message = "m".repeat(300_000);
        ObjectNode group = AlertJson.mapper().createObjectNode().put("message", message);
        group.putArray("alerts").addObject().put("n", 1);
        group.withArray("alerts").addObject().put("n", 2);
        ObjectNode part = GroupEnvelope.of(group, "alerts").holding(group.path("alerts"));

        ObjectNode stored = GroupEnvelope.of(part, "alerts").holdingOnly(part.path("alerts").get(0));

        assertThat(stored.path("message").asText()).isEqualTo(part.path("message").asText())
                .endsWith("…[cut from 300000 characters]");
    }

    /** However the shared fields are shaped (lists, objects, plain numbers), past the budget they are left out and counted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lists of text", "objects of text", "numbers"})
    void sharedFieldsPastTheBudgetAreLeftOutAndCounted(String shape) {
        ObjectNode group = AlertJson.mapper().createObjectNode().put("receiver", "r");
        group.putArray("alerts").addObject().put("n", 1);
        for (int i = 0; i < 2_000; i++) {
            switch (shape) {
                case "lists of text" -> group.putArray("junk" + i).add("x".repeat(1_000));
                case "objects of text" -> group.putObject("junk" + i).put("text", "x".repeat(1_000));
                default -> group.put("junk" + i, 1_234_567_890_123_456_789L);
            }
        }

        ObjectNode raw = GroupEnvelope.of(group, "alerts").holdingOnly(group.path("alerts").get(0));

        // About the budget: a field's quotes and separators are not counted, a sixth more for 2,000 short numbers.
        assertThat(AlertJson.toBytes(raw).length).isLessThan(GroupEnvelope.FIELDS_BYTES * 5 / 4);
        assertThat(raw.path("receiver").asText()).isEqualTo("r");
        assertThat(raw.path(GroupEnvelope.CUT_FIELD).asText()).matches("\\d+ fields shared by the group \\(\\d+ bytes\\) are not repeated for each alert");
    }

    /** A shared string of exactly {@value GroupEnvelope#TEXT_CHARS} characters is kept whole; one more and it is cut. */
    @ParameterizedTest(name = "limit {0}: cut {1}")
    @CsvSource({"-1, false", "+0, false", "+1, true"})
    void cutsASharedStringOnlyPastItsLimit(int pastTheLimit, boolean cut) {
        int length = GroupEnvelope.TEXT_CHARS + pastTheLimit;
        ObjectNode group = AlertJson.mapper().createObjectNode().put("message", "m".repeat(length));
        group.putArray("alerts").addObject().put("n", 1);

        String kept = GroupEnvelope.of(group, "alerts").holdingOnly(group.path("alerts").get(0)).path("message").asText();

        assertThat(kept.equals(group.path("message").asText())).isEqualTo(!cut);
        assertThat(kept).startsWith("m".repeat(Math.min(length, GroupEnvelope.TEXT_CHARS)));
    }
}
