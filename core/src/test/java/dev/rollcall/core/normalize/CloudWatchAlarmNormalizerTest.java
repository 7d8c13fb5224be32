package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;

class CloudWatchAlarmNormalizerTest {

    /**
     * Every CloudWatch alarm shape: EventBridge (metric, metric math, anomaly detection, composite, tagged),
     * the alarm's Lambda action, and the classic SNS notification via SNS-to-Lambda, an SQS body, an SQS Lambda
     * event and raw HTTP, with region display names old and new.
     */
    static Stream<Arguments> samples() {
        return Stream.of(
                row("cloudwatch/eventbridge-alarm-with-tags.json", """
                    [
                      {
                        "event_id": "cloudwatch:6cfcba1488d16600b9f1fa7552dd3c80bc008c5a8ef2f1dd2d30ed5982e70654",
                        "occurred_at": "2026-03-14T09:26:53.107Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "210987654321",
                        "region": "eu-west-1",
                        "environment": "prod",
                        "service": "checkout",
                        "name": "checkout-prod-5xx-rate",
                        "title": "Checkout API 5xx responses above 1% for 3 minutes",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:210987654321|eu-west-1|checkout-prod-5xx-rate",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.ApiName": "checkout",
                          "Dimension.Stage": "prod",
                          "alarm_arn": "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:checkout-prod-5xx-rate",
                          "alarm_type": "metric",
                          "env": "prod",
                          "metric_name": "5XXError",
                          "namespace": "AWS/ApiGateway",
                          "previous_state": "OK",
                          "service": "checkout",
                          "severity": "critical",
                          "team": "payments"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/eventbridge-anomaly-detection-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:ce8afe1fc18dc7dd1a729f18822210a7461780b3a0b6c294c14e2f781df93091",
                        "occurred_at": "2019-10-03T16:00:04.653Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "EC2 CPU Utilization Anomaly",
                        "title": "Goes into alarm if CPU Utilization is out of band",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:123456789012|us-east-1|EC2 CPU Utilization Anomaly",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "i-12345678901234567",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:EC2 CPU Utilization Anomaly",
                          "alarm_type": "anomaly_detection",
                          "metric_name": "CPUUtilization",
                          "namespace": "AWS/EC2",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/eventbridge-composite-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:2bee694c9cdc14900f10db7e63ff8800dc3bdd543e3ae2e41707724fad95aaf5",
                        "occurred_at": "2022-07-22T15:57:45.394Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "ServiceAggregatedAlarm",
                        "title": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:123456789012|us-east-1|ServiceAggregatedAlarm",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm",
                          "alarm_rule": "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
                          "actions_suppressed_by": "WaitPeriod",
                          "actions_suppressed_reason": "Actions suppressed by WaitPeriod",
                          "alarm_type": "composite",
                          "previous_state": "OK",
                          "triggering_alarms": "ServerCpuTooHigh"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/eventbridge-configuration-change.json", """
                    [ ]
                    """),
                row("cloudwatch/eventbridge-metric-math-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:697118a59ade8bbca17302d55db4d590ad22639358b32a690ce773065d834c37",
                        "occurred_at": "2019-10-02T17:20:48.554Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "TotalNetworkTrafficTooHigh",
                        "title": "Goes into alarm if total network traffic exceeds 10Kb",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:123456789012|us-east-1|TotalNetworkTrafficTooHigh",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "i-12345678901234567",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh",
                          "alarm_type": "metric_math",
                          "metric_name": "NetworkIn,NetworkOut",
                          "namespace": "AWS/EC2",
                          "previous_state": "INSUFFICIENT_DATA"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/eventbridge-single-metric-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:a925e1551a28dfa2a1044a87502807a12a74b87d22edcbe98b34b2c801f5e4c2",
                        "occurred_at": "2019-10-02T17:04:40.989Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "ServerCpuTooHigh",
                        "title": "Goes into alarm when server CPU utilization is too high!",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:123456789012|us-east-1|ServerCpuTooHigh",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "i-12345678901234567",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh",
                          "alarm_type": "metric",
                          "metric_name": "CPUUtilization",
                          "namespace": "AWS/EC2",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/http-sns-notification-eu-ireland.json", """
                    [
                      {
                        "event_id": "cloudwatch:55b7aa626681b83244401b29c113116dbdc8d209d4669d407ad8b38bbfdccce9",
                        "occurred_at": "2026-02-21T07:41:05.977Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "210987654321",
                        "region": "eu-west-1",
                        "name": "orders-api-p99-latency",
                        "title": "Orders API p99 latency above 2 s",
                        "state": "resolved",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:210987654321|eu-west-1|orders-api-p99-latency",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.LoadBalancer": "app/orders-prod/50dc6c495c0c9188",
                          "Dimension.TargetGroup": "targetgroup/orders-api/73e2d6bc24d8a067",
                          "alarm_arn": "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:orders-api-p99-latency",
                          "alarm_type": "metric",
                          "metric_name": "TargetResponseTime",
                          "namespace": "AWS/ApplicationELB",
                          "previous_state": "ALARM"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/lambda-action-composite-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:01da2b96e9bec0d691f3cf87b19bed20bbbedbed054743587e004424a19f55ce",
                        "occurred_at": "2023-08-04T12:56:46.138Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "111122223333",
                        "region": "us-east-1",
                        "name": "CompositeDemo.Main",
                        "title": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild transitioned to ALARM at Friday 04 August, 2023 12:54:46 UTC",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:111122223333|us-east-1|CompositeDemo.Main",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:SuppressionDemo.Main",
                          "alarm_rule": "ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)",
                          "alarm_type": "composite",
                          "previous_state": "ALARM",
                          "triggering_alarms": "CompositeDemo.FirstChild"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/lambda-action-metric-alarm.json", """
                    [
                      {
                        "event_id": "cloudwatch:4c905014c7dd13b5444cb483c5540778b701bd4c6a1b302eb827b5cc82ffbca4",
                        "occurred_at": "2023-08-04T12:36:15.490Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "444455556666",
                        "region": "us-east-1",
                        "name": "lambda-demo-metric-alarm",
                        "title": "Metric Alarm to test Lambda actions",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:444455556666|us-east-1|lambda-demo-metric-alarm",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "i-12345678",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1: 444455556666:alarm:lambda-demo-metric-alarm",
                          "alarm_type": "metric",
                          "metric_name": "CallCount",
                          "namespace": "AWS/Logs",
                          "previous_state": "INSUFFICIENT_DATA"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/raw-http-alarm-message.json", """
                    [
                      {
                        "event_id": "cloudwatch:9377041e63c797c4c543383f5b1478bb063d142996ab3ed29fc9b8dfa00edff2",
                        "occurred_at": "2020-10-09T21:32:10.617Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "052730242331",
                        "region": "us-east-1",
                        "name": "Traffic",
                        "title": "A high amount of traffic: did we just get slashdotted?",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:052730242331|us-east-1|Traffic",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.LoadBalancer": "app/GccExplorerApp/4a4513393260c7c5",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:052730242331:alarm:Traffic",
                          "alarm_type": "metric",
                          "metric_name": "RequestCount",
                          "namespace": "AWS/ApplicationELB",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/sns-lambda-eu-ireland-2017.json", """
                    [
                      {
                        "event_id": "cloudwatch:abac99648f1bbd440e336d5a6d722225f91f858d13c8f305e7bb0736808c7562",
                        "occurred_at": "2017-01-12T16:30:42.236Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "000000000000",
                        "region": "eu-west-1",
                        "name": "Example alarm name",
                        "title": "Example alarm description.",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:000000000000|eu-west-1|Example alarm name",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "alarm_type": "metric",
                          "metric_name": "DeliveryErrors",
                          "namespace": "ExampleNamespace",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/sns-lambda-multiple-metrics.json", """
                    [
                      {
                        "event_id": "cloudwatch:4b8741052627d36848611f5cf8289311c24fecc3cc60a42c6dbacfeca138ae7f",
                        "occurred_at": "2015-06-03T17:43:27.123Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "EXAMPLE",
                        "name": "EXAMPLE",
                        "title": "EXAMPLE",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:EXAMPLE||EXAMPLE",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "TestInstance",
                          "alarm_arn": "arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE",
                          "alarm_type": "metric_math",
                          "metric_name": "NetworkOut",
                          "namespace": "AWS/EC2",
                          "previous_state": "INSUFFICIENT_DATA"
                        }
                      },
                      {
                        "event_id": "cloudwatch:4b8741052627d36848611f5cf8289311c24fecc3cc60a42c6dbacfeca138ae7f",
                        "occurred_at": "2015-06-03T17:43:27.123Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "EXAMPLE",
                        "name": "EXAMPLE",
                        "title": "EXAMPLE",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:EXAMPLE||EXAMPLE",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "TestInstance",
                          "alarm_arn": "arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE",
                          "alarm_type": "metric_math",
                          "metric_name": "NetworkOut",
                          "namespace": "AWS/EC2",
                          "previous_state": "INSUFFICIENT_DATA"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/sns-lambda-single-metric.json", """
                    [
                      {
                        "event_id": "cloudwatch:391b5e5e1bc732dfa3526fa3747cddaefa57f990a19104be81702ab31be502ee",
                        "occurred_at": "2015-06-03T17:43:27.123Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "123456789012",
                        "name": "EXAMPLE",
                        "title": "EXAMPLE",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:123456789012||EXAMPLE",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.InstanceId": "TestInstance",
                          "alarm_arn": "arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE",
                          "alarm_type": "metric",
                          "metric_name": "NetworkOut",
                          "namespace": "AWS/EC2",
                          "previous_state": "INSUFFICIENT_DATA"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/sqs-body-sns-notification.json", """
                    [
                      {
                        "event_id": "cloudwatch:9377041e63c797c4c543383f5b1478bb063d142996ab3ed29fc9b8dfa00edff2",
                        "occurred_at": "2020-10-09T21:32:10.617Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "052730242331",
                        "region": "us-east-1",
                        "name": "Traffic",
                        "title": "A high amount of traffic: did we just get slashdotted?",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:052730242331|us-east-1|Traffic",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.LoadBalancer": "app/GccExplorerApp/4a4513393260c7c5",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:052730242331:alarm:Traffic",
                          "alarm_type": "metric",
                          "metric_name": "RequestCount",
                          "namespace": "AWS/ApplicationELB",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """),
                row("cloudwatch/sqs-lambda-event-sns-envelope.json", """
                    [
                      {
                        "event_id": "cloudwatch:9377041e63c797c4c543383f5b1478bb063d142996ab3ed29fc9b8dfa00edff2",
                        "occurred_at": "2020-10-09T21:32:10.617Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "cloudwatch",
                        "account": "052730242331",
                        "region": "us-east-1",
                        "name": "Traffic",
                        "title": "A high amount of traffic: did we just get slashdotted?",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "cloudwatch:052730242331|us-east-1|Traffic",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name"
                        ],
                        "labels": {
                          "Dimension.LoadBalancer": "app/GccExplorerApp/4a4513393260c7c5",
                          "alarm_arn": "arn:aws:cloudwatch:us-east-1:052730242331:alarm:Traffic",
                          "alarm_type": "metric",
                          "metric_name": "RequestCount",
                          "namespace": "AWS/ApplicationELB",
                          "previous_state": "OK"
                        }
                      }
                    ]
                    """)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void normalizesEveryFieldOfEachSample(String sample, String expected) {
        Samples.assertNormalizesTo(sample, null, Map.of(), expected);
    }

    /** Muted by an alarm mute rule: the same transition, so the same alert and id, with the rule that muted it as a label. */
    @Test
    void aMutedAlarmIsTheSameAlertLabelledWithItsMuteRule() {
        JsonNode unmuted = Samples.documentsWithoutRaw(Samples.UNCLASSIFIED.normalize(
                Samples.incoming(Samples.bytes("cloudwatch/eventbridge-single-metric-alarm.json"), null, Map.of())));
        ((ObjectNode) unmuted.get(0).path("labels")).put("muted_by", "arn:aws:cloudwatch:us-east-1:1234567890:alarm-mute-rule:testMute");
        Samples.assertNormalizesTo("cloudwatch/eventbridge-single-metric-alarm-muted.json", null, Map.of(), AlertJson.toJson(unmuted));
    }

    /**
     * Previous state, new state, alert state, for every shape. INSUFFICIENT_DATA after ALARM ends the alarm: a metric
     * published only when nonzero (ALB's HTTPCode_Target_5XX_Count) with TreatMissingData=missing goes
     * ALARM -> INSUFFICIENT_DATA, never to OK, when the errors stop. After OK, or with no previous state, it is only a
     * metric that stopped reporting.
     */
    static Stream<Arguments> transitions() {
        return Stream.of(
                Arguments.of("OK", "ALARM", AlertState.FIRING),
                Arguments.of("INSUFFICIENT_DATA", "ALARM", AlertState.FIRING),
                Arguments.of("ALARM", "OK", AlertState.RESOLVED),
                Arguments.of("INSUFFICIENT_DATA", "OK", AlertState.RESOLVED),
                Arguments.of("ALARM", "INSUFFICIENT_DATA", AlertState.RESOLVED),
                Arguments.of("OK", "INSUFFICIENT_DATA", AlertState.INFO),
                Arguments.of(null, "INSUFFICIENT_DATA", AlertState.INFO),
                Arguments.of("ALARM", "SOMETHING_NEW", AlertState.INFO),
                Arguments.of("ALARM", null, AlertState.INFO));
    }

    @ParameterizedTest(name = "{0} -> {1} is {2}")
    @MethodSource("transitions")
    void mapsAlarmStatesOfEventBridgeEvents(String previous, String value, AlertState expected) {
        ObjectNode event = Samples.tree("cloudwatch/eventbridge-single-metric-alarm.json");
        ObjectNode detail = (ObjectNode) event.path("detail");
        ((ObjectNode) detail.path("state")).put("value", value);
        setOrRemove((ObjectNode) detail.path("previousState"), "value", previous);
        assertThat(Samples.normalizeJson(event.toString()).get(0).state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} is {2}")
    @MethodSource("transitions")
    void mapsAlarmStatesOfClassicNotifications(String previous, String value, AlertState expected) {
        ObjectNode message = Samples.tree("cloudwatch/raw-http-alarm-message.json");
        message.put("NewStateValue", value);
        setOrRemove(message, "OldStateValue", previous);
        assertThat(Samples.normalizeJson(message.toString()).get(0).state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} is {2}")
    @MethodSource("transitions")
    void mapsAlarmStatesOfLambdaActions(String previous, String value, AlertState expected) {
        ObjectNode action = Samples.tree("cloudwatch/lambda-action-composite-alarm.json");
        ObjectNode alarmData = (ObjectNode) action.path("alarmData");
        ((ObjectNode) alarmData.path("state")).put("value", value);
        setOrRemove((ObjectNode) alarmData.path("previousState"), "value", previous);
        assertThat(Samples.normalizeJson(action.toString()).get(0).state()).isEqualTo(expected);
    }

    @Test
    void anAlarmThatEndsInInsufficientDataResolvesItsEpisode() {
        ObjectNode message = Samples.tree("cloudwatch/raw-http-alarm-message.json");
        Alert alarm = Samples.normalizeJson(message.toString()).get(0);
        message.put("NewStateValue", "INSUFFICIENT_DATA").put("OldStateValue", "ALARM")
                .put("StateChangeTime", "2020-10-09T21:47:10.602+0000");
        Alert ended = Samples.normalizeJson(message.toString()).get(0);
        assertThat(ended.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(ended.fingerprint()).isEqualTo(alarm.fingerprint());
        assertThat(ended.labels()).containsEntry("previous_state", "ALARM");
    }

    @Test
    void alarmConfigurationChangesAreNoAlerts() {
        assertThat(Samples.normalize("cloudwatch/eventbridge-configuration-change.json")).isEmpty();
    }

    @Test
    void oneTransitionHasOneIdWhicheverRouteDeliversIt() {
        List<String> ids = Stream.of("cloudwatch/raw-http-alarm-message.json", "cloudwatch/sqs-body-sns-notification.json",
                        "cloudwatch/sqs-lambda-event-sns-envelope.json")
                .map(sample -> Samples.normalize(sample).get(0).eventId())
                .toList();
        assertThat(ids).containsOnly("cloudwatch:" + ContentHash.sha256("052730242331", "us-east-1", "Traffic", "ALARM",
                Long.toString(Instant.parse("2020-10-09T21:32:10.617Z").toEpochMilli())));
    }

    /**
     * An alarm whose changes the member stack forwards through EventBridge may also have an SNS action whose topic
     * reaches Rollcall (or a second bus copying its events): every copy of one transition is one event.
     */
    @Test
    void oneTransitionHasOneIdThroughEventBridgeSnsAndTheLambdaAction() {
        ObjectNode eventBridge = Samples.tree("cloudwatch/eventbridge-single-metric-alarm.json");
        ObjectNode copy = eventBridge.deepCopy().put("id", "9f1b3c5d-0000-4000-8000-000000000001");
        ObjectNode sns = Samples.tree("cloudwatch/raw-http-alarm-message.json")
                .put("AlarmName", "ServerCpuTooHigh").put("AWSAccountId", "123456789012")
                .put("AlarmArn", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh")
                .put("Region", "US East (N. Virginia)").put("NewStateValue", "ALARM")
                // The same instant written with another offset: ids compare instants, not text.
                .put("StateChangeTime", "2019-10-02T19:04:40.989+0200");
        ObjectNode action = Samples.tree("cloudwatch/lambda-action-metric-alarm.json")
                .put("accountId", "123456789012").put("region", "us-east-1")
                .put("alarmArn", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh");
        ObjectNode actionData = (ObjectNode) action.path("alarmData");
        actionData.put("alarmName", "ServerCpuTooHigh");
        ((ObjectNode) actionData.path("state")).put("value", "ALARM").put("timestamp", "2019-10-02T17:04:40.989+0000");

        List<Alert> alerts = Stream.of(eventBridge, copy, sns, action)
                .map(payload -> Samples.normalizeJson(payload.toString()).get(0))
                .toList();

        assertThat(alerts).extracting(Alert::eventId).containsOnly("cloudwatch:" + ContentHash.sha256("123456789012",
                "us-east-1", "ServerCpuTooHigh", "ALARM", Long.toString(Instant.parse("2019-10-02T17:04:40.989Z").toEpochMilli())));
        assertThat(alerts).extracting(Alert::fingerprint).containsOnly(alerts.get(0).fingerprint());
    }

    /** Without the transition's time nothing tells two transitions apart but the envelope. */
    @Test
    void anEventBridgeTransitionWithoutItsTimeKeepsItsEnvelopeId() {
        ObjectNode eventBridge = Samples.tree("cloudwatch/eventbridge-single-metric-alarm.json");
        ((ObjectNode) eventBridge.path("detail").path("state")).remove("timestamp");
        assertThat(Samples.normalizeJson(eventBridge.toString()).get(0).eventId()).isEqualTo("c4c1c1c9-6542-e61b-6ef0-8c4d36933a92");
    }

    /** A classic notification without StateChangeTime is dated by the SNS notification that carried it, not by its arrival. */
    @Test
    void aClassicNotificationWithoutItsTimeIsDatedByItsSnsNotification() {
        ObjectNode notification = Samples.tree("cloudwatch/sqs-body-sns-notification.json");
        ObjectNode message = (ObjectNode) AlertJson.readTree(notification.path("Message").asText());
        message.remove("StateChangeTime");
        notification.put("Message", message.toString());
        assertThat(Samples.normalizeJson(notification.toString()).get(0).occurredAt()).isEqualTo(Instant.parse("2020-10-09T21:32:10.664Z"));
    }

    @Test
    void anotherTransitionOfTheSameAlarmHasAnotherIdButTheSameFingerprint() {
        ObjectNode message = Samples.tree("cloudwatch/raw-http-alarm-message.json");
        Alert alarm = Samples.normalizeJson(message.toString()).get(0);
        message.put("NewStateValue", "OK").put("StateChangeTime", "2020-10-09T21:47:10.602+0000");
        Alert ok = Samples.normalizeJson(message.toString()).get(0);
        assertThat(ok.eventId()).isNotEqualTo(alarm.eventId());
        assertThat(ok.fingerprint()).isEqualTo(alarm.fingerprint());
    }

    @Test
    void eachSnsRecordOfALambdaEventIsAnAlert() {
        assertThat(Samples.normalize("cloudwatch/sns-lambda-multiple-metrics.json")).hasSize(2);
    }

    /** Tags name the service first; untagged alarms fall back to a dimension naming one; nothing else guesses. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "'service=checkout,Dimension.Service=billing',  checkout",
        "'Application=ledger,Dimension.ServiceName=web', ledger",
        "'Dimension.Service=billing',                   billing",
        "'Dimension.ServiceName=web-frontend',          web-frontend",
        "'Dimension.Service=billing,Dimension.ServiceName=web', billing",
        "'Dimension.FunctionName=checkout-handler',     none",
        "'',                                            none"})
    void takesTheServiceFromTagsThenFromServiceDimensions(String labels, String expected) {
        Labels given = new Labels();
        for (String pair : labels.split(",")) {
            if (!pair.isBlank()) {
                given.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        assertThat(CloudWatchAlarmNormalizer.service(given)).isEqualTo(expected);
    }

    private static void setOrRemove(ObjectNode node, String field, String value) {
        if (value == null) {
            node.remove(field);
        } else {
            node.put(field, value);
        }
    }
}
