package dev.rollcall.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.Urgency;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;

/** What the bundled default rules make of the sample payloads (published, or derived as samples/SOURCES.md says), through the public entry point. */
class DefaultRulesTest {

    private static final EventNormalizer NORMALIZER = EventNormalizer.withBundledRules();

    @ParameterizedTest(name = "{0}: {1} by {2}")
    @CsvSource(nullValues = "none", value = {
            "cloudwatch/eventbridge-single-metric-alarm.json, HIGH, none",
            "cloudwatch/sns-lambda-single-metric.json, HIGH, none",
            "cloudwatch/eventbridge-composite-alarm.json, LOW, cloudwatch-actions-suppressed",
            "cloudwatch/eventbridge-single-metric-alarm-muted.json, LOW, cloudwatch-muted",
            // Suppressed before (previousState), no longer: its actions ran this time.
            "cloudwatch/lambda-action-composite-alarm.json, HIGH, none",
            "ec2/instance-state-change-terminated.json, LOW, ec2-and-rds-events",
            "rds/db-instance-failover.json, LOW, ec2-and-rds-events",
            "health/issue-open.json, HIGH, health-issues",
            "health/issue-closed.json, HIGH, health-issues",
            "health/scheduled-change-upcoming-org-view.json, LOW, health-planned-and-notices",
            "health/account-notification.json, LOW, health-planned-and-notices",
            "guardduty/finding-port-probe.json, LOW, security-findings-other",
            "guardduty/finding-repeated-later.json, HIGH, security-findings-severe",
            "securityhub/findings-imported-v2-exposure.json, HIGH, security-findings-severe",
            "inspector/inspector2-finding-package-vulnerability.json, LOW, security-findings-other",
            "ecs/task-stopped-essential-container-exited.json, LOW, ecs-and-batch-failures",
            "batch/job-failed.json, LOW, ecs-and-batch-failures",
            "sentry/issue-alert-triggered.json, LOW, sentry-other",
            "sentry/metric-alert-critical.json, HIGH, sentry-critical",
            "pagerduty/incident-triggered.json, HIGH, pagerduty-high-urgency",
            "pagerduty/incident-resolved-low-urgency.json, LOW, pagerduty-low-urgency",
            "datadog/webhook-triggered.json, HIGH, metrics-alerts-severe",
            "grafana/webhook-firing.json, HIGH, metrics-alerts-severe",
            "grafana/legacy-webhook-alerting.json, HIGH, metrics-alerts-severe",
            "custom/application-event.json, HIGH, none"})
    void classifiesTheSamples(String sample, Urgency urgency, String rule) throws IOException {
        List<Alert> alerts = NORMALIZER.normalize(new IncomingEvent(read(sample), null, Map.of(), IncomingEvent.Door.EVENTBRIDGE,
                Instant.parse("2026-03-14T12:00:00Z")));
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.urgency()).isEqualTo(urgency);
            assertThat(alert.classifiedBy()).isEqualTo(rule);
            assertThat(alert.unclassified()).isEqualTo(rule == null);
        });
    }

    @ParameterizedTest(name = "{0}: first alert {1}, second {2}")
    @CsvSource({
            "securityhub/findings-imported-fsbp-s3.1.json, security-findings-other, security-findings-other",
            "alertmanager/webhook-firing-and-resolved.json, metrics-alerts-severe, metrics-alerts-other"})
    void classifiesEachAlertOfAPayload(String sample, String firstRule, String secondRule) throws IOException {
        List<Alert> alerts = NORMALIZER.normalize(new IncomingEvent(read(sample), null, Map.of(), IncomingEvent.Door.SQS,
                Instant.parse("2026-03-14T12:00:00Z")));
        assertThat(alerts).extracting(Alert::classifiedBy).containsExactly(firstRule, secondRule);
    }

    private static byte[] read(String sample) throws IOException {
        try (InputStream in = DefaultRulesTest.class.getResourceAsStream("/samples/" + sample)) {
            return in.readAllBytes();
        }
    }
}
