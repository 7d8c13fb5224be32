package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;

/** Payloads no normalizer knows: kept as one custom alert with raw intact, never dropped; and plain SNS messages. */
class CustomEventNormalizerTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                row("custom/application-event.json", """
                    [
                      {
                        "event_id": "custom::123456789012345678901234567890:firing:2026-03-14T02:10:44.871Z",
                        "occurred_at": "2026-03-14T02:10:44.871Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "custom",
                        "environment": "prod",
                        "service": "exporter",
                        "name": "nightly-export-failed",
                        "title": "Nightly export to the data lake failed after 3 retries",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "custom:||||nightly-export-failed",
                        "fingerprint_fields": [
                          "account", "region", "labels.source_hint", "labels.event_source", "name"
                        ],
                        "labels": {
                          "job": "nightly-export",
                          "team": "data"
                        }
                      }
                    ]
                    """),
                row("custom/eventbridge-codepipeline.json", """
                    [
                      {
                        "event_id": "01234567-EXAMPLE",
                        "occurred_at": "2020-01-24T22:03:07Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "custom",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "CodePipeline Pipeline Execution State Change",
                        "title": "aws.codepipeline: CodePipeline Pipeline Execution State Change",
                        "state": "info",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "custom:123456789012|us-east-1||aws.codepipeline|CodePipeline Pipeline Execution State Change",
                        "fingerprint_fields": [
                          "account", "region", "labels.source_hint", "labels.event_source", "name"
                        ],
                        "labels": {
                          "detail_type": "CodePipeline Pipeline Execution State Change",
                          "event_source": "aws.codepipeline",
                          "resource": "arn:aws:codepipeline:us-east-1:123456789012:myPipeline"
                        }
                      }
                    ]
                    """),
                row("sns/notification-plain-text.json", """
                    [
                      {
                        "event_id": "custom:sns:22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                        "occurred_at": "2012-05-02T00:54:06.655Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "custom",
                        "name": "My First Message",
                        "title": "Hello world!",
                        "state": "info",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "custom:||||My First Message",
                        "fingerprint_fields": [
                          "account", "region", "labels.source_hint", "labels.event_source", "name"
                        ],
                        "labels": { }
                      }
                    ]
                    """),
                row("sns/subscription-confirmation.json", """
                    [ ]
                    """),
                row("sns/unsubscribe-confirmation.json", """
                    [ ]
                    """)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void normalizesEveryFieldOfEachSample(String sample, String expected) {
        Samples.assertNormalizesTo(sample, null, Map.of(), expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"hello\": \"world\"}",
            "[1, 2, 3]",
            "\"just a string\"",
            "42",
            "{\"Records\": [{\"eventSource\": \"aws:s3\", \"s3\": {\"bucket\": {\"name\": \"b\"}}}]}",
            "{\"Type\": \"Notification\"}"})
    void keepsAnythingUnknownAsOneCustomAlertWithRawIntact(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Alert> alerts = Samples.UNCLASSIFIED.normalize(Samples.incoming(bytes, null, Map.of()));
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.source()).isEqualTo("custom");
        assertThat(alert.raw()).isEqualTo(AlertJson.readTree(body));
        assertThat(alert.eventId()).isEqualTo("custom:" + ContentHash.sha256(bytes));
        assertThat(alert.occurredAt()).isEqualTo(Samples.RECEIVED);
        assertThat(alert.name()).isEqualTo("custom event");
        assertThat(alert.unclassified()).isTrue();
    }

    /**
     * An application's own event on Rollcall's bus (a source not AWS's) says in its detail what the alert is, as the
     * same body sent to the queue does: it fires, pages and resolves under one fingerprint. It was an info event named
     * by its detail type, which never opened an episode. An AWS service's event no normalizer knows stays info.
     */
    @Test
    void anApplicationsEventBridgeEventIsReadFromItsDetail() {
        String firing = """
                {"version":"0","id":"a1b2","detail-type":"Payment provider unreachable","source":"com.acme.checkout",
                 "account":"111122223333","time":"2026-03-14T02:00:05Z","region":"eu-west-1","resources":[],
                 "detail":{"status":"firing","service":"checkout","environment":"prod","severity":"critical",
                           "time":"2026-03-14T02:00:00Z","message":"provider timed out\\nafter 3 retries","tags":{"team":"payments","event_source":"x"}}}""";
        Alert fired = Samples.UNCLASSIFIED.normalize(new IncomingEvent(firing.getBytes(StandardCharsets.UTF_8), null, Map.of(),
                IncomingEvent.Door.EVENTBRIDGE, Samples.RECEIVED)).get(0);
        assertThat(fired.source()).isEqualTo("custom");
        assertThat(fired.eventId()).isEqualTo("a1b2");
        assertThat(fired.state()).isEqualTo(AlertState.FIRING);
        assertThat(fired.service()).isEqualTo("checkout");
        assertThat(fired.environment()).isEqualTo("prod");
        assertThat(fired.severity().wire()).isEqualTo("critical");
        assertThat(fired.name()).isEqualTo("Payment provider unreachable");
        assertThat(fired.title()).isEqualTo("provider timed out");
        assertThat(fired.occurredAt()).isEqualTo(Instant.parse("2026-03-14T02:00:00Z"));
        assertThat(fired.labels()).containsEntry("team", "payments").containsEntry("event_source", "com.acme.checkout");

        String resolvedBody = firing.replace("\"id\":\"a1b2\"", "\"id\":\"c3d4\"").replace("\"status\":\"firing\"", "\"status\":\"resolved\"");
        Alert resolved = Samples.UNCLASSIFIED.normalize(new IncomingEvent(resolvedBody.getBytes(StandardCharsets.UTF_8), null, Map.of(),
                IncomingEvent.Door.EVENTBRIDGE, Samples.RECEIVED)).get(0);
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(fired.fingerprint());

        Alert aws = Samples.normalize("custom/eventbridge-codepipeline.json").get(0);
        assertThat(aws.state()).isEqualTo(AlertState.INFO);
    }

    @Test
    void keepsACustomIdBeyondTwoToTheFiftyThirdAndRawNumbersExact() {
        Alert alert = Samples.normalize("custom/application-event.json").get(0);
        assertThat(alert.eventId()).isEqualTo("custom::123456789012345678901234567890:firing:2026-03-14T02:10:44.871Z");
        assertThat(AlertJson.toJson(alert))
                .contains("123456789012345678901234567890")
                .contains("0.1000000000000000055511151231257827");
    }

    /**
     * A payload's own id is one alert's to many producers (an alias, a dedup key): its firing and resolution, a later
     * firing and another tool's same small number are events of their own; a redelivery is not.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the same body again, a redelivery                | app | {"id":"disk-1","status":"firing","time":"2026-03-14T02:00:00Z"} | app | {"id":"disk-1","status":"firing","time":"2026-03-14T02:00:00Z"} | true
            firing, then resolved under the same id          | app | {"id":"disk-1","status":"firing"}                                 | app | {"id":"disk-1","status":"resolved"}                                | false
            firing again at a later time                     | app | {"id":"disk-1","status":"firing","time":"2026-03-14T02:00:00Z"} | app | {"id":"disk-1","status":"firing","time":"2026-03-14T03:00:00Z"} | false
            the same id and state without a time, redelivered | app | {"id":"disk-1","status":"firing"}                                | app | {"id":"disk-1","status":"firing","title":"again"}                  | true
            two tools' same number                           | jenkins | {"id":1,"status":"failed"}                                    | argo | {"id":1,"status":"failed"}                                        | false
            an id posing as another source's                 | jenkins | {"id":1,"status":"failed"}                                    |      | {"id":"jenkins:1","status":"failed"}                               | false
            """)
    void anOwnIdIsQualifiedBySourceStateAndTime(String what, String firstHint, String first, String secondHint, String second,
            boolean sameEvent) {
        String firstId = Samples.UNCLASSIFIED.normalize(Samples.incoming(first.getBytes(StandardCharsets.UTF_8), firstHint, Map.of()))
                .get(0).eventId();
        String secondId = Samples.UNCLASSIFIED.normalize(Samples.incoming(second.getBytes(StandardCharsets.UTF_8), secondHint, Map.of()))
                .get(0).eventId();
        assertThat(firstId.equals(secondId)).as(firstId + " and " + secondId).isEqualTo(sameEvent);
    }

    /**
     * Without a time of its own, a payload is timed by when it was first sent through the queue: firing, resolved and
     * firing again under one id are three events; a redelivery of one of them (the same first send) is not a fourth.
     * Only the doors whose redeliveries repeat the first send (SQS, webhooks) have one to time it by.
     */
    @ParameterizedTest(name = "{0}: timed by its first send {1}")
    @CsvSource({"WEBHOOK, true", "SQS, true", "EVENTBRIDGE, false", "SNS, false", "LAMBDA_ACTION, false"})
    void anOwnIdWithoutATimeIsTimedByItsFirstSend(IncomingEvent.Door door, boolean timed) {
        byte[] firing = "{\"id\":\"disk-1\",\"status\":\"firing\"}".getBytes(StandardCharsets.UTF_8);
        Instant sent = Instant.parse("2026-03-14T12:00:00Z");
        String first = idOf(door, firing, sent, sent);
        String redelivered = idOf(door, firing, sent, sent.plusSeconds(400));
        String firedAgain = idOf(door, firing, sent.plusSeconds(900), sent.plusSeconds(900));

        assertThat(redelivered).isEqualTo(first)
                .isEqualTo(timed ? "custom:app:disk-1:firing:sent:" + sent.toEpochMilli() : "custom:app:disk-1:firing");
        assertThat(firedAgain.equals(first)).isEqualTo(!timed);
    }

    private static String idOf(IncomingEvent.Door door, byte[] body, Instant sent, Instant received) {
        return Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "app", Map.of(), door, received, sent)).get(0).eventId();
    }

    @Test
    void anOwnIdKeepsItsSourceStateAndTimeReadable() {
        String id = Samples.UNCLASSIFIED.normalize(Samples.incoming(
                "{\"id\":\"disk-1\",\"status\":\"resolved\",\"time\":\"2026-03-14T02:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                "app", Map.of())).get(0).eventId();
        assertThat(id).isEqualTo("custom:app:disk-1:resolved:2026-03-14T02:00:00Z");
    }

    @Test
    void anUnknownHintIsKeptAsALabelAndThePayloadSpeaksForItself() {
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming("custom/application-event.json", "nightly-jobs", Map.of())).get(0);
        assertThat(alert.source()).isEqualTo("custom");
        assertThat(alert.labels()).containsEntry("source_hint", "nightly-jobs");
        List<Alert> alarm = Samples.UNCLASSIFIED.normalize(Samples.incoming("cloudwatch/raw-http-alarm-message.json", "nightly-jobs", Map.of()));
        assertThat(alarm).extracting(Alert::source).containsExactly("cloudwatch");
    }

    /** The path an alert came by is part of its fingerprint, so a producer's tag of that name cannot stand for it. */
    @ParameterizedTest(name = "path {0}")
    @CsvSource(nullValues = "none", value = {"nightly-jobs", "none"})
    void aProducersOwnSourceHintTagNeverReplacesThePath(String hint) {
        byte[] body = "{\"name\":\"BackupFailed\",\"status\":\"firing\",\"tags\":{\"source_hint\":\"elsewhere\",\"team\":\"storage\"}}"
                .getBytes(StandardCharsets.UTF_8);
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming(body, hint, Map.of())).get(0);

        assertThat(alert.labels().get("source_hint")).isEqualTo(hint);
        assertThat(alert.labels()).containsEntry("team", "storage");
    }

    @Test
    void aWebhookHintWhoseShapeDoesNotFitFallsBackToCustom() {
        byte[] body = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
        for (String hint : List.of("sentry", "alertmanager", "grafana", "pagerduty")) {
            assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(body, hint, Map.of())))
                    .as(hint).extracting(Alert::source).containsExactly("custom");
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(nullValues = "none", value = {"firing, FIRING", "ERROR, FIRING", "alarm, FIRING", "resolved, RESOLVED", "OK, RESOLVED",
            "recovered, RESOLVED", "pending, INFO", "none, INFO"})
    void mapsCommonStatusWords(String status, AlertState expected) {
        assertThat(CustomEventNormalizer.state(status)).isEqualTo(expected);
    }
}
