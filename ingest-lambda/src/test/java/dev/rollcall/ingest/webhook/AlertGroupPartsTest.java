package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

class AlertGroupPartsTest {

    /** Any body with an alerts array taken as a group: what the webhook narrows by source is not these tests' concern. */
    private static final Predicate<JsonNode> ANY_GROUP = group -> true;

    /** A part is judged on its own: one that would not read alert by alert leaves the group unsplit, no part queued. */
    @Test
    void aGroupWithAPartThatWouldNotReadAlertByAlertIsNotSplit() {
        ObjectNode group = group(6_000, 400);
        Predicate<JsonNode> firstAlertLabelled = g -> g.path("alerts").path(0).path("labels").isObject();
        assertThat(AlertGroupParts.split(group, 1_000_000, firstAlertLabelled)).isPresent();
        ArrayNode alerts = (ArrayNode) group.path("alerts");
        for (int i = alerts.size() / 2; i < alerts.size(); i++) {
            ((ObjectNode) alerts.get(i)).remove("labels");
        }
        assertThat(firstAlertLabelled.test(group)).as("the whole still passes").isTrue();
        assertThat(AlertGroupParts.split(group, 1_000_000, firstAlertLabelled)).isEmpty();
    }

    /** An Alertmanager group of {@code count} alerts of about {@code padding} bytes each. */
    static ObjectNode group(int count, int padding) {
        ObjectNode group = AlertJson.mapper().createObjectNode().put("version", "4").put("receiver", "rollcall").put("status", "firing");
        group.putObject("groupLabels").put("alertname", "KubePodCrashLooping");
        ArrayNode alerts = group.putArray("alerts");
        for (int i = 0; i < count; i++) {
            ObjectNode alert = alerts.addObject().put("status", "firing").put("fingerprint", "f" + i);
            alert.putObject("labels").put("alertname", "KubePodCrashLooping").put("pod", "pod-" + i);
            alert.putObject("annotations").put("description", "x".repeat(padding));
        }
        group.put("truncatedAlerts", 0);
        return group;
    }

    @Test
    void aGroupOverOneMessageIsSharedOutInOrderEachPartAGroupThatFits() {
        ObjectNode group = group(6_000, 400);
        int max = 1_000_000;

        List<String> parts = AlertGroupParts.split(group, max, ANY_GROUP).orElseThrow().messages();

        assertThat(parts).hasSizeGreaterThan(2);
        List<JsonNode> alerts = new ArrayList<>();
        for (String part : parts) {
            assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            JsonNode tree = AlertJson.readTree(part);
            assertThat(tree.path("receiver").asText()).isEqualTo("rollcall");
            assertThat(tree.path("groupLabels")).isEqualTo(group.path("groupLabels"));
            assertThat(tree.path("truncatedAlerts").asInt()).isZero();
            tree.path("alerts").forEach(alerts::add);
        }
        assertThat(alerts).containsExactlyElementsOf(group.path("alerts"));
        // Parts are filled before a new one starts: all but the last are close to the limit.
        assertThat(parts.get(0).length()).isGreaterThan(max - 1_000);
    }

    /** Grafana's message lists every alert: 4,000 short ones made it 1 MB, more than a part, on top of each part. */
    @Test
    void aGroupWhoseSharedMessageOutgrowsAPartIsStillSplitWithTheMessageCutAsStorageCutsIt() {
        ObjectNode group = group(4_000, 10);
        StringBuilder message = new StringBuilder();
        group.path("alerts").forEach(alert -> message.append("Value: A=1 Labels: - alertname = KubePodCrashLooping - pod = ")
                .append(alert.path("labels").path("pod").asText()).append("\n").append("x".repeat(200)));
        group.put("message", message.toString());
        int max = 250_000;
        assertThat(message.length()).isGreaterThan(max);

        List<String> parts = AlertGroupParts.split(group, max, ANY_GROUP).orElseThrow().messages();

        List<JsonNode> alerts = new ArrayList<>();
        for (String part : parts) {
            assertThat(part.length()).isLessThanOrEqualTo(max);
            JsonNode tree = AlertJson.readTree(part);
            assertThat(tree.path("message").asText()).startsWith(message.substring(0, 2_048)).hasSizeLessThan(2_200);
            assertThat(tree.path("receiver").asText()).isEqualTo("rollcall");
            tree.path("alerts").forEach(alerts::add);
        }
        assertThat(alerts).containsExactlyElementsOf(group.path("alerts"));
    }

