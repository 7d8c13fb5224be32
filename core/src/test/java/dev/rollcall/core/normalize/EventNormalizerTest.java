package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Urgency;
import dev.rollcall.core.classify.ClassificationRules;

/** The entry point's contract: malformed JSON, non-alerts, rules from the environment. */
class EventNormalizerTest {

    /**
     * What the webhook may split into parts is exactly what normalizing reads alert by alert: a body read as one
     * alert, split, would count once per part.
     */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(nullValues = "none", delimiter = '|', value = {
            "{\"receiver\":\"r\",\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|custom|true",
            "{\"groupKey\":\"g\",\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|none|true",
            "{\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|alertmanager|true",
            "{\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|grafana|true",
            "{\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|prometheus|true",
            "{\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|custom|false",
            // Read as one EventBridge event first, as normalizing reads it: split, it would count once per part.
            "{\"source\":\"my.app\",\"detail-type\":\"x\",\"receiver\":\"r\",\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|alertmanager|false",
            "{\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|none|false",
            "{\"alerts\":[{\"name\":\"a\"},{\"name\":\"b\"}]}|alertmanager|false",
            "{\"receiver\":\"r\",\"alerts\":[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"2\"}}]}|datadog|false"})
    void whatMayGoInPartsIsWhatIsReadAlertByAlert(String body, String source, boolean alertByAlert) {
        assertThat(EventNormalizer.readsAlertByAlert(AlertJson.readTree(body), source)).isEqualTo(alertByAlert);
        IncomingEvent event = new IncomingEvent(body.getBytes(StandardCharsets.UTF_8), source, Map.of(), IncomingEvent.Door.WEBHOOK,
                Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(EventNormalizer.withBundledRules().normalize(event)).hasSize(alertByAlert ? 2 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": [1, 2}", "not json", "{\"unterminated\": \"", "", "{\"id\":\"a\"}\n{\"id\":\"b\"}", "{\"a\":1} garbage"})
    void malformedJsonThrows(String body) {
        IncomingEvent event = Samples.incoming(body.getBytes(StandardCharsets.UTF_8), null, Map.of());
        assertThatThrownBy(() -> EventNormalizer.withBundledRules().normalize(event))
                .isInstanceOf(AlertJson.MalformedJsonException.class)
                .hasMessageStartingWith("malformed JSON:");
    }

    /**
     * Jackson reads 1,000 levels and the stored document is one deeper than its payload: a payload is refused as
     * malformed well before that, on every door, so nothing accepted fails to be written later.
     */
    @Test
    void aPayloadNestedDeeperThan500LevelsIsMalformedAndOneAt500IsAnAlert() {
        for (IncomingEvent.Door door : IncomingEvent.Door.values()) {
            IncomingEvent deep = new IncomingEvent(nested(AlertJson.PAYLOAD_DEPTH + 1), null, Map.of(), door, Instant.parse("2026-03-14T12:00:00Z"));
            assertThatThrownBy(() -> EventNormalizer.withBundledRules().normalize(deep)).as(door.name())
                    .isInstanceOf(AlertJson.MalformedJsonException.class)
                    .hasMessageStartingWith("malformed JSON: nested deeper than 500 levels");
        }
        IncomingEvent atLimit = Samples.incoming(nested(AlertJson.PAYLOAD_DEPTH), null, Map.of());
        Alert alert = EventNormalizer.withBundledRules().normalize(atLimit).get(0);
        assertThat(AlertJson.toBytes(alert)).isNotEmpty();
    }

    /** {@code {"id":"deep","d":[[...]]}}: an object nesting {@code depth} levels in all. */
    static byte[] nested(int depth) {
        return ("{\"id\":\"deep\",\"d\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * SNS with raw message delivery, or a producer sending text: the same text inside an SNS envelope is a custom
     * alert, so it is one on the SQS door too; what tries to be JSON and fails is still refused.
     */
    @Test
    void plainTextOnTheSqsDoorIsACustomAlertAndBrokenJsonStillThrows() {
        IncomingEvent text = new IncomingEvent("Disk full on web-1\n".getBytes(StandardCharsets.UTF_8), null, Map.of(),
                IncomingEvent.Door.SQS, Instant.parse("2026-03-14T12:00:00Z"));

        List<Alert> alerts = EventNormalizer.withBundledRules().normalize(text);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).source()).isEqualTo("custom");
        assertThat(alerts.get(0).title()).isEqualTo("Disk full on web-1");
        for (String broken : List.of("{\"this is\": not json", "[1, 2", "")) {
            IncomingEvent event = new IncomingEvent(broken.getBytes(StandardCharsets.UTF_8), null, Map.of(), IncomingEvent.Door.SQS,
                    Instant.parse("2026-03-14T12:00:00Z"));
            assertThatThrownBy(() -> EventNormalizer.withBundledRules().normalize(event)).as(broken)
                    .isInstanceOf(AlertJson.MalformedJsonException.class);
        }
    }

    /**
     * EventBridge-shaped bodies a producer sends itself (or an input transformer reshapes) may have no {@code id}:
     * each is still an event of its own, kept rather than refused, and its redelivery is the same event.
     */
    @ParameterizedTest
    // Health updates and ECS task changes are known by what they say (event ARN and update time, task and version),
    // as findings are: the same content again is the same event, whoever sent it.
    @ValueSource(strings = {"custom/eventbridge-codepipeline.json", "batch/job-failed.json", "ec2/instance-state-change-terminated.json", "rds/db-instance-failover.json",
        "datadog/eventbridge-partner-event.json"})
    void anEventBridgeEventWithoutAnIdIsKnownByItsDelivery(String sample) {
        ObjectNode event = Samples.tree(sample);
        event.remove("id");
        Instant sent = Instant.parse("2026-03-14T12:00:00Z");
        ObjectNode later = event.deepCopy();
        later.put("time", "2026-03-14T12:05:00Z");

        List<String> first = idsOf(event, sent, sent);
        List<String> redelivered = idsOf(event, sent, sent.plusSeconds(40));
        List<String> sentAgain = idsOf(event, sent.plusMillis(1), sent.plusSeconds(40));
        List<String> another = idsOf(later, sent, sent);

        assertThat(first).isNotEmpty().doesNotContainNull().doesNotHaveDuplicates();
        assertThat(redelivered).isEqualTo(first);
        assertThat(sentAgain).doesNotContainAnyElementsOf(first);
        assertThat(another).doesNotContainAnyElementsOf(first);
    }

    private static List<String> idsOf(ObjectNode event, Instant sent, Instant received) {
        IncomingEvent incoming = new IncomingEvent(event.toString().getBytes(StandardCharsets.UTF_8), null, Map.of(),
                IncomingEvent.Door.SQS, received, sent);
        return Samples.UNCLASSIFIED.normalize(incoming).stream().map(Alert::eventId).toList();
    }

    @Test
    void concatenatedJsonIsRefusedWithAMessageSayingSo() {
        IncomingEvent event = Samples.incoming("{\"id\":\"a\"}\n{\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8), null, Map.of());
        assertThatThrownBy(() -> EventNormalizer.withBundledRules().normalize(event))
                .isInstanceOf(AlertJson.MalformedJsonException.class)
                .hasMessage("malformed JSON: more than one JSON value (send one event per message) at line 2, column 1");
    }

    @Test
    void aSourceTimeTooFarFromTheArrivalIsKeptAsALabelAndTheAlertOccursOnArrival() {
        Instant sent = Instant.parse("2026-03-14T12:00:00Z");
        IncomingEvent event = new IncomingEvent("{\"id\":\"x\",\"name\":\"n\",\"time\":\"2031-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                null, Map.of(), IncomingEvent.Door.SQS, sent.plusSeconds(30), sent);

        Alert alert = EventNormalizer.withBundledRules().normalize(event).get(0);

        assertThat(alert.occurredAt()).isEqualTo(sent);
        assertThat(alert.labels()).containsEntry(EventNormalizer.SOURCE_TIME_LABEL, "2031-01-01T00:00:00Z");
    }

    @Test
    void nonAlertsYieldNothing() {
        for (String sample : List.of("sns/subscription-confirmation.json", "cloudwatch/eventbridge-configuration-change.json",
                "ecs/task-state-change-running.json", "batch/job-state-change-runnable.json", "pagerduty/pagey-ping.json")) {
            assertThat(EventNormalizer.withBundledRules().normalize(Samples.incoming(sample, null, Map.of()))).as(sample).isEmpty();
        }
    }

    @Test
    void withoutARulesFileTheBundledRulesClassify() {
        EventNormalizer normalizer = EventNormalizer.fromEnvironment(Map.of());
        Alert insufficientData = normalizer.normalize(Samples.incoming(
                withState("INSUFFICIENT_DATA"), null, Map.of())).get(0);
        assertThat(insufficientData.urgency()).isEqualTo(Urgency.IGNORE);
        assertThat(insufficientData.classifiedBy()).isEqualTo("cloudwatch-insufficient-data");
        assertThat(insufficientData.unclassified()).isFalse();
        Alert alarm = normalizer.normalize(Samples.incoming("cloudwatch/eventbridge-single-metric-alarm.json", null, Map.of())).get(0);
        assertThat(alarm.urgency()).isEqualTo(Urgency.HIGH);
        assertThat(alarm.unclassified()).isTrue();
        assertThat(alarm.classifiedBy()).isNull();
        assertThat(EventNormalizer.fromEnvironment(Map.of(EventNormalizer.RULES_FILE_VARIABLE, "  ")).normalize(
                Samples.incoming(withState("INSUFFICIENT_DATA"), null, Map.of())).get(0).classifiedBy())
                .isEqualTo("cloudwatch-insufficient-data");
    }

    /**
     * The bundled rule that ignores INSUFFICIENT_DATA matches info alerts only: an alarm that ends in
     * INSUFFICIENT_DATA is classified like the OK that would have ended it, so its resolution is not ignored noise.
     */
    @Test
    void theBundledRulesClassifyAnAlarmEndingInInsufficientDataLikeOneEndingInOk() {
        EventNormalizer normalizer = EventNormalizer.withBundledRules();
        Alert ended = normalizer.normalize(Samples.incoming(withState("ALARM", "INSUFFICIENT_DATA"), null, Map.of())).get(0);
        Alert ok = normalizer.normalize(Samples.incoming(withState("ALARM", "OK"), null, Map.of())).get(0);
        assertThat(ended.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(ended.urgency()).isEqualTo(ok.urgency()).isNotEqualTo(Urgency.IGNORE);
        assertThat(ended.classifiedBy()).isEqualTo(ok.classifiedBy());
        assertThat(ended.fingerprint()).isEqualTo(ok.fingerprint());
    }

    @Test
    void readsTheRulesFileTheEnvironmentNames(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                version: 1
                rules:
                  - id: checkout-team
                    match: {source: cloudwatch, name: {regex: '(?<svc>[a-z]+)-prod-.*'}}
                    urgency: low
                    service: ${svc}
                    environment: prod
                """);
        EventNormalizer normalizer = EventNormalizer.fromEnvironment(Map.of(EventNormalizer.RULES_FILE_VARIABLE, rules.toString()));
        Alert alert = normalizer.normalize(Samples.incoming("cloudwatch/eventbridge-alarm-with-tags.json", null, Map.of())).get(0);
        assertThat(alert.urgency()).isEqualTo(Urgency.LOW);
        assertThat(alert.classifiedBy()).isEqualTo("checkout-team");
        assertThat(alert.service()).isEqualTo("checkout");
        assertThat(alert.environment()).isEqualTo("prod");
    }

    @Test
    void rulesReadANameAsStoredAndTheFirst8191CharactersOfOtherTexts() {
        EventNormalizer normalizer = new EventNormalizer(ClassificationRules.parse("""
                version: 1
                rules:
                  - {id: by-name, match: {name: {regex: '.*-END'}}, urgency: low}
                  - {id: by-label, match: {labels: {note: {regex: '.*-END'}}}, urgency: ignore}
                """, "rules.yaml"));
        String nameWithinReach = "n".repeat(FieldLimits.NAME_CHARS - 4) + "-END";
        String nameBeyondReach = "n".repeat(FieldLimits.NAME_CHARS) + "-END";
        String labelWithinReach = "x".repeat(AlertDraft.RULE_TEXT_CHARS - 4) + "-END";
        String labelBeyondReach = "x".repeat(AlertDraft.RULE_TEXT_CHARS) + "-END";

        assertThat(classifiedBy(normalizer, nameWithinReach, "-")).isEqualTo("by-name");
        assertThat(classifiedBy(normalizer, nameBeyondReach, "-")).isNull();
        // A text cut for the rules leaves them every other field of the alert: its labels as well.
        assertThat(classifiedBy(normalizer, nameBeyondReach, "short-END")).isEqualTo("by-label");
        assertThat(classifiedBy(normalizer, "short", labelWithinReach)).isEqualTo("by-label");
        Alert beyond = normalizer.normalize(Samples.incoming(custom("short", labelBeyondReach), null, Map.of())).get(0);
        assertThat(beyond.classifiedBy()).isNull();
        assertThat(beyond.labels()).as("stored whole; only the rules read less").containsEntry("note", labelBeyondReach);
    }

    /** Every other text the rules match on is read to its first {@value AlertDraft#RULE_TEXT_CHARS} characters, whichever is long. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            title       | securityhub/findings-imported-fsbp-s3.1.json
            account     | {"name":"n","state":"firing","account":"TEXT"}
            region      | {"version":"0","id":"e-1","detail-type":"Deploy","source":"my.app","account":"123456789012","time":"2026-03-14T11:00:00Z","region":"TEXT","resources":[],"detail":{"state":"firing"}}
            environment | {"name":"n","state":"firing","environment":"TEXT"}
            service     | {"name":"n","state":"firing","service":"TEXT"}
            """)
    void rulesReadTheFirst8191CharactersOfEachText(String field, String payload) {
        EventNormalizer normalizer = new EventNormalizer(ClassificationRules.parse(
                "version: 1\nrules:\n  - {id: by-" + field + ", match: {" + field + ": {regex: '.*-END'}}, urgency: low}\n", "rules.yaml"));
        String withinReach = "x".repeat(AlertDraft.RULE_TEXT_CHARS - 4) + "-END";
        String beyondReach = "x".repeat(AlertDraft.RULE_TEXT_CHARS) + "-END";

        assertThat(classifiedWith(normalizer, payload, withinReach)).isEqualTo("by-" + field);
        assertThat(classifiedWith(normalizer, payload, beyondReach)).isNull();
    }

    /** The rule that classified {@code payload} (a sample whose finding's Title is {@code text}, or JSON with TEXT in place). */
    private static String classifiedWith(EventNormalizer normalizer, String payload, String text) {
        byte[] body;
        if (payload.endsWith(".json")) {
            ObjectNode event = Samples.tree(payload);
            ArrayNode findings = (ArrayNode) event.path("detail").path("findings");
            ObjectNode finding = (ObjectNode) findings.get(0);
            findings.removeAll().add(finding.put("Title", text));
            body = AlertJson.toBytes(event);
        } else {
            body = payload.replace("TEXT", text).getBytes(StandardCharsets.UTF_8);
        }
        return normalizer.normalize(Samples.incoming(body, null, Map.of())).get(0).classifiedBy();
    }

    private static String classifiedBy(EventNormalizer normalizer, String name, String note) {
        return normalizer.normalize(Samples.incoming(custom(name, note), null, Map.of())).get(0).classifiedBy();
    }

    private static byte[] custom(String name, String note) {
        ObjectNode event = AlertJson.mapper().createObjectNode().put("name", name).put("state", "firing");
        event.putObject("tags").put("note", note);
        return AlertJson.toBytes(event);
    }

    @Test
    void aBadRulesFileFailsAtStartNamingTheVariableAndTheRule(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, """
                {"version": 1, "rules": [
                  {"id": "fine", "match": {"source": "sentry"}, "urgency": "low"},
                  {"id": "typo", "match": {"source": "cloudwatch"}, "urgency": "hgh"}]}
                """);
        assertThatThrownBy(() -> EventNormalizer.fromEnvironment(Map.of(EventNormalizer.RULES_FILE_VARIABLE, rules.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ROLLCALL_RULES_FILE=" + rules)
                .hasMessageContaining("rule 'typo' (#2)")
                .hasMessageContaining("urgency 'hgh' is not one of: high, low, ignore");
    }

    @Test
    void aMissingRulesFileFailsAtStart(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> EventNormalizer.fromEnvironment(Map.of(EventNormalizer.RULES_FILE_VARIABLE, missing.toString())))
                .hasMessageContaining("ROLLCALL_RULES_FILE=" + missing)
                .hasMessageContaining("does not exist");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        EventNormalizer normalizer = EventNormalizer.withBundledRules();
        List<String> samples = List.of("cloudwatch/eventbridge-composite-alarm.json", "guardduty/finding-port-probe.json",
                "sentry/issue-alert-triggered.json", "alertmanager/webhook-firing-and-resolved.json");
        Map<String, List<Alert>> expected = new HashMap<>();
        samples.forEach(s -> expected.put(s, normalizer.normalize(Samples.incoming(s, null, Map.of()))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String sample = samples.get(i % samples.size());
                results.add(pool.submit(() -> normalizer.normalize(Samples.incoming(sample, null, Map.of())).equals(expected.get(sample))));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] withState(String value) {
        return withState("OK", value);
    }

    private static byte[] withState(String previous, String value) {
        var event = Samples.tree("cloudwatch/eventbridge-single-metric-alarm.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("detail").path("state")).put("value", value);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("detail").path("previousState")).put("value", previous);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
