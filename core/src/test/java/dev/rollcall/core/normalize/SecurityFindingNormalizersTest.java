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

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/** Security Hub (ASFF and OCSF) and Inspector findings. */
class SecurityFindingNormalizersTest {

    private static final String GUARDDUTY_DETECTOR = "arn:aws:guardduty:us-east-1:193043430472:detector/d4b040365221be2b54a6264dcexample";

    static Stream<Arguments> samples() {
        return Stream.of(
                row("securityhub/findings-imported-fsbp-s3.1.json", """
                    [
                      {
                        "event_id": "securityhub:e8a9ae754f0edc2fe110f19d26a97032ceb2b4471bd9a01f28a8cd4c56591c2b",
                        "occurred_at": "2021-07-22T14:17:01.492Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "securityhub",
                        "account": "111111111111",
                        "region": "us-east-1",
                        "name": "S3.1",
                        "title": "S3.1 S3 Block Public Access setting should be enabled",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "securityhub:arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/5f4d9a18-c148-41cd-81f2-0b5abe5561d1",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "compliance_status": "FAILED",
                          "control_id": "S3.1",
                          "finding_id": "arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/5f4d9a18-c148-41cd-81f2-0b5abe5561d1",
                          "finding_type": "Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices",
                          "generator_id": "aws-foundational-security-best-practices/v/1.0.0/S3.1",
                          "product_name": "Security Hub",
                          "record_state": "ACTIVE",
                          "resource_id": "AWS::::Account:111111111111",
                          "resource_type": "AwsAccount",
                          "workflow_status": "NEW"
                        }
                      },
                      {
                        "event_id": "securityhub:422e809a0f02fea973e4ae555b38e689f2dbe95b18a28d3659a0a204126ea46c",
                        "occurred_at": "2021-07-22T14:19:44.020Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "securityhub",
                        "account": "222222222222",
                        "region": "us-east-1",
                        "name": "S3.1",
                        "title": "S3.1 S3 Block Public Access setting should be enabled",
                        "state": "resolved",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "securityhub:arn:aws:securityhub:us-east-1:222222222222:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "compliance_status": "PASSED",
                          "control_id": "S3.1",
                          "finding_id": "arn:aws:securityhub:us-east-1:222222222222:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                          "finding_type": "Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices",
                          "generator_id": "aws-foundational-security-best-practices/v/1.0.0/S3.1",
                          "product_name": "Security Hub",
                          "record_state": "ACTIVE",
                          "resource_id": "AWS::::Account:222222222222",
                          "resource_type": "AwsAccount",
                          "workflow_status": "RESOLVED"
                        }
                      }
                    ]
                    """),
                row("securityhub/findings-imported-v2-exposure.json", """
                    [
                      {
                        "event_id": "securityhub:eceb9054d60bf6f7088ba1e21a33f615e335a62bbe382edd0ba1c634fe7946c2",
                        "occurred_at": "2024-11-15T21:39:26.337Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "securityhub",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "Exposure/Potential Impact/Resource Hijacking",
                        "title": "Publicly invocable Lambda function executed outside of VPC has vulnerability with known exploit that can be exploited from remote network",
                        "state": "firing",
                        "severity": "critical",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "securityhub:arn:aws:securityhub:us-east-1:123456789012:risk:1234f781c7ae7507f01e2fb460f15ca8fe7f9c95e257698a092cb74a4ea84a42",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "aws:cloudformation:logical-id": "lambdar3function94D10D40",
                          "aws:cloudformation:stack-id": "arn:aws:cloudformation:us-east-1:123456789012:stack/LambdaProdStack/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
                          "aws:cloudformation:stack-name": "LambdaProdStack",
                          "finding_class": "Detection Finding",
                          "finding_id": "arn:aws:securityhub:us-east-1:123456789012:risk:1234f781c7ae7507f01e2fb460f15ca8fe7f9c95e257698a092cb74a4ea84a42",
                          "finding_type": "Exposure/Potential Impact/Resource Hijacking",
                          "product_name": "Security Hub Exposure Analysis",
                          "resource_id": "arn:aws:lambda:us-east-1:123456789012:application-function",
                          "resource_type": "AwsLambdaFunction",
                          "status": "New"
                        }
                      }
                    ]
                    """),
                // A GuardDuty finding in OCSF: GuardDuty's own rule delivers it.
                row("securityhub/findings-imported-v2-guardduty.json", """
                    [ ]
                    """),
                row("inspector/inspector2-finding-user-guide.json", """
                    [
                      {
                        "event_id": "inspector:edfe723d422ec1c2c9cf41c241e546d851121591f60f04f8cc3236fe01961777",
                        "occurred_at": "2023-01-19T22:46:15Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "inspector",
                        "account": "111122223333",
                        "region": "us-east-1",
                        "name": "CVE-2022-3303",
                        "title": "CVE-2022-3303 - linux-image-aws",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "inspector:arn:aws:inspector2:us-east-1:111122223333:finding/FINDING_ID",
                        "fingerprint_fields": [
                          "finding_arn"
                        ],
                        "labels": {
                          "exploit_available": "YES",
                          "finding_arn": "arn:aws:inspector2:us-east-1:111122223333:finding/FINDING_ID",
                          "finding_type": "PACKAGE_VULNERABILITY",
                          "fix_available": "YES",
                          "package": "linux-image-aws",
                          "resource_id": "i-0c2a343f1948d5205",
                          "resource_type": "AWS_EC2_INSTANCE",
                          "status": "ACTIVE",
                          "vulnerability_id": "CVE-2022-3303"
                        }
                      }
                    ]
                    """),
                row("inspector/inspector2-finding-package-vulnerability.json", """
                    [
                      {
                        "event_id": "inspector:e5de13213841df6a44d18a48ea34e21062ada6ff6a8a2825a8cfd2135e0b6145",
                        "occurred_at": "2023-01-19T22:46:15Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "inspector",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "CVE-2022-3303",
                        "title": "CVE-2022-3303 - linux-image-aws",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "inspector:arn:aws:inspector2:us-east-1:123456789012:finding/0e436649379db5f327e3cf5bb4421d76",
                        "fingerprint_fields": [
                          "finding_arn"
                        ],
                        "labels": {
                          "Name": "inspector-test",
                          "exploit_available": "YES",
                          "finding_arn": "arn:aws:inspector2:us-east-1:123456789012:finding/0e436649379db5f327e3cf5bb4421d76",
                          "finding_type": "PACKAGE_VULNERABILITY",
                          "fix_available": "YES",
                          "inspector_score": "4.7",
                          "package": "linux-image-aws",
                          "resource_id": "i-0c2a343f1948d5205",
                          "resource_type": "AWS_EC2_INSTANCE",
                          "status": "ACTIVE",
                          "vulnerability_id": "CVE-2022-3303"
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

    /**
     * One finding update reaches the central bus once from the member account and again from the administrator
     * account and the aggregation Region, each copy with an EventBridge id of its own: it is one event, not three
     * (three firings would page three times).
     */
    @ParameterizedTest(name = "copy received by {0} in {1}")
    @CsvSource({"111111111111, us-east-1", "999999999999, us-east-1", "999999999999, eu-west-1"})
    void aSecurityHubFindingUpdateIsOneEventOnEveryBusItReaches(String receivingAccount, String receivingRegion) {
        Alert member = Samples.normalize("securityhub/findings-imported-fsbp-s3.1.json").get(0);

        Alert delivered = Samples.normalizeCopyReceivedBy("securityhub/findings-imported-fsbp-s3.1.json", receivingAccount, receivingRegion);

        assertThat(delivered.eventId()).isEqualTo(member.eventId()).startsWith("securityhub:");
        assertThat(delivered.fingerprint()).isEqualTo(member.fingerprint());
    }

    /** Each update of a finding (a new UpdatedAt, another finding of the same event) is an event of its own. */
    @Test
    void anotherUpdateOrAnotherFindingIsAnotherEvent() {
        List<Alert> both = Samples.normalize("securityhub/findings-imported-fsbp-s3.1.json");
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ((ObjectNode) event.path("detail").path("findings").get(0)).put("UpdatedAt", "2021-07-23T14:17:01.492Z");

        Alert later = Samples.normalizeJson(event.toString()).get(0);

        assertThat(both.get(1).eventId()).isNotEqualTo(both.get(0).eventId());
        assertThat(later.eventId()).isNotEqualTo(both.get(0).eventId());
        assertThat(later.fingerprint()).isEqualTo(both.get(0).fingerprint());
    }

    /**
     * BatchUpdateFindings leaves UpdatedAt as it was (Security Hub API Reference): a user suppressing, resolving or
     * re-rating a finding must still be a new event, or the resolution would be dropped as a redelivery.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"Workflow, SUPPRESSED", "Workflow, RESOLVED", "Severity, CRITICAL", "RecordState, ARCHIVED"})
    void aUsersChangeWithTheSameUpdatedAtIsANewEvent(String field, String value) {
        Alert imported = Samples.normalize("securityhub/findings-imported-fsbp-s3.1.json").get(0);
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        switch (field) {
            case "Workflow" -> ((ObjectNode) finding.path("Workflow")).put("Status", value);
            case "Severity" -> ((ObjectNode) finding.path("Severity")).put("Label", value);
            default -> finding.put(field, value);
        }

        assertThat(Samples.normalizeJson(event.toString()).get(0).eventId()).isNotEqualTo(imported.eventId());
    }

    /** Without an Id or UpdatedAt updates cannot be told apart: the envelope id and index keep them apart instead. */
    @Test
    void aFindingWithoutUpdatedAtIsIdentifiedByItsEventAndIndex() {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ((ObjectNode) event.path("detail").path("findings").get(1)).remove("UpdatedAt");

        assertThat(Samples.normalizeJson(event.toString()).get(1).eventId()).isEqualTo("8e5622f9-d81c-4d81-612a-9319e7ee2506:1");
    }

    /** A finding is dated by its provider's last update, else its last observation, else Security Hub's event. */
    @ParameterizedTest(name = "without {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "none                        | 2021-07-22T14:19:44.020Z",
            "UpdatedAt                   | 2021-07-22T14:19:45.101Z",
            "UpdatedAt, LastObservedAt   | 2021-07-22T14:19:46Z"})
    void datesAFindingByItsUpdateElseItsLastObservationElseItsEvent(String removed, Instant expected) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ((ObjectNode) event.path("detail").path("findings").get(1)).remove(List.of(removed.split(", ")));

        assertThat(Samples.normalizeJson(event.toString()).get(1).occurredAt()).isEqualTo(expected);
    }

    /**
     * A user's suppression (BatchUpdateFindings) leaves UpdatedAt as the provider's last update: dated there it fell
     * on the firing's own time and the episode never closed when it did. It is dated by Security Hub's event; its id,
     * and so the copies other buses receive, stay as they were.
     */
    @Test
    void aFindingSuppressedByAUserIsResolvedWhenSecurityHubSaysSo() {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ArrayNode findings = (ArrayNode) event.path("detail").path("findings");
        ObjectNode finding = (ObjectNode) findings.get(0);
        findings.removeAll().add(finding);
        Alert firing = Samples.normalizeJson(event.toString()).get(0);
        ((ObjectNode) finding.path("Workflow")).put("Status", "SUPPRESSED");
        event.put("time", "2021-07-25T09:00:00Z");
        Alert suppressed = Samples.normalizeJson(event.toString()).get(0);
        event.put("time", "2021-07-25T09:00:03Z").put("id", "0b7c6f1e-2222-3333-4444-555566667777");
        Alert copy = Samples.normalizeJson(event.toString()).get(0);

        assertThat(firing.state()).isEqualTo(AlertState.FIRING);
        assertThat(firing.occurredAt()).isEqualTo(java.time.Instant.parse("2021-07-22T14:17:01.492Z"));
        assertThat(suppressed.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(suppressed.occurredAt()).isEqualTo(java.time.Instant.parse("2021-07-25T09:00:00Z"));
        assertThat(suppressed.fingerprint()).isEqualTo(firing.fingerprint());
        assertThat(copy.eventId()).isEqualTo(suppressed.eventId()).isNotEqualTo(firing.eventId());
    }

    @ParameterizedTest(name = "record {0}, workflow {1}, compliance {2}: {3}")
    @CsvSource(nullValues = "none", value = {
            "ACTIVE, NEW, FAILED, FIRING",
            "ACTIVE, NOTIFIED, FAILED, FIRING",
            "ARCHIVED, NEW, FAILED, RESOLVED",
            "ACTIVE, RESOLVED, FAILED, RESOLVED",
            "ACTIVE, SUPPRESSED, none, RESOLVED",
            "ACTIVE, NEW, PASSED, RESOLVED",
            "ACTIVE, NEW, none, FIRING",
            // A check that could not run or decide says nothing about the control.
            "ACTIVE, NEW, NOT_AVAILABLE, INFO",
            "ACTIVE, NOTIFIED, WARNING, INFO",
            "ARCHIVED, NEW, NOT_AVAILABLE, RESOLVED",
            "ACTIVE, SUPPRESSED, WARNING, RESOLVED"})
    void decidesASecurityHubFindingsState(String record, String workflow, String compliance, AlertState state) {
        assertThat(SecurityHubFindingNormalizer.state(record, workflow, compliance)).isEqualTo(state);
    }

    /**
     * Integrations without a control id name the generator: for a detector (GuardDuty's, in the GuardDuty User
     * Guide's Security Hub integration example; the same shape for other detectors) that is the detector's ARN, the
     * same for every finding type, so the type names the alert instead.
     */
    @Test
    void findingsOfADetectorAreNamedByTheirTypeNotByTheDetector() {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ArrayNode findings = (ArrayNode) event.path("detail").path("findings");
        asDetectorFinding((ObjectNode) findings.get(0), "TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce", "Custom Detector");
        asDetectorFinding((ObjectNode) findings.get(1), "TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort", "Custom Detector");
        List<Alert> alerts = Samples.normalizeJson(event.toString());
        assertThat(alerts).extracting(Alert::name).containsExactly("TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce",
                "TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort");
        assertThat(alerts.get(0).labels()).containsEntry("generator_id", GUARDDUTY_DETECTOR);
    }

    /** GuardDuty, Inspector and Health findings reach Security Hub too; their own rules already deliver them. */
    @Test
    void guardDutyAndInspectorFindingsAreLeftToTheirOwnRules() {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ArrayNode findings = (ArrayNode) event.path("detail").path("findings");
        asDetectorFinding((ObjectNode) findings.get(0), "TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce", "GuardDuty");
        List<Alert> alerts = Samples.normalizeJson(event.toString());
        assertThat(alerts).extracting(Alert::account).containsExactly("222222222222");

        ((ObjectNode) findings.get(1)).put("ProductName", "Inspector");
        assertThat(Samples.normalizeJson(event.toString())).isEmpty();

        // AWS Health's events reach Security Hub as findings of product aws/health; the Health rule delivers them.
        ((ObjectNode) findings.get(1)).put("ProductName", "Health");
        assertThat(Samples.normalizeJson(event.toString())).isEmpty();
    }

    @ParameterizedTest(name = "control {0}, generator {1}, type {2}, title {3}: {4}")
    @CsvSource(nullValues = "none", value = {
            "S3.1, standards/v/1.0.0/S3.1,                    Software and Configuration Checks, S3.1 title, S3.1",
            "none, standards/v/1.0.0/S3.1,                    Software and Configuration Checks, S3.1 title, standards/v/1.0.0/S3.1",
            "none, arn:aws:guardduty:us-east-1:1:detector/d4, TTPs/Initial Access/SSHBruteForce, SSH brute force, TTPs/Initial Access/SSHBruteForce",
            "none, arn:aws:guardduty:us-east-1:1:detector/d4, none,                              SSH brute force, SSH brute force",
            "none, arn:aws:guardduty:us-east-1:1:detector/d4, none,                              none,            arn:aws:guardduty:us-east-1:1:detector/d4",
            "none, none,                                      TTPs/Discovery,                    a title,         a title"})
    void namesASecurityHubFinding(String controlId, String generatorId, String type, String title, String expected) {
        assertThat(SecurityHubFindingNormalizer.name(controlId, generatorId, type, title)).isEqualTo(expected);
    }

    private static void asDetectorFinding(ObjectNode finding, String type, String product) {
        finding.put("GeneratorId", GUARDDUTY_DETECTOR).put("ProductName", product);
        finding.putArray("Types").add(type);
        finding.remove(List.of("Compliance", "FindingProviderFields"));
        ((ObjectNode) finding.path("ProductFields")).remove("ControlId");
    }

    /** The published FSBP finding, its check then unable to run: the control's episode neither reopens nor pages. */
    @Test
    void aControlCheckThatCouldNotRunIsInformationNotAFailure() {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        ((ObjectNode) finding.path("Compliance")).put("Status", "NOT_AVAILABLE");
        ((ObjectNode) finding.path("Workflow")).put("Status", "NEW");
        finding.put("RecordState", "ACTIVE");

        Alert alert = Samples.normalizeJson(event.toString()).get(0);

        assertThat(alert.state()).isEqualTo(AlertState.INFO);
        assertThat(alert.labels()).containsEntry("compliance_status", "NOT_AVAILABLE");
    }

    @ParameterizedTest(name = "OCSF status {0} (id {1}), compliance {2}: {3}")
    @CsvSource(nullValues = "none", value = {
            "New, 1, none, FIRING", "In Progress, 2, none, FIRING", "Other, 99, none, FIRING",
            "Suppressed, 3, none, RESOLVED", "Resolved, 4, none, RESOLVED", "Archived, 5, none, RESOLVED", "Deleted, 6, none, RESOLVED",
            "none, 4, none, RESOLVED", "none, 1, none, FIRING", "New, 1, Pass, RESOLVED", "New, 1, Fail, FIRING",
            "New, 1, Warning, INFO", "Resolved, 4, Warning, RESOLVED"})
    void mapsOcsfFindingStatuses(String status, int statusId, String compliance, AlertState expected) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-v2-exposure.json");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        finding.put("status", status).put("status_id", statusId);
        if (compliance != null) {
            finding.putObject("compliance").put("status", compliance).put("control", "Lambda.1");
        }
        assertThat(Samples.normalizeJson(event.toString()).get(0).state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "OCSF severity {0} (id {1}) is {2}")
    @CsvSource(nullValues = "none", value = {
            "Informational, 1, INFO", "Low, 2, LOW", "Medium, 3, MEDIUM", "High, 4, HIGH", "Critical, 5, CRITICAL",
            "Fatal, 6, CRITICAL", "High, 0, HIGH", "none, 99, MEDIUM", "Low, none, LOW", "none, 4, HIGH", "Low, 5, CRITICAL"})
    void mapsOcsfSeverities(String severity, Integer severityId, Severity expected) {
        assertThat(SecurityHubOcsfFindingNormalizer.severity(severityId == null ? null : AlertJson.mapper().valueToTree(severityId),
                severity)).isEqualTo(expected);
    }

    /**
     * As in ASFF, a user's suppression or resolution leaves the finding's modified time as its provider's last update:
     * it is dated by Security Hub's event instead. A finding archived, or closed because its check passed, keeps its own.
     */
    @ParameterizedTest(name = "OCSF status {0}, compliance {1}: dated {2}")
    @CsvSource(nullValues = "none", value = {
            "New, none, 2024-11-15T21:39:26.337Z", "Suppressed, none, 2024-11-20T09:00:00Z",
            "Resolved, none, 2024-11-20T09:00:00Z", "Archived, none, 2024-11-15T21:39:26.337Z",
            "Suppressed, Pass, 2024-11-15T21:39:26.337Z"})
    void anOcsfFindingAUserClosedIsDatedByItsEvent(String status, String compliance, Instant expected) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-v2-exposure.json");
        event.put("time", "2024-11-20T09:00:00Z");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        finding.put("status", status).remove("status_id");
        if (compliance != null) {
            finding.putObject("compliance").put("status", compliance).put("control", "Lambda.1");
        }
        assertThat(Samples.normalizeJson(event.toString()).get(0).occurredAt()).isEqualTo(expected);
    }

    /** The OCSF format is delivered to the member, administrator and aggregation Region as ASFF is: one event. */
    @Test
    void anOcsfFindingUpdateIsOneEventOnEveryBusItReaches() {
        Alert member = Samples.normalize("securityhub/findings-imported-v2-exposure.json").get(0);
        ObjectNode suppressed = Samples.tree("securityhub/findings-imported-v2-exposure.json");
        ((ObjectNode) suppressed.path("detail").path("findings").get(0)).put("status", "Suppressed").put("status_id", 3);

        assertThat(Samples.normalizeCopyReceivedBy("securityhub/findings-imported-v2-exposure.json", "999999999999", "eu-west-1").eventId())
                .isEqualTo(member.eventId());
        Alert resolved = Samples.normalizeJson(suppressed.toString()).get(0);
        assertThat(resolved.eventId()).isNotEqualTo(member.eventId());
        assertThat(resolved.fingerprint()).isEqualTo(member.fingerprint());
    }

    @ParameterizedTest(name = "OCSF finding of {0} / {1} is left to its own rule")
    @CsvSource({"GuardDuty, arn:aws:securityhub:us-east-1::productv2/aws/guardduty",
            "Inspector, arn:aws:securityhub:us-east-1::productv2/aws/inspector",
            "Amazon Inspector, arn:aws:securityhub:us-east-1::productv2/aws/inspector",
            // Security Hub CSPM's control findings come as ASFF through the same rule: counted there, not twice.
            "Security Hub, arn:aws:securityhub:us-east-1::productv2/aws/securityhub"})
    void ocsfGuardDutyInspectorAndCspmFindingsAreLeftToTheirAsffEvents(String name, String uid) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-v2-exposure.json");
        ((ObjectNode) event.path("detail").path("findings").get(0).path("metadata").path("product")).put("name", name).put("uid", uid);
        assertThat(Samples.normalizeJson(event.toString())).isEmpty();
    }

    @ParameterizedTest(name = "label {0} is {1}")
    @CsvSource({"CRITICAL, CRITICAL", "HIGH, HIGH", "MEDIUM, MEDIUM", "LOW, LOW", "INFORMATIONAL, INFO"})
    void mapsSecurityHubSeverityLabels(String label, Severity expected) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        ((ObjectNode) finding.path("Severity")).put("Label", label);
        assertThat(Samples.normalizeJson(event.toString()).get(0).severity()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "normalized {0} is {1}")
    @CsvSource(nullValues = "none", value = {"95, CRITICAL", "90, CRITICAL", "70, HIGH", "40, MEDIUM", "39, LOW", "1, LOW", "0, INFO",
            "none, MEDIUM"})
    void fallsBackToTheNormalizedSecurityHubSeverity(Integer normalized, Severity expected) {
        ObjectNode event = Samples.tree("securityhub/findings-imported-fsbp-s3.1.json");
        ObjectNode finding = (ObjectNode) event.path("detail").path("findings").get(0);
        ObjectNode severity = finding.putObject("Severity");
        if (normalized != null) {
            severity.put("Normalized", normalized);
        }
        finding.remove("FindingProviderFields");
        assertThat(Samples.normalizeJson(event.toString()).get(0).severity()).isEqualTo(expected);
    }

    /**
     * "If your account is an Amazon Inspector delegated administrator account, EventBridge publishes events to your
     * account and the member account where the events originated" (Amazon Inspector User Guide): one event.
     */
    @Test
    void anInspectorFindingPublishedToAdministratorAndMemberIsOneEvent() {
        Alert member = Samples.normalize("inspector/inspector2-finding-package-vulnerability.json").get(0);

        Alert delivered = Samples.normalizeCopyReceivedBy("inspector/inspector2-finding-package-vulnerability.json", "999999999999",
                "us-east-1");

        assertThat(delivered.eventId()).isEqualTo(member.eventId()).startsWith("inspector:");
        assertThat(delivered.fingerprint()).isEqualTo(member.fingerprint());
    }

    @ParameterizedTest(name = "inspector {0} = {1}")
    @CsvSource({"updatedAt, 'Jan 20, 2023, 9:00:00 AM'", "status, CLOSED", "status, SUPPRESSED", "severity, HIGH"})
    void anotherInspectorUpdateIsAnotherEvent(String field, String value) {
        Alert first = Samples.normalize("inspector/inspector2-finding-package-vulnerability.json").get(0);
        ObjectNode event = Samples.tree("inspector/inspector2-finding-package-vulnerability.json");
        ((ObjectNode) event.path("detail")).put(field, value);

        assertThat(Samples.normalizeJson(event.toString()).get(0).eventId()).isNotEqualTo(first.eventId());
    }

    /** An Inspector finding is dated by its update, else by its last observation, else by its event. */
    @ParameterizedTest(name = "inspector without {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "none                      | 2023-01-19T22:46:15Z",
            "updatedAt                 | 2023-01-19T22:50:00Z",
            "updatedAt, lastObservedAt | 2023-01-19T23:00:00Z"})
    void datesAnInspectorFindingByItsUpdateElseItsLastObservation(String removed, Instant expected) {
        ObjectNode event = Samples.tree("inspector/inspector2-finding-package-vulnerability.json");
        event.put("time", "2023-01-19T23:00:00Z");
        ObjectNode finding = (ObjectNode) event.path("detail");
        finding.put("lastObservedAt", "Jan 19, 2023, 10:50:00 PM").remove(List.of(removed.split(", ")));
        assertThat(Samples.normalizeJson(event.toString()).get(0).occurredAt()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "inspector status {0} is {1}")
    @CsvSource({"ACTIVE, FIRING", "CLOSED, RESOLVED", "SUPPRESSED, RESOLVED"})
    void mapsInspectorStatuses(String status, AlertState expected) {
        ObjectNode event = Samples.tree("inspector/inspector2-finding-package-vulnerability.json");
        ((ObjectNode) event.path("detail")).put("status", status);
        assertThat(Samples.normalizeJson(event.toString()).get(0).state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "inspector severity {0} is {1}")
    @CsvSource({"CRITICAL, CRITICAL", "HIGH, HIGH", "MEDIUM, MEDIUM", "LOW, LOW", "INFORMATIONAL, INFO", "UNTRIAGED, INFO"})
    void mapsInspectorSeverities(String severity, Severity expected) {
        ObjectNode event = Samples.tree("inspector/inspector2-finding-package-vulnerability.json");
        ((ObjectNode) event.path("detail")).put("severity", severity);
        assertThat(Samples.normalizeJson(event.toString()).get(0).severity()).isEqualTo(expected);
    }
}
