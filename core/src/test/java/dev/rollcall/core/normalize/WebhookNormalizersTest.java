package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/** Datadog, Prometheus Alertmanager, Grafana (unified and legacy) and PagerDuty webhooks (and Datadog's EventBridge partner events). */
class WebhookNormalizersTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                row("grafana/legacy-webhook-alerting.json", """
                    [
                      {
                        "event_id": "grafana:69f59a3d661fa0cd4ffad17f1eb8885d319d45ce84c5bf652099e46b3b2930f5",
                        "occurred_at": "2026-03-14T12:00:00Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "grafana",
                        "name": "Panel Title alert",
                        "title": "[Alerting] Panel Title alert",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "grafana:rule_id=1/1",
                        "fingerprint_fields": [
                          "rule_id"
                        ],
                        "labels": {
                          "dashboard_id": "1",
                          "grafana_state": "alerting",
                          "org_id": "1",
                          "panel_id": "2",
                          "rule_id": "1",
                          "rule_url": "http://localhost:3000/d/hZ7BuVbWz/test-dashboard?fullscreen&edit&tab=alert&panelId=2&orgId=1",
                          "tag name": "tag value"
                        }
                      }
                    ]
                    """),
                row("grafana/legacy-webhook-ok.json", """
                    [
                      {
                        "event_id": "grafana:b41ab1c6aeb433d7e92705db7d003c6b646b2c96ba369b045e9a93bf3340c956",
                        "occurred_at": "2026-03-14T12:00:00Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "grafana",
                        "name": "Panel Title alert",
                        "title": "[OK] Panel Title alert",
                        "state": "resolved",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "grafana:rule_id=1/1",
                        "fingerprint_fields": [
                          "rule_id"
                        ],
                        "labels": {
                          "dashboard_id": "1",
                          "grafana_state": "ok",
                          "org_id": "1",
                          "panel_id": "2",
                          "rule_id": "1",
                          "rule_url": "http://localhost:3000/d/hZ7BuVbWz/test-dashboard?fullscreen&edit&tab=alert&panelId=2&orgId=1",
                          "tag name": "tag value"
                        }
                      }
                    ]
                    """),
                row("datadog/eventbridge-partner-event.json", """
                    [
                      {
                        "event_id": "9b3f7c2a-6e1d-4a8b-b5c4-1d2e3f4a5b6c",
                        "occurred_at": "2026-03-14T10:06:19Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "datadog",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "environment": "staging",
                        "service": "orders-db",
                        "name": "Disk usage above 90% on db-replica-2",
                        "title": "[Triggered] Disk usage above 90% on db-replica-2",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "datadog:90417|",
                        "fingerprint_fields": [
                          "monitor_id",
                          "scope"
                        ],
                        "labels": {
                          "alert_type": "error",
                          "env": "staging",
                          "hostname": "db-replica-2",
                          "link": "https://app.datadoghq.com/monitors/90417",
                          "monitor": "true",
                          "monitor_id": "90417",
                          "priority": "normal",
                          "service": "orders-db",
                          "transition": "Triggered"
                        }
                      }
                    ]
                    """),
                row("datadog/webhook-default-payload-recovered.json", """
                    [
                      {
                        "event_id": "datadog:5244861102284717012",
                        "occurred_at": "2026-03-14T09:41:19Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "datadog",
                        "name": "checkout p99 latency is high",
                        "title": "[P1] [Recovered on {host:i-0a1b2c3d4e5f67890}] checkout p99 latency is high",
                        "state": "resolved",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "datadog:name=checkout p99 latency is high|host:i-0a1b2c3d4e5f67890",
                        "fingerprint_fields": [
                          "name",
                          "scope"
                        ],
                        "labels": {
                          "event_type": "query_alert_monitor",
                          "org_id": "123456",
                          "org_name": "Example Org",
                          "priority": "P1",
                          "scope": "host:i-0a1b2c3d4e5f67890",
                          "transition": "Recovered"
                        }
                      }
                    ]
                    """),
                row("datadog/webhook-default-payload-triggered.json", """
                    [
                      {
                        "event_id": "datadog:5244845437451297458",
                        "occurred_at": "2026-03-14T09:26:19Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "datadog",
                        "name": "checkout p99 latency is high",
                        "title": "[P1] [Triggered on {host:i-0a1b2c3d4e5f67890}] checkout p99 latency is high",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "datadog:name=checkout p99 latency is high|host:i-0a1b2c3d4e5f67890",
                        "fingerprint_fields": [
                          "name",
                          "scope"
                        ],
                        "labels": {
                          "event_type": "query_alert_monitor",
                          "org_id": "123456",
                          "org_name": "Example Org",
                          "priority": "P1",
                          "scope": "host:i-0a1b2c3d4e5f67890",
                          "transition": "Triggered"
                        }
                      }
                    ]
                    """),
                row("datadog/webhook-recovered.json", """
                    [
                      {
                        "event_id": "datadog:5244861102284717012",
                        "occurred_at": "2026-03-14T09:41:19Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "datadog",
                        "environment": "prod",
                        "service": "checkout",
                        "name": "checkout p99 latency is high",
                        "title": "[P2] [Recovered on {host:i-0a1b2c3d4e5f67890}] checkout p99 latency is high",
                        "state": "resolved",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "datadog:81235|host:i-0a1b2c3d4e5f67890",
                        "fingerprint_fields": [
                          "monitor_id",
                          "scope"
                        ],
                        "labels": {
                          "alert_type": "success",
                          "env": "prod",
                          "event_type": "query_alert_monitor",
                          "host": "i-0a1b2c3d4e5f67890",
                          "hostname": "i-0a1b2c3d4e5f67890",
                          "link": "https://app.datadoghq.com/event/event?id=5244861102284717012",
                          "metric": "trace.http.request.duration.by.service.99p",
                          "monitor": "true",
                          "monitor_id": "81235",
                          "org_id": "123456",
                          "org_name": "Example Org",
                          "priority": "P2",
                          "scope": "host:i-0a1b2c3d4e5f67890",
                          "service": "checkout",
                          "status": "Value: 1.204",
                          "team": "payments",
                          "transition": "Recovered"
                        }
                      }
                    ]
                    """),
                row("datadog/webhook-triggered.json", """
                    [
                      {
                        "event_id": "datadog:5244845437451297458",
                        "occurred_at": "2026-03-14T09:26:19Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "datadog",
                        "environment": "prod",
                        "service": "checkout",
                        "name": "checkout p99 latency is high",
                        "title": "[P2] [Triggered on {host:i-0a1b2c3d4e5f67890}] checkout p99 latency is high",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "datadog:81235|host:i-0a1b2c3d4e5f67890",
                        "fingerprint_fields": [
                          "monitor_id",
                          "scope"
                        ],
                        "labels": {
                          "alert_type": "error",
                          "env": "prod",
                          "event_type": "query_alert_monitor",
                          "host": "i-0a1b2c3d4e5f67890",
                          "hostname": "i-0a1b2c3d4e5f67890",
                          "link": "https://app.datadoghq.com/event/event?id=5244845437451297458",
                          "metric": "trace.http.request.duration.by.service.99p",
                          "monitor": "true",
                          "monitor_id": "81235",
                          "org_id": "123456",
                          "org_name": "Example Org",
                          "priority": "P2",
                          "scope": "host:i-0a1b2c3d4e5f67890",
                          "service": "checkout",
                          "status": "Value: 1.823",
                          "team": "payments",
                          "transition": "Triggered"
                        }
                      }
                    ]
                    """),
                row("alertmanager/webhook-firing-and-resolved.json", """
                    [
                      {
                        "event_id": "alertmanager:514ace5f4dd30c3eed0c0bf40ccae37db86a7a2124fda96b70cc69da97b2d2c6",
                        "occurred_at": "2026-03-14T09:58:47.123Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "alertmanager",
                        "environment": "prod",
                        "service": "orders-api",
                        "name": "HighErrorRate",
                        "title": "orders-api 5xx ratio above 5% on 10.2.3.4:8080",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "alertmanager:b2f2a1c9d5e3f407",
                        "fingerprint_fields": [
                          "alert_fingerprint"
                        ],
                        "labels": {
                          "alertname": "HighErrorRate",
                          "env": "prod",
                          "generator_url": "http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by%28instance%29%28rate%28http_requests_total%7Bjob%3D%22orders-api%22%2Ccode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1",
                          "instance": "10.2.3.4:8080",
                          "job": "orders-api",
                          "namespace": "shop",
                          "receiver": "rollcall",
                          "severity": "critical"
                        }
                      },
                      {
                        "event_id": "alertmanager:4259bcc53644a5bca131c65c516f2b1a3b3c883c31a9a8bbf26af25eda2c1707",
                        "occurred_at": "2026-03-14T09:56:17Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "alertmanager",
                        "environment": "prod",
                        "service": "orders-api",
                        "name": "HighErrorRate",
                        "title": "orders-api 5xx ratio above 5% on 10.2.3.5:8080",
                        "state": "resolved",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "alertmanager:label_set=44de6a731e5f787e",
                        "fingerprint_fields": [
                          "label_set"
                        ],
                        "labels": {
                          "alertname": "HighErrorRate",
                          "env": "prod",
                          "generator_url": "http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by%28instance%29%28rate%28http_requests_total%7Bjob%3D%22orders-api%22%2Ccode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1",
                          "instance": "10.2.3.5:8080",
                          "job": "orders-api",
                          "namespace": "shop",
                          "receiver": "rollcall",
                          "severity": "warning"
                        }
                      }
                    ]
                    """),
                row("grafana/webhook-firing.json", """
                    [
                      {
                        "event_id": "grafana:3f583391c6da1ae2fd215a24dd60e93f6a26742f3c0a2ae0483a5eaef94cb531",
                        "occurred_at": "2021-10-12T07:51:03.157Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "grafana",
                        "name": "High memory usage",
                        "title": "This alert was triggered for zone us-1",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "grafana:c6eadffa33fcdf37",
                        "fingerprint_fields": [
                          "alert_fingerprint"
                        ],
                        "labels": {
                          "alertname": "High memory usage",
                          "generator_url": "https://play.grafana.org/alerting/1afz29v7z/edit",
                          "receiver": "My Super Webhook",
                          "team": "blue",
                          "zone": "us-1"
                        }
                      },
                      {
                        "event_id": "grafana:de78db4591af43f192672d5a82379694e739aaea7b4db825476e64a8ed1043cd",
                        "occurred_at": "2021-10-12T07:56:03.157Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "grafana",
                        "name": "High CPU usage",
                        "title": "This alert was triggered for zone eu-1",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "grafana:bc97ff14869b13e3",
                        "fingerprint_fields": [
                          "alert_fingerprint"
                        ],
                        "labels": {
                          "alertname": "High CPU usage",
                          "generator_url": "https://play.grafana.org/alerting/d1rdpdv7k/edit",
                          "receiver": "My Super Webhook",
                          "team": "blue",
                          "zone": "eu-1"
                        }
                      }
                    ]
                    """),
                row("pagerduty/incident-acknowledged.json", """
                    [
                      {
                        "event_id": "pagerduty:01BZSN7YU3J7TCFK4W7V6GD3GD",
                        "occurred_at": "2020-10-02T18:49:02.441Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "pagerduty",
                        "service": "API Service",
                        "name": "A little bump in the road",
                        "title": "A little bump in the road",
                        "state": "info",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "pagerduty:PGR0VU2",
                        "fingerprint_fields": [
                          "incident_id"
                        ],
                        "labels": {
                          "agent": "Tenex Engineer",
                          "escalation_policy": "Default",
                          "event_type": "incident.acknowledged",
                          "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
                          "incident_id": "PGR0VU2",
                          "incident_key": "d3640fbd41094207a1c11e58e46b1662",
                          "incident_number": "2",
                          "priority": "P1",
                          "service_id": "PF9KMXH",
                          "status": "acknowledged",
                          "urgency": "high"
                        }
                      }
                    ]
                    """),
                row("pagerduty/incident-resolved-low-urgency.json", """
                    [
                      {
                        "event_id": "pagerduty:01BZSNB4EFDQRW3MKX5J1Q3D2F",
                        "occurred_at": "2020-10-02T19:12:55.950Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "pagerduty",
                        "service": "API Service",
                        "name": "A little bump in the road",
                        "title": "A little bump in the road",
                        "state": "resolved",
                        "severity": "low",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "pagerduty:PGR0VU2",
                        "fingerprint_fields": [
                          "incident_id"
                        ],
                        "labels": {
                          "agent": "Tenex Engineer",
                          "escalation_policy": "Default",
                          "event_type": "incident.resolved",
                          "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
                          "incident_id": "PGR0VU2",
                          "incident_key": "d3640fbd41094207a1c11e58e46b1662",
                          "incident_number": "2",
                          "service_id": "PF9KMXH",
                          "status": "resolved",
                          "urgency": "low"
                        }
                      }
                    ]
                    """),
                row("pagerduty/incident-triggered.json", """
                    [
                      {
                        "event_id": "pagerduty:5ac64822-4adc-4fda-ade0-410becf0de4f",
                        "occurred_at": "2020-10-02T18:45:22.169Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "pagerduty",
                        "service": "API Service",
                        "name": "A little bump in the road",
                        "title": "A little bump in the road",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "pagerduty:PGR0VU2",
                        "fingerprint_fields": [
                          "incident_id"
                        ],
                        "labels": {
                          "agent": "Tenex Engineer",
                          "escalation_policy": "Default",
                          "event_type": "incident.triggered",
                          "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
                          "incident_id": "PGR0VU2",
                          "incident_key": "d3640fbd41094207a1c11e58e46b1662",
                          "incident_number": "2",
                          "priority": "P1",
                          "service_id": "PF9KMXH",
                          "status": "triggered",
                          "urgency": "high"
                        }
                      }
                    ]
                    """),
                row("pagerduty/pagey-ping.json", """
                    [ ]
                    """)
        );
    }

    @Test
    void anAlertStormIsStoredInLinearNotQuadraticSpace() {
        ObjectNode group = (ObjectNode) AlertJson.readTree(Samples.bytes("alertmanager/webhook-firing-and-resolved.json"));
        JsonNode template = group.path("alerts").get(0);
        ArrayNode alerts = group.putArray("alerts");
        for (int i = 0; i < 1500; i++) {
            ObjectNode alert = template.deepCopy();
            ((ObjectNode) alert.path("labels")).put("instance", "10.0." + (i / 250) + "." + (i % 250));
            alert.put("fingerprint", String.format("%016x", i));
            alerts.add(alert);
        }
        byte[] body = AlertJson.toBytes(group);

        List<Alert> stored = Samples.UNCLASSIFIED.normalize(Samples.incoming(body, "alertmanager", Map.of()));

        assertThat(stored).hasSize(1500);
        long rawBytes = stored.stream().mapToLong(alert -> AlertJson.toBytes(alert.raw()).length).sum();
        // Each alert keeps the group's fields and its own entry: about the body's size in all, not 1500 copies of it.
        assertThat(rawBytes).isLessThan(3L * body.length);
        assertThat(stored.get(7).raw().path("alerts").get(0).path("fingerprint").asText()).isEqualTo(String.format("%016x", 7));
        assertThat(stored.get(7).raw().path("receiver")).isEqualTo(group.path("receiver"));
    }

    /** The group's receiver is every alert's label: a long one is cut once, not stored whole with each alert. */
    @Test
    void aLongReceiverIsCutOnceNotCopiedWholeIntoEveryAlert() {
        String receiver = "r".repeat(30_000);
        String body = "{\"receiver\": \"" + receiver + "\", \"status\": \"firing\", \"alerts\": ["
                + "{\"status\": \"firing\", \"startsAt\": \"2026-03-14T09:00:00Z\", \"labels\": {\"alertname\": \"A\"}},"
                + "{\"status\": \"firing\", \"startsAt\": \"2026-03-14T09:00:00Z\", \"labels\": {\"alertname\": \"B\"}}]}";

        List<Alert> stored = Samples.normalizeJson(body);

        assertThat(stored).hasSize(2).allSatisfy(alert ->
                assertThat(alert.labels().get("receiver")).isEqualTo(receiver.substring(0, FieldLimits.GROUP_LABEL_CHARS)));
    }

    /** Grafana's group {@code message} lists every alert: kept whole with each, a storm's documents grew quadratically. */
    @Test
    void aGrafanaStormKeepsItsGroupMessageCutNotWholeWithEveryAlert() {
        ObjectNode group = Samples.tree("grafana/webhook-firing.json");
        JsonNode template = group.path("alerts").get(0);
        ArrayNode alerts = group.putArray("alerts");
        StringBuilder message = new StringBuilder("**Firing**\n");
        for (int i = 0; i < 1500; i++) {
            ObjectNode alert = template.deepCopy();
            ((ObjectNode) alert.path("labels")).put("instance", "host-" + i);
            alert.put("fingerprint", String.format("%016x", i));
            alerts.add(alert);
            message.append("\nLabels:\n - alertname = High memory usage\n - instance = host-").append(i).append("\nSource: ")
                    .append(alert.path("generatorURL").asText()).append('\n');
        }
        group.put("message", message.toString()).put("title", "[FIRING:1500]  (blue)");
        byte[] body = AlertJson.toBytes(group);

        List<Alert> stored = Samples.UNCLASSIFIED.normalize(Samples.incoming(body, "grafana", Map.of()));

        assertThat(stored).hasSize(1500);
        long rawBytes = stored.stream().mapToLong(alert -> AlertJson.toBytes(alert.raw()).length).sum();
        assertThat(rawBytes).isLessThan(5L * body.length);
        JsonNode raw = stored.get(7).raw();
        assertThat(raw.path("alerts")).hasSize(1);
        assertThat(raw.path("alerts").get(0).path("labels").path("instance").asText()).isEqualTo("host-7");
        assertThat(raw.path("message").asText()).endsWith("…[cut from " + message.length() + " characters]");
        assertThat(raw.path("title").asText()).isEqualTo("[FIRING:1500]  (blue)");
    }

    /** A group of one alert is that alert's payload: kept whole, its long message too, as any single alert's is. */
    @Test
    void aGroupOfOneAlertKeepsItsPayloadWhole() {
        ObjectNode group = Samples.tree("grafana/webhook-firing.json");
        ((ArrayNode) group.path("alerts")).remove(1);
        group.put("message", "**Firing**\n" + "Value: B=92.5, C=1\n".repeat(500));

        List<Alert> stored = Samples.UNCLASSIFIED.normalize(Samples.incoming(AlertJson.toBytes(group), "grafana", Map.of()));

        assertThat(stored).singleElement().extracting(Alert::raw).isEqualTo(group);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void normalizesEveryFieldOfEachSample(String sample, String expected) {
        Samples.assertNormalizesTo(sample, null, Map.of(), expected);
    }

    @ParameterizedTest(name = "{0} with hint {1}")
    @CsvSource({
            "datadog/webhook-triggered.json, datadog",
            "datadog/webhook-default-payload-triggered.json, datadog",
            "datadog/webhook-default-payload-recovered.json, datadog",
            "alertmanager/webhook-firing-and-resolved.json, alertmanager",
            "alertmanager/webhook-firing-and-resolved.json, prometheus",
            "grafana/webhook-firing.json, grafana",
            "grafana/legacy-webhook-alerting.json, grafana",
            "pagerduty/incident-triggered.json, pagerduty"})
    void theHintAgreesWithTheShape(String sample, String hint) {
        assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(sample, hint, Map.of())))
                .isEqualTo(Samples.normalize(sample));
    }

    @Test
    void theHintDecidesBetweenAlertmanagerAndGrafana() {
        List<Alert> asAlertmanager = Samples.UNCLASSIFIED.normalize(Samples.incoming("grafana/webhook-firing.json", "alertmanager", Map.of()));
        assertThat(asAlertmanager).extracting(Alert::source).containsOnly("alertmanager");
        assertThat(asAlertmanager).extracting(Alert::fingerprint)
                .containsExactly("alertmanager:c6eadffa33fcdf37", "alertmanager:bc97ff14869b13e3");
    }

    /** Legacy Grafana titles carry the state ("[Alerting] x", "[OK] x"): the rule, not the title, pairs them. */
    @Test
    void aLegacyGrafanaRuleFiringAndBackToOkIsOneAlert() {
        Alert firing = Samples.UNCLASSIFIED.normalize(Samples.incoming("grafana/legacy-webhook-alerting.json", "grafana", Map.of())).get(0);
        Alert ok = Samples.UNCLASSIFIED.normalize(Samples.incoming("grafana/legacy-webhook-ok.json", "grafana", Map.of())).get(0);

        assertThat(List.of(firing.state(), ok.state())).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(ok.fingerprint()).isEqualTo(firing.fingerprint()).isEqualTo("grafana:rule_id=1/1");
        assertThat(ok.name()).isEqualTo(firing.name()).isEqualTo("Panel Title alert");
        assertThat(ok.eventId()).isNotEqualTo(firing.eventId());
    }

    /**
     * A legacy body has no id or time, and every OK of a rule is the same bytes: the second OK of the month must be an
     * event, not taken for a redelivery of the first, while a redelivery (the same first send) stays one document.
     */
    @Test
    void theSameLegacyGrafanaBodySentAgainIsAnotherEventButARedeliveryIsNot() {
        byte[] ok = Samples.bytes("grafana/legacy-webhook-ok.json");
        Instant firstSent = Instant.parse("2026-03-14T10:10:00Z");
        Instant secondSent = Instant.parse("2026-03-14T14:05:00Z");

        String first = legacyGrafanaEventId(ok, firstSent, firstSent);
        String redelivered = legacyGrafanaEventId(ok, firstSent.plusSeconds(300), firstSent);
        String second = legacyGrafanaEventId(ok, secondSent, secondSent);

        assertThat(redelivered).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
    }

    private static String legacyGrafanaEventId(byte[] body, Instant receivedAt, Instant sentAt) {
        return Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "grafana", Map.of(), IncomingEvent.Door.SQS, receivedAt, sentAt))
                .get(0).eventId();
    }

    @ParameterizedTest(name = "legacy state {0} is {1}")
    @CsvSource({"alerting, FIRING", "ok, RESOLVED", "no_data, INFO", "paused, INFO", "pending, INFO", "Alerting, FIRING"})
    void mapsLegacyGrafanaStates(String state, AlertState expected) {
        assertThat(GrafanaLegacyAlertNormalizer.state(state)).isEqualTo(expected);
    }

    /** Rule ids are numbered per organization; a rule without an id is known by its name. */
    @ParameterizedTest(name = "orgId {0}, ruleId {1}: {2}")
    @CsvSource(nullValues = "none", value = {
            "1, 1, grafana:rule_id=1/1", "2, 1, grafana:rule_id=2/1", "none, 1, grafana:rule_id=1",
            "1, none, grafana:rule_name=1/Panel Title alert", "none, none, grafana:rule_name=Panel Title alert"})
    void fingerprintsALegacyGrafanaRuleByOrgAndRule(String orgId, String ruleId, String expected) {
        ObjectNode body = Samples.tree("grafana/legacy-webhook-alerting.json");
        setOrRemove(body, "orgId", orgId);
        setOrRemove(body, "ruleId", ruleId);
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming(body.toString().getBytes(StandardCharsets.UTF_8), "grafana",
                Map.of())).get(0);
        assertThat(alert.fingerprint()).isEqualTo(expected);
    }

    private static void setOrRemove(ObjectNode node, String field, String value) {
        if (value == null) {
            node.remove(field);
        } else {
            node.put(field, Integer.parseInt(value));
        }
    }

    @Test
    void alertmanagerIdsHashFingerprintStartAndStatus() {
        List<Alert> alerts = Samples.normalize("alertmanager/webhook-firing-and-resolved.json");
        assertThat(alerts.get(0).eventId())
                .isEqualTo("alertmanager:" + ContentHash.sha256("b2f2a1c9d5e3f407", "2026-03-14T09:58:47.123456789Z", "firing"));
        String labelSet = ContentHash.sha256("alertname=\"HighErrorRate\",env=\"prod\",instance=\"10.2.3.5:8080\",job=\"orders-api\","
                + "namespace=\"shop\",severity=\"warning\",").substring(0, 16);
        assertThat(alerts.get(1).fingerprint()).isEqualTo("alertmanager:label_set=" + labelSet);
        assertThat(alerts.get(1).eventId())
                .isEqualTo("alertmanager:" + ContentHash.sha256(labelSet, "2026-03-14T09:41:17.000Z", "resolved"));
    }

    /** Hand-written imitations of the format capitalize what Alertmanager writes in lower case. */
    @ParameterizedTest(name = "status {0} is {1}")
    @CsvSource({"resolved, RESOLVED", "RESOLVED, RESOLVED", "Resolved, RESOLVED", "firing, FIRING", "FIRING, FIRING"})
    void readsAlertmanagerStatusesWhateverTheirCase(String status, AlertState expected) {
        String payload = """
                {"receiver": "r", "alerts": [{"status": "%s", "startsAt": "2026-03-14T09:00:00Z", "endsAt": "2026-03-14T09:30:00Z",
                 "fingerprint": "f1", "labels": {"alertname": "A"}}]}""".formatted(status);
        Alert alert = Samples.normalizeJson(payload).get(0);
        assertThat(alert.state()).isEqualTo(expected);
        String lowerCase = status.toLowerCase(java.util.Locale.ROOT);
        assertThat(alert.eventId()).as("the same event as Alertmanager's own")
                .isEqualTo("alertmanager:" + ContentHash.sha256("f1", "2026-03-14T09:00:00Z", lowerCase));
    }

    /**
     * A group that breaks the format is refused at the webhook's door with what is wrong, and fails as malformed on
     * any other way in: read, each case would be a firing page named "Prometheus alert" or a resolution read as a page.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"receiver\":\"x\",\"alerts\":[{\"labels\":{\"alertname\":\"A\"}}, null]}|alerts[1] must be an object, got null",
            "{\"receiver\":\"x\",\"alerts\":[1]}|alerts[0] must be an object, got a number",
            "{\"receiver\":\"x\",\"alerts\":[{\"labels\":\"x\"}]}|alerts[0].labels must be an object of strings, got a string",
            "{\"receiver\":\"x\",\"alerts\":[{\"labels\":{\"alertname\":[\"a\",\"b\"]}}]}|alerts[0].labels.alertname must be a string, got an array",
            "{\"receiver\":\"x\",\"alerts\":[{\"status\":\"bogus\",\"labels\":{}}]}|alerts[0].status must be \"firing\" or \"resolved\", got 'bogus'",
            "{\"receiver\":\"x\",\"alerts\":[{\"status\":5,\"labels\":{}}]}|alerts[0].status must be \"firing\" or \"resolved\", got a number",
            "{\"receiver\":\"x\",\"status\":\"ok\",\"alerts\":[]}|status must be \"firing\" or \"resolved\", got 'ok'"})
    void aGroupBreakingAlertmanagersFormatIsRefusedSayingWhere(String body, String problem) {
        assertThat(doorsMalformation(body, "alertmanager")).contains(problem);
        assertThat(doorsMalformation(body, "grafana")).contains(problem);
        // In the envelopes a body is read through: JSON written as a string, and an SNS notification delivered by HTTP.
        assertThat(doorsMalformation(AlertJson.toJson(body), "alertmanager")).contains(problem);
        String sns = "{\"Type\":\"Notification\",\"MessageId\":\"m1\",\"TopicArn\":\"arn:aws:sns:eu-west-1:123456789012:alerts\","
                + "\"Message\":" + AlertJson.toJson(body) + ",\"Timestamp\":\"2026-03-14T09:00:00.000Z\"}";
        assertThat(doorsMalformation(sns, "alertmanager")).contains(problem);
        assertThatThrownBy(() -> Samples.normalizeJson(body)).isInstanceOf(IllegalArgumentException.class).hasMessage(problem);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "42|alertmanager|body must be a JSON object, got a number",
            "null|custom|body must be a JSON object, got null",
            "\"text\"|datadog|body must be a JSON object, got a string",
            // JSON written as a string is read as the JSON it holds.
            "\"{\\\"receiver\\\":\\\"x\\\",\\\"alerts\\\":[]}\"|alertmanager|none",
            "[1, 2]|custom|none",
            "{}|alertmanager|none",
            // An EventBridge-shaped body is one (custom) alert through a webhook, whatever alerts array it also holds.
            "{\"source\": \"my.app\", \"detail-type\": \"x\", \"receiver\": \"r\", \"alerts\": [1]}|alertmanager|none",
            // Another source's body with an alerts array is one custom alert, whatever its entries.
            "{\"alerts\": [1]}|datadog|none"})
    void aWebhookBodyMustBeAJsonObjectOrArray(String body, String source, String problem) {
        assertThat(doorsMalformation(body, source)).isEqualTo(java.util.Optional.ofNullable(problem));
    }

    /** The door's check of {@code body} as the webhook function makes it. */
    private static java.util.Optional<String> doorsMalformation(String body, String source) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return EventNormalizer.webhookBodyMalformation(bytes, AlertJson.readPayload(bytes), source);
    }

    /** The door's check refuses no published sample, each on its own source's path. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"alertmanager/webhook-firing-and-resolved.json, alertmanager", "alertmanager/webhook-firing-and-resolved.json, prometheus",
            "grafana/webhook-firing.json, grafana", "grafana/legacy-webhook-alerting.json, grafana", "grafana/legacy-webhook-ok.json, grafana",
            "datadog/webhook-triggered.json, datadog", "pagerduty/incident-triggered.json, pagerduty", "custom/application-event.json, custom"})
    void everyPublishedSamplePassesTheDoorsCheck(String sample, String source) {
        assertThat(doorsMalformation(new String(Samples.bytes(sample), StandardCharsets.UTF_8), source)).isEmpty();
    }

    @Test
    void theLabelSetHashDoesNotDependOnLabelOrder() {
        String firstOrder = """
                {"receiver": "r", "status": "firing", "alerts": [{"status": "firing", "startsAt": "2026-03-14T09:00:00Z",
                 "labels": {"alertname": "A", "job": "j", "instance": "i"}}]}""";
        String otherOrder = """
                {"receiver": "r", "status": "firing", "alerts": [{"status": "firing", "startsAt": "2026-03-14T09:00:00Z",
                 "labels": {"instance": "i", "job": "j", "alertname": "A"}}]}""";
        Alert first = Samples.normalizeJson(firstOrder).get(0);
        Alert other = Samples.normalizeJson(otherOrder).get(0);
        assertThat(other.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(other.eventId()).isEqualTo(first.eventId());
        assertThat(first.service()).isEqualTo("j");
        assertThat(first.fingerprintFields()).containsExactly("label_set");
    }

    @ParameterizedTest(name = "severity label {0} is {1}")
    @CsvSource(nullValues = "none", value = {"critical, CRITICAL", "page, CRITICAL", "error, HIGH", "warning, MEDIUM",
            "info, INFO", "none, HIGH"})
    void mapsAlertmanagerSeverityLabels(String label, Severity expected) {
        String payload = """
                {"receiver": "r", "status": "firing", "alerts": [{"status": "firing", "startsAt": "2026-03-14T09:00:00Z",
                 "labels": {"alertname": "A"%s}}]}""".formatted(label == null ? "" : ", \"severity\": \"" + label + "\"");
        assertThat(Samples.normalizeJson(payload).get(0).severity()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "transition {0} / type {1} is {2}")
    @CsvSource(nullValues = "none", value = {"Triggered, error, FIRING", "Re-Triggered, error, FIRING", "Warn, warning, FIRING",
            "Recovered, success, RESOLVED", "No Data, error, INFO", "none, error, FIRING", "none, success, RESOLVED",
            "none, info, INFO", "Re-No Data, none, INFO", "Re-Warn, none, FIRING", "Renotify, none, FIRING",
            "Re-Triggered, none, FIRING", "Recovered, none, RESOLVED"})
    void mapsDatadogTransitions(String transition, String alertType, AlertState expected) {
        assertThat(DatadogNormalizer.state(transition, alertType)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "priority {0} / transition {1} / type {2} is {3}")
    @CsvSource(nullValues = "none", value = {"P1, Triggered, error, CRITICAL", "P2, Triggered, error, HIGH",
            "P3, Triggered, error, MEDIUM", "P4, Triggered, error, LOW", "P5, Triggered, error, INFO",
            "none, Warn, warning, MEDIUM", "none, Triggered, error, HIGH", "normal, none, error, HIGH",
            "low, none, error, HIGH", "none, Recovered, success, INFO", "none, Re-Warn, none, MEDIUM",
            "none, Re-Triggered, none, HIGH",
            // A warning crossed the warning threshold of a P1 monitor: not a critical page, at most medium.
            "P1, Warn, warning, MEDIUM", "P2, Re-Warn, none, MEDIUM", "P1, none, warning, MEDIUM", "P4, Warn, warning, LOW",
            "P1, none, error, CRITICAL", "p1, Triggered, error, CRITICAL", "p5, Triggered, error, INFO"})
    void mapsDatadogSeverity(String priority, String transition, String alertType, Severity expected) {
        assertThat(DatadogNormalizer.severity(priority, transition, alertType)).isEqualTo(expected);
    }

    /**
     * The webhook integration's default payload has no {@code alert_transition}, {@code alert_type} or priority: the
     * title's bracketed prefixes say them, after an optional priority ({@code [P1] [Recovered on {host:a}] ...}).
     */
    @ParameterizedTest(name = "{0}: {1}, {2}")
    @CsvSource(delimiter = '|', value = {
            "[Triggered on {host:i-0a1}] checkout p99 latency is high      | FIRING   | HIGH",
            "[Recovered on {host:i-0a1}] checkout p99 latency is high      | RESOLVED | HIGH",
            "[P1] [Recovered on {host:i-0a1}] checkout p99 latency is high | RESOLVED | CRITICAL",
            "[P4] [Triggered on {host:i-0a1}] checkout p99 latency is high | FIRING   | LOW",
            "[Re-Triggered on {host:i-0a1}] checkout p99 latency is high   | FIRING   | HIGH",
            "[Warn on {host:i-0a1}] checkout p99 latency is high           | FIRING   | MEDIUM",
            "[Re-Warn on {host:i-0a1}] checkout p99 latency is high        | FIRING   | MEDIUM",
            "[No Data on {host:i-0a1}] checkout p99 latency is high        | INFO     | HIGH",
            "[Re-No Data on {host:i-0a1}] checkout p99 latency is high     | INFO     | HIGH",
            "[Renotify] checkout p99 latency is high                       | FIRING   | HIGH",
            "[Recovered] checkout p99 latency is high                      | RESOLVED | HIGH",
            "[P2] [staging] checkout p99 latency is high                   | FIRING   | HIGH",
            "[Triggered] [prod] checkout p99 latency is high               | FIRING   | HIGH",
            "checkout p99 latency is high                                  | FIRING   | HIGH"})
    void readsTheTransitionAndPriorityOfTheDefaultPayloadFromItsTitle(String title, AlertState state, Severity severity) {
        ObjectNode payload = Samples.tree("datadog/webhook-default-payload-triggered.json").put("title", title);
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming(payload.toString().getBytes(StandardCharsets.UTF_8),
                "datadog", Map.of())).get(0);
        assertThat(alert.state()).isEqualTo(state);
        assertThat(alert.severity()).isEqualTo(severity);
        // Datadog's own prefixes go; a bracket of the monitor's name ([staging], [prod]) stays in it.
        String ownBracket = title.contains("[staging]") ? "[staging] " : title.contains("[prod]") ? "[prod] " : "";
        assertThat(alert.name()).isEqualTo(ownBracket + "checkout p99 latency is high");
    }

    /** prod's and staging's monitors of one name are two alerts: staging's recovery does not end prod's page. */
    @Test
    void bracketsOfAMonitorsOwnNameKeepItsAlertsApart() {
        Alert prod = Samples.normalizeJson(Samples.tree("datadog/webhook-default-payload-triggered.json")
                .put("title", "[P1] [Triggered] [prod] Checkout 5xx rate high").toString()).get(0);
        Alert staging = Samples.normalizeJson(Samples.tree("datadog/webhook-default-payload-recovered.json")
                .put("title", "[P3] [Recovered] [staging] Checkout 5xx rate high").toString()).get(0);
        assertThat(prod.name()).isEqualTo("[prod] Checkout 5xx rate high");
        assertThat(staging.name()).isEqualTo("[staging] Checkout 5xx rate high");
        assertThat(staging.fingerprint()).isNotEqualTo(prod.fingerprint());
    }

    @Test
    void aDefaultPayloadRecoveryEndsWhatItsTriggerStarted() {
        Alert triggered = Samples.normalize("datadog/webhook-default-payload-triggered.json").get(0);
        Alert recovered = Samples.normalize("datadog/webhook-default-payload-recovered.json").get(0);
        assertThat(triggered.state()).isEqualTo(AlertState.FIRING);
        assertThat(recovered.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(recovered.fingerprint()).isEqualTo(triggered.fingerprint());
        ObjectNode otherHost = Samples.tree("datadog/webhook-default-payload-recovered.json")
                .put("title", "[P1] [Recovered on {host:i-0ffff}] checkout p99 latency is high");
        assertThat(Samples.normalizeJson(otherHost.toString()).get(0).fingerprint()).isNotEqualTo(triggered.fingerprint());
    }

    /** Payload fields win over the title: a user's template that sends {@code alert_transition} is read as before. */
    @Test
    void theTransitionFieldWinsOverTheTitle() {
        ObjectNode payload = Samples.tree("datadog/webhook-triggered.json")
                .put("title", "[P2] [Recovered on {host:i-0a1b2c3d4e5f67890}] checkout p99 latency is high");
        assertThat(Samples.normalizeJson(payload.toString()).get(0).state()).isEqualTo(AlertState.FIRING);
    }

    /** A template that sends the transition but not {@code $ALERT_SCOPE}: each group of the monitor is an alert of its own. */
    @Test
    void aTemplateWithoutAScopeFieldTakesEachGroupsScopeFromTheTitle() {
        ObjectNode hostA = Samples.tree("datadog/webhook-triggered.json");
        hostA.remove("alert_scope");
        ObjectNode hostB = hostA.deepCopy().put("id", "5244845437451297459")
                .put("title", "[P2] [Triggered on {host:i-0bbbbbbbbbbbbbbbb}] checkout p99 latency is high");
        ObjectNode recoveredA = Samples.tree("datadog/webhook-recovered.json");
        recoveredA.remove("alert_scope");
        Alert firingA = Samples.normalizeJson(hostA.toString()).get(0);
        Alert firingB = Samples.normalizeJson(hostB.toString()).get(0);
        Alert resolvedA = Samples.normalizeJson(recoveredA.toString()).get(0);
        assertThat(firingA.fingerprint()).isEqualTo("datadog:81235|host:i-0a1b2c3d4e5f67890").isNotEqualTo(firingB.fingerprint());
        assertThat(resolvedA.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolvedA.fingerprint()).isEqualTo(firingA.fingerprint());
        // The transition field still decides the state, whatever the title says.
        assertThat(firingB.state()).isEqualTo(AlertState.FIRING);
    }

    /**
     * A template without {@code $ID}: Datadog sending one notification again (its first answer lost) is one event when
     * the template sends a time, which each notification changes; without one the arrival time must tell them apart.
     */
    @Test
    void aTemplateWithoutAnIdIsOneEventAcrossRetriesWhenItSendsATime() {
        ObjectNode dated = Samples.tree("datadog/webhook-triggered.json");
        dated.remove("id");
        ObjectNode undated = dated.deepCopy();
        undated.remove(List.of("date", "last_updated"));
        for (ObjectNode payload : List.of(dated, undated)) {
            byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
            String first = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "datadog", Map.of(), IncomingEvent.Door.WEBHOOK,
                    Samples.RECEIVED, Samples.RECEIVED)).get(0).eventId();
            String retried = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "datadog", Map.of(), IncomingEvent.Door.WEBHOOK,
                    Samples.RECEIVED.plusSeconds(20), Samples.RECEIVED.plusSeconds(20))).get(0).eventId();
            if (payload == dated) {
                assertThat(retried).isEqualTo(first);
            } else {
                assertThat(retried).isNotEqualTo(first);
            }
        }
        // A later notification of the monitor carries a later $DATE: another event.
        ObjectNode renotified = dated.deepCopy().put("date", "1773484000000").put("last_updated", "1773484000000");
        assertThat(Samples.normalizeJson(renotified.toString()).get(0).eventId())
                .isNotEqualTo(Samples.normalizeJson(dated.toString()).get(0).eventId());
    }

    @Test
    void keepsDatadogIdsBeyondTwoToTheFiftyThirdExact() {
        // 5244845437451297458 as a JSON number: through a double it would become 5244845437451297792.
        assertThat(Samples.normalize("datadog/webhook-triggered.json").get(0).eventId()).isEqualTo("datadog:5244845437451297458");
        String beyondLong = "{\"id\": 123456789012345678901234567890, \"alert_transition\": \"Triggered\", \"title\": \"t\"}";
        assertThat(Samples.normalizeJson(beyondLong).get(0).eventId()).isEqualTo("datadog:123456789012345678901234567890");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"incident.triggered, FIRING", "incident.reopened, FIRING", "incident.acknowledged, INFO",
            "incident.escalated, INFO", "incident.annotated, INFO", "incident.resolved, RESOLVED"})
    void mapsPagerDutyEventTypes(String eventType, AlertState expected) {
        assertThat(PagerDutyWebhookNormalizer.state(eventType)).isEqualTo(expected);
    }

    /** Off its path (a queue message) a PagerDuty v3 event is told by its event_type with either resource_type or occurred_at. */
    @ParameterizedTest(name = "without {0}: {1}")
    @CsvSource({"none, pagerduty", "resource_type, pagerduty", "occurred_at, pagerduty", "'resource_type, occurred_at', custom"})
    void tellsAPagerDutyEventByItsTypeAndResourceOrTime(String removed, String source) {
        ObjectNode body = Samples.tree("pagerduty/incident-triggered.json");
        ((ObjectNode) body.path("event")).remove(List.of(removed.split(", ")));
        byte[] bytes = AlertJson.toBytes(body);
        List<Alert> alerts = Samples.UNCLASSIFIED.normalize(new IncomingEvent(bytes, null, Map.of(), IncomingEvent.Door.SQS, Samples.RECEIVED));
        assertThat(alerts).extracting(Alert::source).containsExactly(source);
    }

    /** Without its path, the legacy Grafana webhook is told by a rule (its id or its name) and a state. */
    @ParameterizedTest(name = "without {0}: {1}")
    @CsvSource({"none, grafana", "ruleId, grafana", "ruleName, grafana", "'ruleId, ruleName', custom", "state, custom"})
    void tellsALegacyGrafanaAlertByItsRuleAndState(String removed, String source) {
        ObjectNode body = Samples.tree("grafana/legacy-webhook-alerting.json");
        body.remove(List.of(removed.split(", ")));
        assertThat(Samples.normalizeJson(body.toString())).extracting(Alert::source).containsExactly(source);
    }

    @Test
    void pagerDutyEventsAboutOtherResourcesAreNoAlerts() {
        ObjectNode body = Samples.tree("pagerduty/incident-triggered.json");
        ((ObjectNode) body.path("event")).put("event_type", "service.updated").put("resource_type", "service");
        assertThat(Samples.normalizeJson(body.toString())).isEmpty();
    }

    /** What came through /v1/events/{source}, as the webhook function queues it. */
    private static List<Alert> throughWebhook(byte[] body, String source, Map<String, String> headers) {
        return Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, source, headers, IncomingEvent.Door.WEBHOOK,
                Samples.RECEIVED, Samples.RECEIVED.minusSeconds(1)));
    }

    /** Through a shared webhook token anyone could otherwise make findings and pages of any account. */
    @Test
    void anAwsServicesEventThroughAWebhookIsKeptAsCustomNotBelieved() {
        byte[] finding = Samples.bytes("guardduty/finding-port-probe.json");
        Alert believed = Samples.UNCLASSIFIED.normalize(new IncomingEvent(finding, null, Map.of(), IncomingEvent.Door.SQS,
                Samples.RECEIVED)).get(0);
        assertThat(believed.source()).isEqualTo("guardduty");

        for (String source : List.of("custom", "guardduty", "alertmanager")) {
            List<Alert> kept = throughWebhook(finding, source, Map.of());
            assertThat(kept).singleElement().satisfies(alert -> {
                assertThat(alert.source()).isEqualTo("custom");
                assertThat(alert.labels()).containsEntry("event_source", "aws.guardduty").containsEntry("source_hint", source);
                assertThat(alert.eventId()).isNotEqualTo(believed.eventId());
            });
        }
        // Nor wrapped in an SNS notification, which webhooks unwrap.
        ObjectNode sns = AlertJson.mapper().createObjectNode().put("Type", "Notification").put("MessageId", "m-1")
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:t").put("Message", new String(finding, StandardCharsets.UTF_8));
        assertThat(throughWebhook(AlertJson.toBytes(sns), "custom", Map.of())).singleElement()
                .extracting(Alert::source).isEqualTo("custom");
    }

    /**
     * Stored create-only by id: a webhook body carrying the id a real event of another source will have (an ECS task's
     * is a hash of its ARN and version) would make that event a duplicate, dropped. Its id is kept in custom's and its
     * path's namespace, whatever its EventBridge source says.
     */
    @Test
    void anEventBridgeShapedWebhookBodyCannotTakeTheIdOfAnotherSourcesEvent() {
        Alert real = Samples.UNCLASSIFIED.normalize(new IncomingEvent(Samples.bytes("ecs/task-stopped-essential-container-exited.json"),
                null, Map.of(), IncomingEvent.Door.SQS, Samples.RECEIVED)).get(0);
        assertThat(real.source()).isEqualTo("ecs");
        for (String eventSource : List.of("aws.ecs", "my.app")) {
            ObjectNode forged = AlertJson.mapper().createObjectNode().put("version", "0").put("id", real.eventId())
                    .put("source", eventSource).put("detail-type", "Whatever").put("account", "111122223333")
                    .put("time", real.occurredAt().toString());
            forged.putObject("detail");
            Alert stored = throughWebhook(AlertJson.toBytes(forged), "alertmanager", Map.of()).get(0);
            assertThat(stored.source()).isEqualTo("custom");
            assertThat(stored.eventId()).as("through the webhook with source %s", eventSource)
                    .isEqualTo("custom:alertmanager:eventbridge:" + real.eventId());
            // The same body from a producer is believed, id and all, as the queue's policy trusts it.
            Alert produced = Samples.UNCLASSIFIED.normalize(new IncomingEvent(AlertJson.toBytes(forged), null, Map.of(), IncomingEvent.Door.SQS,
                    Samples.RECEIVED)).get(0);
            assertThat(produced.eventId()).isEqualTo(real.eventId());
        }
    }

    @ParameterizedTest(name = "{0} on /v1/events/{1}: {2}")
    @CsvSource(textBlock = """
            sentry/issue-created.json,       sentry,    sentry
            sentry/issue-created.json,       datadog-x, custom
            pagerduty/incident-triggered.json, pagerduty, pagerduty
            pagerduty/incident-triggered.json, custom,    custom
            alertmanager/webhook-firing-and-resolved.json, team-a, alertmanager
            """)
    void aSignedSourcesShapeCountsAsItsOwnOnlyOnItsOwnPath(String sample, String path, String stored) {
        // Sentry's resource header is forwarded for every path: it must not make another path's body Sentry's either.
        List<Alert> alerts = throughWebhook(Samples.bytes(sample), path, Map.of("Sentry-Hook-Resource", "issue"));
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> assertThat(alert.source()).isEqualTo(stored));
    }

    /** Webhook messages were normalized as the SQS door's before: an id-less body keeps the id it had. */
    @Test
    void anIdlessWebhookBodyIsKnownByItsDeliveryAsThroughSqs() {
        byte[] body = Samples.bytes("grafana/legacy-webhook-ok.json");
        Instant sent = Samples.RECEIVED.minusSeconds(30);
        Alert viaWebhook = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "grafana", Map.of(), IncomingEvent.Door.WEBHOOK,
                Samples.RECEIVED, sent)).get(0);
        Alert viaSqs = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "grafana", Map.of(), IncomingEvent.Door.SQS,
                Samples.RECEIVED, sent)).get(0);
        assertThat(viaWebhook.eventId()).isEqualTo(viaSqs.eventId());
    }

    @ParameterizedTest(name = "labels {0}: account {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "account":"111111111111"                                  | 111111111111
            "account_id":"222222222222"                               | 222222222222
            "aws_account_id":"333333333333"                           | 333333333333
            "aws_account_id":"333333333333","account":"111111111111" | 111111111111
            "team":"payments"                                         |
            """)
    void anAlertmanagerAlertsAccountComesFromItsLabels(String labels, String account) {
        byte[] body = ("{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Demo\"," + labels + "}}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(throughWebhook(body, "alertmanager", Map.of())).singleElement().extracting(Alert::account).isEqualTo(account);
    }

    /**
     * Datadog's payload is the integration's template, so its path reads any body with a field it knows; one with none
     * would have been a firing of urgency high, a page out of nothing. It is a custom event, kept as every body is.
     */
    @Test
    void aBodyWithNoFieldDatadogsReaderKnowsIsCustomOnItsPath() {
        Alert junk = throughWebhook("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8), "datadog", Map.of()).get(0);
        assertThat(junk.source()).isEqualTo("custom");
        assertThat(junk.state()).isEqualTo(AlertState.INFO);
        assertThat(junk.labels()).containsEntry("source_hint", "datadog");
        Alert templated = throughWebhook("{\"title\":\"[Triggered] CPU high on web\"}".getBytes(StandardCharsets.UTF_8), "datadog", Map.of()).get(0);
        assertThat(templated.source()).isEqualTo("datadog");
        assertThat(templated.state()).isEqualTo(AlertState.FIRING);
    }

    /**
     * Without a path naming it (an SQS or EventBridge delivery) a body is Datadog's by a field only Datadog's webhook
     * variables produce, or by {@code alert_id} and {@code alert_type} together; either alone is any producer's. A
     * Datadog body without a title is named by its monitor.
     */
    @ParameterizedTest(name = "{0}: {1}, {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"alert_transition":"Triggered","title":"CPU high"}      | datadog | CPU high
            {"alert_cycle_key":"7","title":"CPU high"}                | datadog | CPU high
            {"aggreg_key":"7","title":"CPU high"}                     | datadog | CPU high
            {"alert_id":"42","alert_type":"error","title":"CPU high"} | datadog | CPU high
            {"alert_id":"42","alert_type":"error"}                    | datadog | Datadog monitor 42
            {"alert_transition":"Triggered"}                          | datadog | datadog event
            {"alert_id":"42","title":"CPU high"}                      | custom  | CPU high
            {"alert_type":"error","title":"CPU high"}                 | custom  | CPU high
            """)
    void withoutItsPathABodyIsDatadogsOnlyByFieldsDatadogAloneSends(String body, String source, String name) {
        Alert alert = Samples.normalizeJson(body).get(0);
        assertThat(alert.source()).isEqualTo(source);
        assertThat(alert.name()).isEqualTo(name);
    }

    /** A test alert written by hand has alerts with labels but none of the group fields Alertmanager always sends. */
    @Test
    void aHandWrittenAlertOnTheAlertmanagerPathIsAlertmanagers() {
        byte[] body = "{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Demo\",\"service\":\"checkout\"}}]}"
                .getBytes(StandardCharsets.UTF_8);
        Alert onItsPath = throughWebhook(body, "alertmanager", Map.of()).get(0);
        assertThat(onItsPath.source()).isEqualTo("alertmanager");
        assertThat(onItsPath.name()).isEqualTo("Demo");
        assertThat(onItsPath.service()).isEqualTo("checkout");
        assertThat(onItsPath.state()).isEqualTo(AlertState.FIRING);
        // Elsewhere the group fields still decide: a custom producer's {"alerts":[...]} is not taken for Alertmanager's.
        assertThat(throughWebhook(body, "my-tool", Map.of()).get(0).source()).isEqualTo("custom");
    }

    /** Every shape of a CloudWatch alarm a webhook could carry is kept as custom: a token does not speak for AWS. */
    @ParameterizedTest
    @ValueSource(strings = {"cloudwatch/lambda-action-metric-alarm.json", "cloudwatch/http-sns-notification-eu-ireland.json",
            "cloudwatch/raw-http-alarm-message.json", "cloudwatch/eventbridge-single-metric-alarm.json"})
    void noCloudWatchAlarmShapeThroughAWebhookIsBelieved(String sample) {
        byte[] body = Samples.bytes(sample);
        assertThat(Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, null, Map.of(), IncomingEvent.Door.SQS, Samples.RECEIVED)))
                .as("the same body from a producer IAM lets send").isNotEmpty().allSatisfy(alert -> assertThat(alert.source()).isEqualTo("cloudwatch"));
        assertThat(throughWebhook(body, "cloudwatch", Map.of())).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.source()).isEqualTo("custom"));
    }

    /** A webhook's path names its source: an SQS record inside its body cannot name Sentry, whose signature it never had. */
    @Test
    void anSqsRecordInsideAWebhookBodyCannotRenameItsSource() {
        ObjectNode record = AlertJson.mapper().createObjectNode().put("messageId", "1")
                .put("body", new String(Samples.bytes("sentry/issue-created.json"), StandardCharsets.UTF_8));
        record.putObject("messageAttributes").putObject("rollcall-source").put("stringValue", "sentry").put("dataType", "String");
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.putArray("Records").add(record);
        assertThat(throughWebhook(AlertJson.toBytes(body), "custom", Map.of())).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.source()).isEqualTo("custom"));
        assertThat(Samples.UNCLASSIFIED.normalize(new IncomingEvent(AlertJson.toBytes(body), null, Map.of(), IncomingEvent.Door.SQS,
                Samples.RECEIVED))).as("from a producer IAM lets send, the attribute names it").isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.source()).isEqualTo("sentry"));
    }

    /** An aws.* event without an id through a webhook is known by its delivery, like any id-less body, and stored. */
    @Test
    void anIdlessAwsEventThroughAWebhookIsKeptWithTheIdOfItsDelivery() {
        byte[] body = "{\"source\":\"aws.x\",\"detail-type\":\"y\",\"detail\":{}}".getBytes(StandardCharsets.UTF_8);
        Alert first = throughWebhook(body, "custom", Map.of()).get(0);
        Alert redelivered = throughWebhook(body, "custom", Map.of()).get(0);
        Alert sentAgain = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "custom", Map.of(), IncomingEvent.Door.WEBHOOK,
                Samples.RECEIVED, Samples.RECEIVED.minusSeconds(60))).get(0);
        assertThat(first.source()).isEqualTo("custom");
        assertThat(first.eventId()).isNotNull().isEqualTo(redelivered.eventId()).isNotEqualTo(sentAgain.eventId());
    }

    /** Without startsAt (written by hand), a second send is another event, while a redelivery stays one. */
    @Test
    void aHandWrittenAlertmanagerAlertSentTwiceIsTwoEvents() {
        byte[] body = "{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Demo\"}}]}"
                .getBytes(StandardCharsets.UTF_8);
        Alert first = throughWebhook(body, "alertmanager", Map.of()).get(0);
        Alert redelivered = throughWebhook(body, "alertmanager", Map.of()).get(0);
        Alert sentAgain = Samples.UNCLASSIFIED.normalize(new IncomingEvent(body, "alertmanager", Map.of(), IncomingEvent.Door.WEBHOOK,
                Samples.RECEIVED, Samples.RECEIVED.minusSeconds(60))).get(0);
        assertThat(first.eventId()).isEqualTo(redelivered.eventId()).isNotEqualTo(sentAgain.eventId());
    }
}
