package dev.rollcall.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintFieldsTest {

    private final ClassificationRules defaults = ClassificationRules.empty();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
            "cloudwatch; account,region,name",
            "guardduty; finding_id",
            "health; account,event_arn",
            "securityhub; finding_id",
            "inspector; finding_arn",
            "ecs; account,region,labels.cluster,name",
            "batch; account,region,labels.job_queue,name",
            "ec2; account,region,instance_id",
            "rds; account,region,name,source_identifier",
            "sentry; issue_id",
            "datadog; monitor_id,scope",
            "alertmanager; alert_fingerprint",
            "grafana; alert_fingerprint",
            "pagerduty; incident_id",
            "custom; account,region,labels.source_hint,labels.event_source,name",
            "something-new; name"})
    void eachSourceHasDefaultFields(String source, String fields) {
        TestAlert alert = TestAlert.of(source, "n").at("a", "r")
                .identity("finding_id", "f").identity("event_arn", "e").identity("finding_arn", "fa")
                .identity("instance_id", "i").identity("source_identifier", "s").identity("issue_id", "is")
                .identity("monitor_id", "m").identity("scope", "sc").identity("alert_fingerprint", "af")
                .identity("incident_id", "in");
        assertThat(defaults.fingerprint(alert).fields()).containsExactly(fields.split(","));
    }

    /**
     * Many producers send an alert of the same name: by name alone, one account's firing counted as a duplicate of
     * another's and its resolution closed the other's episode. Account, region and the path it came by (or an AWS
     * event's source) tell them apart; service does not count, as a resolution often leaves it out and must still pair.
     */
    @Test
    void customAlertsOfOneNameFromTwoAccountsOrProducersAreTwoAlertsAndAResolutionWithoutServicePairs() {
        TestAlert checkout = TestAlert.of("custom", "HighErrorRate").service("checkout").label("source_hint", "myapp");
        assertThat(defaults.fingerprint(checkout).value()).isEqualTo("custom:||myapp||HighErrorRate");
        assertThat(defaults.fingerprint(TestAlert.of("custom", "HighErrorRate").label("source_hint", "myapp")))
                .as("the same alert's resolution without its service").isEqualTo(defaults.fingerprint(checkout));
        for (TestAlert other : List.of(
                TestAlert.of("custom", "HighErrorRate").service("checkout").label("source_hint", "otherapp"),
                TestAlert.of("custom", "HighErrorRate").service("checkout").label("source_hint", "myapp").at("123456789012", "us-east-1"))) {
            assertThat(defaults.fingerprint(other)).isNotEqualTo(defaults.fingerprint(checkout));
        }
    }

    @Test
    void joinsTheValuesAfterTheSource() {
        assertThat(defaults.fingerprint(TestAlert.of("cloudwatch", "ServerCpuTooHigh").at("123456789012", "us-east-1")))
                .isEqualTo(new Fingerprint("cloudwatch:123456789012|us-east-1|ServerCpuTooHigh", List.of("account", "region", "name")));
    }

    @Test
    void takesTheFirstAlternativeThatHasAValueAndSaysWhichItWas() {
        TestAlert withoutOwnFingerprint = TestAlert.of("alertmanager", "HighErrorRate").identity("label_set", "44de6a731e5f787e");
        assertThat(defaults.fingerprint(withoutOwnFingerprint))
                .isEqualTo(new Fingerprint("alertmanager:label_set=44de6a731e5f787e", List.of("label_set")));
        TestAlert metricAlert = TestAlert.of("sentry", "Too many errors").identity("alert_rule_id", "7");
        assertThat(defaults.fingerprint(metricAlert)).isEqualTo(new Fingerprint("sentry:alert_rule_id=7", List.of("alert_rule_id")));
    }

    /** A value of a later alternative is qualified by its field: Sentry issue 7 and metric alert rule 7 are two alerts. */
    @ParameterizedTest(name = "{0}={1}: {2}")
    @CsvSource(delimiter = ';', value = {
            "sentry; issue_id; 7; sentry:7",
            "sentry; alert_rule_id; 7; sentry:alert_rule_id=7",
            "alertmanager; alert_fingerprint; 44de6a731e5f787e; alertmanager:44de6a731e5f787e",
            "alertmanager; label_set; 44de6a731e5f787e; alertmanager:label_set=44de6a731e5f787e",
            "grafana; rule_id; 1/1; grafana:rule_id=1/1",
            "grafana; rule_name; 1/Panel Title alert; grafana:rule_name=1/Panel Title alert"})
    void qualifiesAValueOfALaterAlternativeByItsField(String source, String field, String value, String expected) {
        assertThat(defaults.fingerprint(TestAlert.of(source, "n").identity(field, value)).value()).isEqualTo(expected);
    }

    @Test
    void aMissingValueLeavesItsPlaceEmpty() {
        assertThat(defaults.fingerprint(TestAlert.of("cloudwatch", "EXAMPLE").at("EXAMPLE", null)))
                .isEqualTo(new Fingerprint("cloudwatch:EXAMPLE||EXAMPLE", List.of("account", "region", "name")));
        assertThat(defaults.fingerprint(TestAlert.of("datadog", "Disk full").identity("monitor_id", "90417")))
                .isEqualTo(new Fingerprint("datadog:90417|", List.of("monitor_id", "scope")));
    }

    @Test
    void aRulesFileReplacesASourcesFieldsWithAlertFieldsLabelsAndIdentities() {
        ClassificationRules rules = ClassificationRules.parse("""
                version: 1
                fingerprints:
                  cloudwatch: [account, region, name, labels.Dimension.InstanceId]
                  guardduty: [account, 'finding_arn|name', severity]
                rules: []
                """, "rules.yaml");
        TestAlert alarm = TestAlert.of("cloudwatch", "cpu").at("1", "eu-west-1").label("Dimension.InstanceId", "i-1");
        assertThat(rules.fingerprint(alarm)).isEqualTo(new Fingerprint("cloudwatch:1|eu-west-1|cpu|i-1",
                List.of("account", "region", "name", "labels.Dimension.InstanceId")));
        TestAlert finding = TestAlert.of("guardduty", "Recon:EC2/PortProbeUnprotectedPort").at("2", "us-east-1");
        assertThat(rules.fingerprint(finding)).isEqualTo(new Fingerprint("guardduty:2|name=Recon:EC2/PortProbeUnprotectedPort|high",
                List.of("account", "name", "severity")));
        assertThat(rules.fingerprint(TestAlert.of("health", "x").identity("event_arn", "arn:e")).value()).isEqualTo("health:|arn:e");
    }
}
