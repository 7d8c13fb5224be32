package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;

/** Envelopes around payloads, unwrapped recursively whichever way they nest. */
class EnvelopesTest {

    private static final String ALARM = "cloudwatch/raw-http-alarm-message.json";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "cloudwatch/raw-http-alarm-message.json",
            "cloudwatch/sqs-body-sns-notification.json",
            "cloudwatch/sqs-lambda-event-sns-envelope.json"})
    void anAlarmIsTheSameAlertInEveryEnvelope(String sample) {
        Alert bare = Samples.normalize(ALARM).get(0);
        Alert wrapped = Samples.normalize(sample).get(0);
        assertThat(wrapped).usingRecursiveComparison().ignoringFields("raw").isEqualTo(bare);
        assertThat(wrapped.raw()).isEqualTo(AlertJson.readTree(Samples.bytes(sample)));
    }

    @Test
    void unwrapsAnSnsToLambdaEventHoldingAnSqsBodyHoldingAJsonString() {
        // SNS-to-Lambda envelope whose message is an SQS body, itself an SNS envelope, whose Message is the alarm.
        String snsEnvelope = new String(Samples.bytes("cloudwatch/sqs-body-sns-notification.json"), StandardCharsets.UTF_8);
        ObjectNode outer = AlertJson.mapper().createObjectNode();
        outer.putArray("Records").addObject().put("EventSource", "aws:sns")
                .putObject("Sns").put("Type", "Notification").put("MessageId", "m-1").put("Message", snsEnvelope);
        List<Alert> alerts = Samples.normalizeJson(outer.toString());
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.name()).isEqualTo("Traffic");
            assertThat(alert.eventId()).isEqualTo(Samples.normalize(ALARM).get(0).eventId());
            assertThat(alert.raw()).isEqualTo(outer);
        });
    }

    /**
     * The EventBridge function's failures, once Lambda's retries are spent, reach the event-delivery dead-letter
     * queue as on-failure records (shape from the Lambda developer guide, "Capturing records of asynchronous
     * invocations"); moved to the ingest queue, each must be its event again, with the event's own id.
     */
    @Test
    void aLambdaOnFailureRecordIsTheEventItFailedOn() {
        String sample = "cloudwatch/eventbridge-alarm-with-tags.json";
        ObjectNode record = AlertJson.mapper().createObjectNode().put("version", "1.0").put("timestamp", "2026-03-14T12:00:00.000Z");
        record.putObject("requestContext").put("requestId", "e4b46cbf-b738-xmpl-8880-a18cdf61200e")
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:rollcall-eventbridge-ingest:live")
                .put("condition", "RetriesExhausted").put("approximateInvokeCount", 3);
        record.set("requestPayload", AlertJson.readTree(Samples.bytes(sample)));
        record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "7").put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", "OpenSearch unavailable");

        List<Alert> alerts = Samples.normalizeJson(record.toString());

        assertThat(alerts).hasSize(1);
        Alert direct = Samples.normalize(sample).get(0);
        assertThat(alerts.get(0).eventId()).isEqualTo(direct.eventId());
        assertThat(alerts.get(0).source()).isEqualTo("cloudwatch");
        assertThat(alerts.get(0).fingerprint()).isEqualTo(direct.fingerprint());
    }

    @Test
    void unwrapsABodyThatIsJsonWrittenAsAString() {
        String alarm = new String(Samples.bytes(ALARM), StandardCharsets.UTF_8);
        String doubleEncoded = TextNode.valueOf(alarm).toString();
        assertThat(Samples.normalizeJson(doubleEncoded)).extracting(Alert::name).containsExactly("Traffic");
    }

    @Test
    void subscriptionAndUnsubscribeConfirmationsAreNoAlertsInAnyEnvelope() {
        assertThat(Samples.normalize("sns/subscription-confirmation.json")).isEmpty();
        assertThat(Samples.normalize("sns/unsubscribe-confirmation.json")).isEmpty();
        String confirmation = new String(Samples.bytes("sns/subscription-confirmation.json"), StandardCharsets.UTF_8);
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        sqsEvent.putArray("Records").addObject().put("messageId", "q-1").put("eventSource", "aws:sqs").put("body", confirmation);
        assertThat(Samples.normalizeJson(sqsEvent.toString())).isEmpty();
    }

    @Test
    void anSqsMessageAttributeNamesTheSourceOfItsRecord() {
        String grafana = new String(Samples.bytes("grafana/webhook-firing.json"), StandardCharsets.UTF_8);
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        ObjectNode record = sqsEvent.putArray("Records").addObject().put("messageId", "q-1").put("eventSource", "aws:sqs").put("body", grafana);
        record.putObject("messageAttributes").putObject("rollcall-source").put("stringValue", "Alertmanager").put("dataType", "String");
        assertThat(Samples.normalizeJson(sqsEvent.toString())).extracting(Alert::source).containsOnly("alertmanager");
    }

    @Test
    void everyRecordOfABatchIsUnwrapped() {
        String alarm = new String(Samples.bytes(ALARM), StandardCharsets.UTF_8);
        String incident = new String(Samples.bytes("pagerduty/incident-triggered.json"), StandardCharsets.UTF_8);
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        var records = sqsEvent.putArray("Records");
        records.addObject().put("messageId", "q-1").put("eventSource", "aws:sqs").put("body", alarm);
        records.addObject().put("messageId", "q-2").put("eventSource", "aws:sqs").put("body", incident);
        assertThat(Samples.normalizeJson(sqsEvent.toString())).extracting(Alert::source).containsExactly("cloudwatch", "pagerduty");
    }

    /**
     * Any one sign of SNS or SQS makes a list of records or a notification an envelope (relays drop fields); a list of
     * another service's records (S3's) or a "Notification" with no SNS field is a payload of its own, one alert.
     */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            an SNS record without EventSource       | {"Records":[{"Sns":{"Type":"Notification","MessageId":"m-1","Message":ALARM}}]}  | cloudwatch
            an SQS record without messageId         | {"Records":[{"eventSource":"aws:sqs","body":ALARM}]}                               | cloudwatch
            an SQS record without eventSource       | {"Records":[{"messageId":"q-1","body":ALARM}]}                                    | cloudwatch
            an SNS notification with only TopicArn  | {"Type":"Notification","TopicArn":"arn:aws:sns:us-east-1:052730242331:ce-alarms","Message":ALARM} | cloudwatch
            an SNS notification with only MessageId | {"Type":"Notification","MessageId":"m-1","Message":ALARM}                         | cloudwatch
            a Notification with neither             | {"Type":"Notification","Message":ALARM}                                           | custom
            two S3 event records                    | {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put"},{"eventSource":"aws:s3","eventName":"ObjectRemoved:Delete"}]} | custom
            """)
    void tellsEnvelopesFromPayloadsWithTheirFieldNames(String what, String template, String source) {
        String alarm = TextNode.valueOf(new String(Samples.bytes(ALARM), StandardCharsets.UTF_8)).toString();
        List<Alert> alerts = Samples.normalizeJson(template.replace("ALARM", alarm));
        assertThat(alerts).extracting(Alert::source).containsExactly(source);
    }

    /**
     * A group inside envelopes (an SQS event holding an SNS notification whose message is an Alertmanager group):
     * each alert is stored in the envelopes as they came, their message holding only that alert's part of the group.
     */
    @Test
    void aGroupInsideEnvelopesIsStoredWithEachAlertsOwnPartNotTheWholeGroup() {
        ObjectNode group = Samples.tree("alertmanager/webhook-firing-and-resolved.json");
        JsonNode template = group.path("alerts").get(0);
        var alerts = group.putArray("alerts");
        for (int i = 0; i < 300; i++) {
            ObjectNode alert = template.deepCopy();
            alert.put("fingerprint", String.format("%016x", i));
            alerts.add(alert);
        }
        ObjectNode sns = AlertJson.mapper().createObjectNode().put("Type", "Notification").put("MessageId", "sns-1")
                .put("TopicArn", "arn:aws:sns:eu-west-1:123456789012:alerts").put("Subject", "storm").put("Message", group.toString());
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        sqsEvent.putArray("Records").addObject().put("messageId", "q-1").put("eventSource", "aws:sqs").put("body", sns.toString());
        String body = sqsEvent.toString();

        List<Alert> stored = Samples.normalizeJson(body);

        assertThat(stored).hasSize(300);
        long rawBytes = stored.stream().mapToLong(alert -> AlertJson.toBytes(alert.raw()).length).sum();
        assertThat(rawBytes).isLessThan(3L * body.length());
        JsonNode record = stored.get(7).raw().path("Records").get(0);
        assertThat(record.path("messageId").asText()).isEqualTo("q-1");
        JsonNode envelope = AlertJson.readTree(record.path("body").asText());
        assertThat(envelope.path("Subject").asText()).isEqualTo("storm");
        JsonNode part = AlertJson.readTree(envelope.path("Message").asText());
        assertThat(part.path("alerts")).hasSize(1);
        assertThat(part.path("alerts").get(0).path("fingerprint").asText()).isEqualTo(String.format("%016x", 7));
        assertThat(part.path("receiver")).isEqualTo(group.path("receiver"));
    }

    @Test
    void recordsWithoutIdsOfTheirOwnAreDifferentEventsEachKeepingItsOwnRecord() {
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        var records = sqsEvent.putArray("Records");
        for (String disk : List.of("disk full on web-1", "disk full on web-2", "disk full on web-3")) {
            records.addObject().put("messageId", "q-" + disk.charAt(disk.length() - 1)).put("eventSource", "aws:sqs")
                    .put("body", "{\"name\":\"DiskFull\",\"state\":\"firing\",\"message\":\"" + disk + "\"}");
        }

        List<Alert> alerts = Samples.normalizeJson(sqsEvent.toString());

        assertThat(alerts).extracting(Alert::eventId).doesNotHaveDuplicates().hasSize(3);
        assertThat(alerts).allSatisfy(alert -> assertThat(alert.raw().path("Records")).hasSize(1));
        assertThat(alerts.get(1).raw().path("Records").get(0).path("messageId").asText()).isEqualTo("q-2");
        // The same body again (a redelivery) gives the same ids.
        assertThat(Samples.normalizeJson(sqsEvent.toString())).extracting(Alert::eventId)
                .containsExactlyElementsOf(alerts.stream().map(Alert::eventId).toList());
    }

    /**
     * The same records one envelope further in (an SQS event forwarded whole as an SNS message, or as a JSON string):
     * one SNS message id and one body hash for all of them made every record after the first a duplicate of it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sns", "string"})
    void recordsNestedInAnotherEnvelopeAreStillDifferentEvents(String wrapping) {
        ObjectNode sqsEvent = AlertJson.mapper().createObjectNode();
        var records = sqsEvent.putArray("Records");
        for (String disk : List.of("disk full on web-1", "disk full on web-2")) {
            records.addObject().put("messageId", "q-" + disk.charAt(disk.length() - 1)).put("eventSource", "aws:sqs")
                    .put("body", disk);
        }
        String body = switch (wrapping) {
            case "sns" -> AlertJson.mapper().createObjectNode().put("Type", "Notification").put("MessageId", "sns-1")
                    .put("TopicArn", "arn:aws:sns:eu-west-1:111122223333:alerts").put("Message", sqsEvent.toString()).toString();
            default -> TextNode.valueOf(sqsEvent.toString()).toString();
        };

        List<Alert> alerts = Samples.normalizeJson(body);

        assertThat(alerts).hasSize(2).extracting(Alert::eventId).doesNotHaveDuplicates();
        assertThat(Samples.normalizeJson(body)).extracting(Alert::eventId)
                .containsExactlyElementsOf(alerts.stream().map(Alert::eventId).toList());
    }

    @Test
    void malformedJsonInsideAnEnvelopeIsKeptAsText() {
        ObjectNode envelope = Samples.tree("sns/notification-plain-text.json");
        envelope.put("Message", "{\"AlarmName\": \"cut off");
        Alert alert = Samples.normalizeJson(envelope.toString()).get(0);
        assertThat(alert.source()).isEqualTo("custom");
        assertThat(alert.title()).isEqualTo("{\"AlarmName\": \"cut off");
        assertThat(alert.eventId()).isEqualTo("custom:sns:22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
    }

    @Test
    void stopsUnwrappingAtAReasonableDepth() {
        String nested = "{\"alert\": 1}";
        for (int i = 0; i < 10; i++) {
            nested = TextNode.valueOf(nested).toString();
        }
        List<Alert> alerts = Samples.UNCLASSIFIED.normalize(Samples.incoming(nested.getBytes(StandardCharsets.UTF_8), null, Map.of()));
        assertThat(alerts).singleElement().extracting(Alert::source).isEqualTo("custom");
    }
}
