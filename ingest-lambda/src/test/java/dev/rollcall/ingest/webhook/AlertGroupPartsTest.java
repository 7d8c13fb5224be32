package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

class AlertGroupPartsTest {

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

        List<String> parts = AlertGroupParts.split(group, max).orElseThrow();

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

        List<String> parts = AlertGroupParts.split(group, max).orElseThrow();

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
    void whatIsNoGroupOrHoldsOneAlertTooBigForAMessageCannotBeSplit() {
        assertThat(AlertGroupParts.split(AlertJson.readTree("[1,2,3]"), 10)).isEmpty();
        assertThat(AlertGroupParts.split(AlertJson.readTree("{\"alerts\":\"many\"}"), 10)).isEmpty();
        assertThat(AlertGroupParts.split(group(1, 10), 10)).isEmpty();
        ObjectNode oneHuge = group(3, 10);
        ((ObjectNode) oneHuge.path("alerts").get(1).path("annotations")).put("description", "y".repeat(5_000));
        assertThat(AlertGroupParts.split(oneHuge, 2_000)).isEmpty();
    }

    @Test
    void nonAsciiIsEscapedSoACharacterTheQueueRefusesStaysEscaped() {
        ObjectNode group = group(2, 10);
        ((ObjectNode) group.path("alerts").get(0).path("labels")).put("note", "caf\u00e9 \uFFFF");

        List<String> parts = AlertGroupParts.split(group, 10_000).orElseThrow();

        assertThat(String.join("", parts)).doesNotContain("\uFFFF").doesNotContain("\u00e9").contains("\\uFFFF");
        assertThat(AlertJson.readTree(parts.get(0)).path("alerts").get(0).path("labels").path("note").asText()).isEqualTo("caf\u00e9 \uFFFF");
    }
}
