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

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

class SentryWebhookNormalizerTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                row("sentry/issue-alert-triggered.json", """
                    [
                      {
                        "event_id": "sentry:event_alert:e4874d664c3540c1a32eab185f12c5ab:firing:2cd17d1e753da8cc",
                        "occurred_at": "2019-08-19T21:06:17.677Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "sentry",
                        "service": "front-end",
                        "name": "ReferenceError: heck is not defined",
                        "title": "Very Important Alert Rule!: ReferenceError: heck is not defined",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "sentry:1117540176",
                        "fingerprint_fields": [
                          "issue_id"
                        ],
                        "labels": {
                          "browser": "Chrome 75.0.3770",
                          "browser.name": "Chrome",
                          "handled": "no",
                          "issue_id": "1117540176",
                          "level": "error",
                          "mechanism": "onerror",
                          "organization": "test-org",
                          "os": "Mac OS X 10.14.0",
                          "os.name": "Mac OS X",
                          "platform": "javascript",
                          "project": "front-end",
                          "rule": "Very Important Alert Rule!",
                          "url": "https://null.jsbin.com/runner",
                          "user": "ip:162.217.75.90",
                          "web_url": "https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/"
                        }
                      }
                    ]
                    """),
                row("sentry/issue-created.json", """
                    [
                      {
                        "event_id": "sentry:issue:1170820242:created:f1c82efe7505d156",
                        "occurred_at": "2019-08-19T20:58:37.391Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "sentry",
                        "service": "front-end",
                        "name": "ReferenceError: blooopy is not defined",
                        "title": "FRONT-END-9: ReferenceError: blooopy is not defined",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "sentry:1170820242",
                        "fingerprint_fields": [
                          "issue_id"
                        ],
                        "labels": {
                          "action": "created",
                          "culprit": "?(runner)",
                          "issue_id": "1170820242",
                          "level": "error",
                          "platform": "javascript",
                          "project": "front-end",
                          "short_id": "FRONT-END-9",
                          "status": "unresolved",
                          "substatus": "escalating"
                        }
                      }
                    ]
                    """),
                row("sentry/issue-resolved.json", """
                    [
                      {
                        "event_id": "sentry:issue:1170820242:resolved:691b808ae2367194",
                        "occurred_at": "2026-03-14T12:00:00Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "sentry",
                        "service": "front-end",
                        "name": "ReferenceError: blooopy is not defined",
                        "title": "FRONT-END-9: ReferenceError: blooopy is not defined",
                        "state": "resolved",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "sentry:1170820242",
                        "fingerprint_fields": [
                          "issue_id"
                        ],
                        "labels": {
                          "action": "resolved",
                          "culprit": "?(runner)",
                          "issue_id": "1170820242",
                          "level": "error",
                          "platform": "javascript",
                          "project": "front-end",
                          "short_id": "FRONT-END-9",
                          "status": "resolved"
                        }
                      }
                    ]
                    """),
                row("sentry/metric-alert-critical.json", """
                    [
                      {
                        "event_id": "sentry:metric_alert:4:critical:ba2198d0d625824b",
                        "occurred_at": "2020-09-13T12:25:40Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "sentry",
                        "environment": "production",
                        "service": "bar",
                        "name": "Too many errors",
                        "title": "Critical: Too many errors",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "sentry:alert_rule_id=7",
                        "fingerprint_fields": [
                          "alert_rule_id"
                        ],
                        "labels": {
                          "action": "critical",
                          "aggregate": "count()",
                          "alert_rule_id": "7",
                          "incident_id": "4",
                          "incident_identifier": "1",
                          "project": "bar",
                          "query": "level:error",
                          "web_url": "https://sentry.io/organizations/baz/alerts/1/"
                        }
                      }
                    ]
                    """),
                row("sentry/metric-alert-resolved.json", """
                    [
                      {
                        "event_id": "sentry:metric_alert:4:resolved:367664d813f52f53",
                        "occurred_at": "2026-03-14T12:00:00Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "sentry",
                        "service": "bar",
                        "name": "Too many errors",
                        "title": "Resolved: Too many errors",
                        "state": "resolved",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "sentry:alert_rule_id=7",
                        "fingerprint_fields": [
                          "alert_rule_id"
                        ],
                        "labels": {
                          "action": "resolved",
                          "aggregate": "count()",
                          "alert_rule_id": "7",
                          "incident_id": "4",
                          "incident_identifier": "1",
                          "project": "bar",
                          "query": "level:error",
                          "web_url": "https://sentry.io/organizations/baz/alerts/1/"
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

    @ParameterizedTest(name = "{0} with its header")
    @CsvSource({
            "sentry/issue-alert-triggered.json, event_alert",
            "sentry/metric-alert-critical.json, metric_alert",
            "sentry/metric-alert-resolved.json, metric_alert",
            "sentry/issue-created.json, issue",
            "sentry/issue-resolved.json, issue"})
    void theHeaderAndTheHintAgreeWithTheShape(String sample, String resource) {
        List<Alert> byShape = Samples.normalize(sample);
        List<Alert> byHeader = Samples.UNCLASSIFIED.normalize(
                Samples.incoming(sample, "sentry", Map.of("Sentry-Hook-Resource", resource)));
        assertThat(byHeader).isEqualTo(byShape).hasSize(1);
        // A relay that forwards the header empty leaves the shape to speak.
        assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(sample, "sentry", Map.of("Sentry-Hook-Resource", " "))))
                .isEqualTo(byShape);
    }

    @Test
    void theResourceTypeMayComeOnlyFromTheHeader() {
        // An issue webhook stripped of what marks it as Sentry's: only the header says what it is.
        ObjectNode body = Samples.tree("sentry/issue-resolved.json");
        body.remove("actor");
        body.remove("installation");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(bytes, null, Map.of())))
                .extracting(Alert::source).containsExactly("custom");
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming(bytes, null, Map.of("sentry-hook-resource", "issue"))).get(0);
        assertThat(alert.source()).isEqualTo("sentry");
        assertThat(alert.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert.fingerprint()).isEqualTo("sentry:1170820242");
        assertThat(alert.service()).isEqualTo("front-end");
    }

    /**
     * Self-hosted Sentry numbers issues and metric alert rules from small integers alike (the docs' metric alert has
     * rule "7"): issue 7 and alert rule 7 are two alerts.
     */
    @Test
    void anIssueAndAMetricAlertRuleWithTheSameNumberAreTwoAlerts() {
        Alert metric = Samples.normalize("sentry/metric-alert-critical.json").get(0);
        ObjectNode issue = Samples.tree("sentry/issue-created.json");
        ((ObjectNode) issue.path("data").path("issue")).put("id", "7");

        Alert issueSeven = Samples.normalizeJson(issue.toString()).get(0);

        assertThat(issueSeven.fingerprint()).isEqualTo("sentry:7");
        assertThat(metric.fingerprint()).isEqualTo("sentry:alert_rule_id=7").isNotEqualTo(issueSeven.fingerprint());
    }

    /**
     * {@code error.created} is sent for every error event Sentry receives, whether or not any alert rule cares: it is
     * kept as info, not counted as a firing (the issue alerts and metric alerts built on those errors fire).
     */
    @ParameterizedTest(name = "Sentry-Hook-Resource sent: {0}")
    @ValueSource(booleans = {true, false})
    void anErrorWebhookIsInfoNotAFiring(boolean headerSent) {
        ObjectNode body = Samples.tree("sentry/issue-alert-triggered.json");
        ObjectNode data = (ObjectNode) body.path("data");
        data.set("error", data.remove("event"));
        data.remove("triggered_rule");
        body.put("action", "created");

        List<Alert> alerts = Samples.UNCLASSIFIED.normalize(Samples.incoming(body.toString().getBytes(StandardCharsets.UTF_8), "sentry",
                resourceHeader("error", headerSent)));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.source()).isEqualTo("sentry");
            assertThat(alert.state()).isEqualTo(AlertState.INFO);
            assertThat(alert.eventId()).isEqualTo("sentry:error:e4874d664c3540c1a32eab185f12c5ab");
        });
    }

    /**
     * One Sentry event arrives as an error webhook, as the issue alert of each rule it triggers, and maybe as a
     * relayed resolution: each is its own event whatever the order, a redelivery of any of them is the same one.
     */
    @Test
    void theWebhooksOfOneSentryEventAreEventsOfTheirOwn() {
        ObjectNode alert = Samples.tree("sentry/issue-alert-triggered.json");
        ObjectNode otherRule = alert.deepCopy();
        ((ObjectNode) otherRule.path("data")).put("triggered_rule", "Another rule");
        ObjectNode resolved = alert.deepCopy().put("action", "resolved");
        ObjectNode error = alert.deepCopy().put("action", "created");
        ((ObjectNode) error.path("data")).set("error", ((ObjectNode) error.path("data")).remove("event"));

        List<String> ids = Stream.of(alert, otherRule, resolved, error, alert)
                .map(body -> Samples.UNCLASSIFIED.normalize(Samples.incoming(body.toString().getBytes(StandardCharsets.UTF_8),
                        "sentry", Map.of())).get(0).eventId())
                .toList();

        assertThat(ids.subList(0, 4)).doesNotHaveDuplicates();
        assertThat(ids.get(4)).isEqualTo(ids.get(0)).startsWith("sentry:event_alert:e4874d664c3540c1a32eab185f12c5ab:firing:");
    }

    @Test
    void aHeaderThatPromisesWhatTheBodyLacksDoesNotInventASentryAlert() {
        byte[] body = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(body, null, Map.of("Sentry-Hook-Resource", "event_alert"))))
                .extracting(Alert::source).containsExactly("custom");
    }

    @Test
    void aProjectGivenByNameIsTheService() {
        ObjectNode body = Samples.tree("sentry/issue-alert-triggered.json");
        ObjectNode event = (ObjectNode) body.path("data").path("event");
        event.remove("url");
        assertThat(Samples.normalizeJson(body.toString()).get(0).service()).isNull();
        event.put("project", "checkout-web");
        assertThat(Samples.normalizeJson(body.toString()).get(0).service()).isEqualTo("checkout-web");
    }

    /**
     * The organization and project are the two segments after "projects" in the event's API URL; a URL cut short or
     * without them leaves the project to the event's own fields, and is no reason to refuse the event.
     */
    @ParameterizedTest(name = "{0}: organization {1}, service {2}")
    @CsvSource(nullValues = "none", value = {
            "https://sentry.io/api/0/projects/test-org/front-end/events/e4874d664c3540c1a32eab185f12c5ab/, test-org, front-end",
            "https://sentry.io/api/0/projects/test-org/front-end, test-org, front-end",
            "https://sentry.io/api/0/projects/test-org, test-org, checkout-web",
            "https://sentry.io/api/0/projects/, none, checkout-web",
            "https://sentry.io/api/0/projects//front-end/, none, front-end",
            "https://sentry.io/api/0/projects/test-org//events/e4874d664c3540c1a32eab185f12c5ab/, test-org, checkout-web",
            "https://sentry.io/api/0/events/e4874d664c3540c1a32eab185f12c5ab/, none, checkout-web"})
    void readsTheOrganizationAndProjectFromTheEventsUrl(String url, String organization, String service) {
        ObjectNode body = Samples.tree("sentry/issue-alert-triggered.json");
        ((ObjectNode) body.path("data").path("event")).put("url", url).put("project", "checkout-web");
        Alert alert = Samples.normalizeJson(body.toString()).get(0);
        assertThat(alert.labels().get("organization")).isEqualTo(organization);
        assertThat(alert.service()).isEqualTo(service);
    }

    /** An event without {@code datetime} is dated by its {@code timestamp} (seconds since the epoch). */
    @Test
    void anEventWithoutItsDatetimeIsDatedByItsTimestamp() {
        ObjectNode body = Samples.tree("sentry/issue-alert-triggered.json");
        ((ObjectNode) body.path("data").path("event")).remove("datetime");
        assertThat(Samples.normalizeJson(body.toString()).get(0).occurredAt()).isEqualTo(Instant.parse("2019-08-19T21:06:17.677Z"));
    }

    @ParameterizedTest(name = "issue {0} is {1}")
    @CsvSource(nullValues = "none", value = {"created, FIRING", "unresolved, FIRING", "resolved, RESOLVED", "archived, RESOLVED",
            "ignored, RESOLVED", "assigned, INFO", "none, INFO"})
    void mapsIssueActions(String action, AlertState expected) {
        assertThat(SentryWebhookNormalizer.issueState(action)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "level {0} is {1}")
    @CsvSource({"fatal, CRITICAL", "error, HIGH", "warning, MEDIUM", "info, INFO", "debug, INFO"})
    void mapsEventLevels(String level, Severity expected) {
        ObjectNode body = Samples.tree("sentry/issue-alert-triggered.json");
        ((ObjectNode) body.path("data").path("event")).put("level", level);
        assertThat(Samples.normalizeJson(body.toString()).get(0).severity()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Sentry-Hook-Resource sent: {0}")
    @ValueSource(booleans = {true, false})
    void installationWebhooksAreNoAlerts(boolean headerSent) {
        String installation = """
                {"action": "created", "actor": {"id": 1, "name": "Jane", "type": "user"},
                 "data": {"installation": {"app": {"uuid": "64bf2cf4-37ca-4365-8dd3-6b6e56d741b8", "slug": "rollcall"},
                          "organization": {"slug": "test-org"}, "uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}},
                 "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}
                """;
        assertThat(Samples.UNCLASSIFIED.normalize(Samples.incoming(installation.getBytes(StandardCharsets.UTF_8),
                "sentry", resourceHeader("installation", headerSent)))).isEmpty();
    }

    /** A relay (or a proxy) may drop Sentry's headers: the body's shape must then tell the resource alone. */
    private static Map<String, String> resourceHeader(String resource, boolean sent) {
        return sent ? Map.of("Sentry-Hook-Resource", resource) : Map.of();
    }

    @Test
    void aRedeliveredIssueWebhookKeepsItsIdAndAnotherTransitionGetsAnother() {
        Alert created = Samples.normalize("sentry/issue-created.json").get(0);
        Alert again = Samples.normalize("sentry/issue-created.json").get(0);
        Alert resolved = Samples.normalize("sentry/issue-resolved.json").get(0);
        assertThat(again.eventId()).isEqualTo(created.eventId()).startsWith("sentry:issue:1170820242:created:");
        assertThat(resolved.eventId()).isNotEqualTo(created.eventId());
        assertThat(resolved.fingerprint()).isEqualTo(created.fingerprint());
    }

    /**
     * A metric alert's escalation from warning to critical carries the incident's first detection time: the page is
     * dated by when Sentry sent it ({@code Sentry-Hook-Timestamp}, epoch seconds), else by that detection time.
     */
    @ParameterizedTest(name = "header {0} -> {1}")
    @CsvSource(nullValues = "none", value = {"1600000000, 2020-09-13T12:26:40Z", "none, 2020-09-13T12:25:40Z",
            "soon, 2020-09-13T12:25:40Z", "99999999999999999999, 2020-09-13T12:25:40Z"})
    void aMetricAlertFiringIsDatedWhenSentrySentIt(String header, String expected) {
        Map<String, String> headers = header == null ? Map.of("Sentry-Hook-Resource", "metric_alert")
                : Map.of("Sentry-Hook-Resource", "metric_alert", "Sentry-Hook-Timestamp", header);
        Alert alert = Samples.UNCLASSIFIED.normalize(Samples.incoming("sentry/metric-alert-critical.json", "sentry", headers)).get(0);
        assertThat(alert.occurredAt()).isEqualTo(java.time.Instant.parse(expected));
    }

    /**
     * A resolution is dated by its incident's {@code date_closed}; the published sample has none, and then by when
     * Sentry sent it, not by when the queue handed it to the function (minutes or days later after an outage).
     */
    @Test
    void aMetricAlertResolutionWithoutDateClosedIsDatedWhenSentrySentIt() {
        Map<String, String> headers = Map.of("Sentry-Hook-Resource", "metric_alert", "Sentry-Hook-Timestamp", "1773480600");
        Alert resolved = Samples.UNCLASSIFIED.normalize(Samples.incoming("sentry/metric-alert-resolved.json", "sentry", headers)).get(0);
        assertThat(resolved.occurredAt()).isEqualTo(java.time.Instant.parse("2026-03-14T09:30:00Z")).isNotEqualTo(Samples.RECEIVED);
        com.fasterxml.jackson.databind.node.ObjectNode closed = Samples.tree("sentry/metric-alert-resolved.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) closed.path("data").path("metric_alert"))
                .put("date_closed", "2026-03-14T10:15:00.000000Z");
        Alert dated = Samples.UNCLASSIFIED.normalize(Samples.incoming(closed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "sentry", headers)).get(0);
        assertThat(dated.occurredAt()).isEqualTo(java.time.Instant.parse("2026-03-14T10:15:00Z"));
    }
}