    @Test
    void whatIsNoGroupOrHoldsAnAlertTooBigEvenCutCannotBeSplit() {
        assertThat(AlertGroupParts.split(AlertJson.readTree("[1,2,3]"), 10, ANY_GROUP)).isEmpty();
        assertThat(AlertGroupParts.split(AlertJson.readTree("{\"alerts\":\"many\"}"), 10, ANY_GROUP)).isEmpty();
        assertThat(AlertGroupParts.split(AlertJson.readTree("{\"alerts\":[]}"), 10, ANY_GROUP)).isEmpty();
        assertThat(AlertGroupParts.split(group(1, 10), 10, ANY_GROUP)).isEmpty();
        // Many short labels: no string to cut makes it fit.
        ObjectNode manyLabels = group(3, 10);
        ObjectNode labels = (ObjectNode) manyLabels.path("alerts").get(1).path("labels");
        for (int i = 0; i < 500; i++) {
            labels.put("label_" + i, "value");
        }
        assertThat(AlertGroupParts.split(manyLabels, 2_000, ANY_GROUP)).isEmpty();
    }

    /**
     * One alert with a runaway annotation no longer costs its group (which Alertmanager does not send again after a
     * 413): its longest strings are cut until it fits, it says so, and the cut is the same on a retry.
     */
    @Test
    void anAlertTooBigForAMessageHasItsLongestStringsCutAndTheRestIsUntouched() {
        ObjectNode group = group(3, 10);
        ((ObjectNode) group.path("alerts").get(1).path("annotations")).put("description", "y".repeat(5_000));
        int max = 2_000;

        AlertGroupParts.Parts parts = AlertGroupParts.split(group, max, ANY_GROUP).orElseThrow();

        assertThat(parts.cutAlerts()).isEqualTo(1);
        List<JsonNode> alerts = new ArrayList<>();
        for (String part : parts.messages()) {
            assertThat(part.length()).isLessThanOrEqualTo(max);
            AlertJson.readTree(part).path("alerts").forEach(alerts::add);
        }
        assertThat(alerts).hasSize(3);
        assertThat(alerts.get(0)).isEqualTo(group.path("alerts").get(0));
        assertThat(alerts.get(2)).isEqualTo(group.path("alerts").get(2));
        JsonNode cut = alerts.get(1);
        assertThat(cut.path("labels")).isEqualTo(group.path("alerts").get(1).path("labels"));
        assertThat(cut.path("fingerprint").asText()).isEqualTo("f1");
        assertThat(cut.path("annotations").path("description").asText()).startsWith("yyyy").endsWith("…").hasSizeLessThan(max);
        assertThat(cut.path("annotations").path(AlertGroupParts.CUT_MARK).asText()).startsWith("strings cut to ");
        assertThat(AlertGroupParts.split(group, max, ANY_GROUP).orElseThrow()).isEqualTo(parts);
    }

    /** Labels stay whole (an alert without a fingerprint is known by them); annotations that are no object stay too. */
    @Test
    void aCutLeavesLabelsAndWhateverTheSenderPutInAnnotationsAlone() {
        ObjectNode alert = AlertJson.mapper().createObjectNode().put("status", "firing").put("annotations", "not an object");
        alert.putObject("labels").put("alertname", "Big").put("runbook", "r".repeat(600));
        alert.put("description", "d".repeat(5_000));

        JsonNode cut = AlertGroupParts.cut(alert, 2_000).orElseThrow();

        assertThat(cut.path("labels")).isEqualTo(alert.path("labels"));
        assertThat(cut.path("annotations").asText()).isEqualTo("not an object");
        assertThat(cut.path(AlertGroupParts.CUT_MARK).asText()).startsWith("strings cut to ");
        assertThat(cut.path("description").asText()).hasSizeLessThan(2_000);
    }

    @Test
    void nonAsciiIsEscapedSoACharacterTheQueueRefusesStaysEscaped() {
        ObjectNode group = group(2, 10);
        ((ObjectNode) group.path("alerts").get(0).path("labels")).put("note", "caf\u00e9 \uFFFF");

        List<String> parts = AlertGroupParts.split(group, 10_000, ANY_GROUP).orElseThrow().messages();

        assertThat(String.join("", parts)).doesNotContain("\uFFFF").doesNotContain("\u00e9").contains("\\uFFFF");
        assertThat(AlertJson.readTree(parts.get(0)).path("alerts").get(0).path("labels").path("note").asText()).isEqualTo("caf\u00e9 \uFFFF");
    }
}
