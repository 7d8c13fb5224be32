package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

class GuardDutyFindingNormalizerTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                row("guardduty/finding-pascal-case-archived.json", """
                    [
                      {
                        "event_id": "guardduty:0c4e3eaa3ff5a8a51bea77e2fafc6983b6365d74401d9242f14a7811c68e886f",
                        "occurred_at": "2018-01-09T10:01:02Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "guardduty",
                        "account": "726064622671",
                        "region": "us-east-1",
                        "name": "Recon:EC2/PortProbeUnprotectedPort",
                        "title": "Unprotected port on EC2 instance i-036cb01d26bb09166 is being probed.",
                        "state": "resolved",
                        "severity": "low",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "guardduty:c0b069a09b9f39764cf3d9e44251e079",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "Name": "stackarmor Tools",
                          "action_type": "PORT_PROBE",
                          "count": "1",
                          "detector_id": "a8b006e056e2d054c79f0a8f26820e00",
                          "finding_id": "c0b069a09b9f39764cf3d9e44251e079",
                          "finding_type": "Recon:EC2/PortProbeUnprotectedPort",
                          "instance_id": "i-036cb01d26bb09166",
                          "resource_role": "TARGET",
                          "resource_type": "Instance",
                          "severity_score": "2"
                        }
                      }
                    ]
                    """),
                row("guardduty/finding-port-probe.json", """
                    [
                      {
                        "event_id": "guardduty:89bf28f327287ba37a4f7acde8ea7fd6fd56b436501fad99540c8b1d5a046127",
                        "occurred_at": "2018-01-08T00:52:34.750Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "guardduty",
                        "account": "726064622671",
                        "region": "us-east-1",
                        "name": "Recon:EC2/PortProbeUnprotectedPort",
                        "title": "Unprotected port on EC2 instance i-036cb01d26bb09166 is being probed.",
                        "state": "firing",
                        "severity": "low",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "guardduty:c0b069a09b9f39764cf3d9e44251e079",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "Name": "stackarmor Tools",
                          "action_type": "PORT_PROBE",
                          "count": "1",
                          "detector_id": "a8b006e056e2d054c79f0a8f26820e00",
                          "finding_id": "c0b069a09b9f39764cf3d9e44251e079",
                          "finding_type": "Recon:EC2/PortProbeUnprotectedPort",
                          "instance_id": "i-036cb01d26bb09166",
                          "resource_role": "TARGET",
                          "resource_type": "Instance",
                          "severity_score": "2"
                        }
                      }
                    ]
                    """),
                row("guardduty/finding-repeated-first.json", """
                    [
                      {
                        "event_id": "guardduty:a058fa2f18c6cc4a58f081d5cc6c8b63e6d261dbd58cf5a77b1550f59d384a07",
                        "occurred_at": "2018-01-08T00:52:34.750Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "guardduty",
                        "account": "726064622671",
                        "region": "us-east-1",
                        "name": "UnauthorizedAccess:EC2/SSHBruteForce",
                        "title": "221.132.75.236 is performing SSH brute force attacks against i-036cb01d26bb09166.",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "guardduty:62b07f3a3c9d6ef1b0a1c7e7ff0d9d31",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "Name": "stackarmor Tools",
                          "action_type": "PORT_PROBE",
                          "count": "1",
                          "detector_id": "a8b006e056e2d054c79f0a8f26820e00",
                          "finding_id": "62b07f3a3c9d6ef1b0a1c7e7ff0d9d31",
                          "finding_type": "UnauthorizedAccess:EC2/SSHBruteForce",
                          "instance_id": "i-036cb01d26bb09166",
                          "resource_role": "TARGET",
                          "resource_type": "Instance",
                          "severity_score": "5"
                        }
                      }
                    ]
                    """),
                row("guardduty/finding-repeated-later.json", """
                    [
                      {
                        "event_id": "guardduty:c2b5dd4c064fa94cb801bf953ae567464856b6ff0ba36eaaf3318c7391a37140",
                        "occurred_at": "2018-01-08T06:52:40.211Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "guardduty",
                        "account": "726064622671",
                        "region": "us-east-1",
                        "name": "UnauthorizedAccess:EC2/SSHBruteForce",
                        "title": "221.132.75.236 is performing SSH brute force attacks against i-036cb01d26bb09166.",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "guardduty:62b07f3a3c9d6ef1b0a1c7e7ff0d9d31",
                        "fingerprint_fields": [
                          "finding_id"
                        ],
                        "labels": {
                          "Name": "stackarmor Tools",
                          "action_type": "PORT_PROBE",
                          "count": "37",
                          "detector_id": "a8b006e056e2d054c79f0a8f26820e00",
                          "finding_id": "62b07f3a3c9d6ef1b0a1c7e7ff0d9d31",
                          "finding_type": "UnauthorizedAccess:EC2/SSHBruteForce",
                          "instance_id": "i-036cb01d26bb09166",
                          "resource_role": "TARGET",
                          "resource_type": "Instance",
                          "severity_score": "8"
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

    @ParameterizedTest(name = "severity {0} is {1}")
    @CsvSource({
            "0.1, LOW", "2, LOW", "3.9, LOW",
            "4, MEDIUM", "4.0, MEDIUM", "6.9, MEDIUM",
            "7, HIGH", "8, HIGH", "8.9, HIGH",
            "9, CRITICAL", "9.5, CRITICAL", "10.0, CRITICAL"})
    void mapsNumericSeverityOntoTheScale(String score, Severity expected) {
        ObjectNode event = Samples.tree("guardduty/finding-port-probe.json");
        ((ObjectNode) event.path("detail")).put("severity", new BigDecimal(score));
        assertThat(Samples.normalizeJson(event.toString()).get(0).severity()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "severity text ''{0}'' is {1}")
    @CsvSource({"8, HIGH", "2.0, LOW", "HIGH, HIGH", "Medium, MEDIUM"})
    void readsSeverityWrittenAsText(String score, Severity expected) {
        assertThat(GuardDutyFindingNormalizer.severity(score)).isEqualTo(expected);
    }

    @Test
    void aFindingWithoutSeverityIsMedium() {
        assertThat(GuardDutyFindingNormalizer.severity(null)).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aRepeatedFindingIsItsOwnDocumentButTheSameAlert() {
        Alert first = Samples.normalize("guardduty/finding-repeated-first.json").get(0);
        Alert later = Samples.normalize("guardduty/finding-repeated-later.json").get(0);
        assertThat(later.eventId()).isNotEqualTo(first.eventId());
        assertThat(later.fingerprint()).isEqualTo(first.fingerprint()).isEqualTo("guardduty:62b07f3a3c9d6ef1b0a1c7e7ff0d9d31");
        assertThat(first.labels()).containsEntry("count", "1");
        assertThat(later.labels()).containsEntry("count", "37");
    }

    /** A delegated administrator receives its members' findings on its own bus: the copy is the same event. */
    @Test
    void aFindingUpdateReceivedByTheAdministratorTooIsOneEvent() {
        Alert member = Samples.normalize("guardduty/finding-port-probe.json").get(0);

        Alert delivered = Samples.normalizeCopyReceivedBy("guardduty/finding-port-probe.json", "999999999999", "us-east-1");

        assertThat(delivered.eventId()).isEqualTo(member.eventId()).startsWith("guardduty:");
        assertThat(delivered.fingerprint()).isEqualTo(member.fingerprint());
    }

    /** Archiving is a user's change that may leave updatedAt as it was: it must not pass for a copy of the update. */
    @Test
    void archivingAFindingIsANewEventEvenWithTheSameUpdatedAt() {
        Alert active = Samples.normalize("guardduty/finding-port-probe.json").get(0);
        ObjectNode event = Samples.tree("guardduty/finding-port-probe.json");
        ((ObjectNode) event.path("detail").path("service")).put("archived", true);

        assertThat(Samples.normalizeJson(event.toString()).get(0).eventId()).isNotEqualTo(active.eventId());
    }

    /**
     * A finding is dated by its update, else by when its activity was last seen; else by its envelope, whose epoch
     * time in early GuardDuty events is no time at all, so by its arrival.
     */
    @ParameterizedTest(name = "without {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "none                      | 2018-01-08T00:52:34.750Z",
            "updatedAt                 | 2018-01-08T00:44:46Z",
            "updatedAt, eventLastSeen  | 2026-03-14T12:00:00Z"})
    void datesAFindingByItsUpdateElseByItsActivity(String removed, Instant expected) {
        ObjectNode event = Samples.tree("guardduty/finding-port-probe.json");
        ObjectNode finding = (ObjectNode) event.path("detail");
        List<String> fields = List.of(removed.split(", "));
        finding.remove(fields);
        ((ObjectNode) finding.path("service")).remove(fields);
        assertThat(Samples.normalizeJson(event.toString()).get(0).occurredAt()).isEqualTo(expected);
    }

    @Test
    void archivedFindingsAreResolved() {
        ObjectNode event = Samples.tree("guardduty/finding-port-probe.json");
        ((ObjectNode) event.path("detail").path("service")).put("archived", true);
        assertThat(Samples.normalizeJson(event.toString()).get(0).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void theAccountIsTheFindingsNotTheAccountThatReceivedTheEvent() {
        // Delegated-administrator setups receive member accounts' findings on the administrator's bus.
        Alert alert = Samples.normalize("guardduty/finding-port-probe.json").get(0);
        assertThat(Samples.tree("guardduty/finding-port-probe.json").path("account").asText()).isEqualTo("123");
        assertThat(alert.account()).isEqualTo("726064622671");
    }
}
