package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;

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

class HealthEventNormalizerTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                // As published: still open, though its latest description already reads "Operating normally".
                row("health/issue-open-user-guide.json", """
                    [
                      {
                        "event_id": "health:319f912933f01516bea22685e3fa32d4a0f545adce27a4c430492cf51321265f",
                        "occurred_at": "2023-01-27T09:01:22Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "af-south-1",
                        "name": "AWS_EC2_OPERATIONAL_ISSUE",
                        "title": "Current severity level: Operating normally",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:af-south-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "aws_service": "EC2",
                          "end_time": "Fri, 27 Jan 2023 09:01:22 GMT",
                          "event_arn": "arn:aws:health:af-south-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                          "event_scope": "PUBLIC",
                          "event_type_category": "issue",
                          "event_type_code": "AWS_EC2_OPERATIONAL_ISSUE",
                          "page": "1",
                          "start_time": "Fri, 27 Jan 2023 06:02:51 GMT",
                          "status_code": "open",
                          "total_pages": "1"
                        }
                      }
                    ]
                    """),
                // A scheduled change in its window (open) fires; upcoming ones are information (below).
                row("health/scheduled-change-ec2-retirement.json", """
                    [
                      {
                        "event_id": "health:f17d72f6e686399dd73503ec5d2478d8797660f038749403d50c3e4ae885a1d8",
                        "occurred_at": "2026-01-27T13:44:13Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                        "title": "A description of the event will be provided here",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:us-east-1::event/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED_90353408594353983",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "affected_entities": "arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0",
                          "aws_service": "EC2",
                          "event_arn": "arn:aws:health:us-east-1::event/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED_90353408594353983",
                          "event_scope": "ACCOUNT_SPECIFIC",
                          "event_type_category": "scheduledChange",
                          "event_type_code": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                          "page": "1",
                          "start_time": "Thu, 27 Aug 2026 13:19:03 GMT",
                          "status_code": "open",
                          "total_pages": "1"
                        }
                      }
                    ]
                    """),
                row("health/account-notification.json", """
                    [
                      {
                        "event_id": "health:d336057e73f50c8ee096d0039b2e62b7479555d96ebe3d9c544d6c31d2479825",
                        "occurred_at": "2024-02-05T16:02:55Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "global",
                        "name": "AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT",
                        "title": "We are contacting you because you have one or more Lambda functions using the Python 3.8 runtime, which reaches end of support on October 14, 2024.",
                        "state": "firing",
                        "severity": "low",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:global::event/LAMBDA/AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT/AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT_0b1c2d3e",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "affected_entities": "arn:aws:lambda:us-east-1:123456789012:function:nightly-report",
                          "aws_service": "LAMBDA",
                          "event_arn": "arn:aws:health:global::event/LAMBDA/AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT/AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT_0b1c2d3e",
                          "event_scope": "ACCOUNT_SPECIFIC",
                          "event_type_category": "accountNotification",
                          "event_type_code": "AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT",
                          "start_time": "Mon, 05 Feb 2024 16:00:00 GMT",
                          "status_code": "open"
                        }
                      }
                    ]
                    """),
                row("health/issue-closed.json", """
                    [
                      {
                        "event_id": "health:1362b107b54af3e79914b951a932aa3556df568393bbafcfd8832c7dd99749ea",
                        "occurred_at": "2023-01-27T01:43:21Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "us-west-2",
                        "name": "AWS_EC2_OPERATIONAL_ISSUE",
                        "title": "Current severity level: Operating normally",
                        "state": "resolved",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:us-west-2::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "aws_service": "EC2",
                          "end_time": "Fri, 27 Jan 2023 01:43:00 GMT",
                          "event_arn": "arn:aws:health:us-west-2::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                          "event_scope": "PUBLIC",
                          "event_type_category": "issue",
                          "event_type_code": "AWS_EC2_OPERATIONAL_ISSUE",
                          "page": "1",
                          "start_time": "Fri, 27 Jan 2023 01:05:00 GMT",
                          "status_code": "closed",
                          "total_pages": "1"
                        }
                      }
                    ]
                    """),
                row("health/issue-ec2-instance-store-degraded.json", """
                    [
                      {
                        "event_id": "7bf73129-1428-4cd3-a780-95db273d1602",
                        "occurred_at": "2016-06-05T15:10:09Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "us-west-2",
                        "environment": "prod",
                        "service": "my-app",
                        "name": "AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED",
                        "title": "A description of the event will be provided here",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:us-west-2::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_90353408594353980",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "affected_entities": "i-abcd1111",
                          "app": "my-app",
                          "aws_service": "EC2",
                          "event_arn": "arn:aws:health:us-west-2::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_90353408594353980",
                          "event_type_category": "issue",
                          "event_type_code": "AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED",
                          "stage": "prod",
                          "start_time": "Sat, 05 Jun 2016 15:10:09 GMT"
                        }
                      }
                    ]
                    """),
                row("health/issue-open.json", """
                    [
                      {
                        "event_id": "health:0aeac5f725e0c68535656bc472938e0a9de297dbc55c9049174b468370d997de",
                        "occurred_at": "2023-01-27T01:11:04Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "123456789012",
                        "region": "us-west-2",
                        "name": "AWS_EC2_OPERATIONAL_ISSUE",
                        "title": "Current severity level: Degraded",
                        "state": "firing",
                        "severity": "high",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:123456789012|arn:aws:health:us-west-2::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "aws_service": "EC2",
                          "event_arn": "arn:aws:health:us-west-2::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f",
                          "event_scope": "PUBLIC",
                          "event_type_category": "issue",
                          "event_type_code": "AWS_EC2_OPERATIONAL_ISSUE",
                          "page": "1",
                          "start_time": "Fri, 27 Jan 2023 01:05:00 GMT",
                          "status_code": "open",
                          "total_pages": "1"
                        }
                      }
                    ]
                    """),
                row("health/scheduled-change-upcoming-org-view.json", """
                    [
                      {
                        "event_id": "health:980d02ac515f87694787a8d3dfdbad53ec02269765128ca899153b3249a57b6d",
                        "occurred_at": "2023-08-29T03:13:27Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "health",
                        "account": "444455556666",
                        "region": "us-east-1",
                        "environment": "prod",
                        "service": "search-indexer",
                        "name": "AWS_EC2_MAINTENANCE_SCHEDULED",
                        "title": "EC2 has detected degradation of the underlying hardware hosting your Amazon EC2 instance associated with this event in the us-east-1 region. Due to this degradation, your instance could already be unreachable. We will stop your instance after 2023-09-05 03:30:00 UTC.",
                        "state": "info",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "health:444455556666|arn:aws:health:us-east-1::event/EC2/PLANNED_LIFECYCLE_EVENT/AWS_EC2_MAINTENANCE_SCHEDULED_1693278720289",
                        "fingerprint_fields": [
                          "account",
                          "event_arn"
                        ],
                        "labels": {
                          "affected_entities": "i-0c57b8b0b3c1e8d2f",
                          "aws_service": "EC2",
                          "end_time": "Tue, 05 Sep 2023 05:30:00 GMT",
                          "env": "prod",
                          "event_arn": "arn:aws:health:us-east-1::event/EC2/PLANNED_LIFECYCLE_EVENT/AWS_EC2_MAINTENANCE_SCHEDULED_1693278720289",
                          "event_scope": "ACCOUNT_SPECIFIC",
                          "event_type_category": "scheduledChange",
                          "event_type_code": "AWS_EC2_MAINTENANCE_SCHEDULED",
                          "page": "1",
                          "service": "search-indexer",
                          "start_time": "Tue, 05 Sep 2023 03:30:00 GMT",
                          "status_code": "upcoming",
                          "total_pages": "1"
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

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(nullValues = "none", value = {
            "open, issue, FIRING", "closed, issue, RESOLVED", "upcoming, scheduledChange, INFO",
            "open, scheduledChange, FIRING", "closed, accountNotification, RESOLVED",
            "none, issue, FIRING", "none, scheduledChange, INFO", "none, accountNotification, INFO"})
    void mapsStatusCodes(String statusCode, String category, AlertState expected) {
        assertThat(HealthEventNormalizer.state(statusCode, category)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(nullValues = "none", value = {"issue, HIGH", "investigation, MEDIUM", "scheduledChange, MEDIUM", "accountNotification, LOW",
            "other, INFO", "none, INFO"})
    void mapsCategoriesToSeverity(String category, Severity expected) {
        assertThat(HealthEventNormalizer.severity(category)).isEqualTo(expected);
    }

    /**
     * A public event (an EC2 issue in a Region) has one event ARN in every account it affects, and no account in it:
     * each account's episode is an alert of its own, as DESIGN's fingerprint (source + account + ...) says.
     */
    @Test
    void aPublicEventInTwoAccountsIsTwoAlerts() {
        Alert first = Samples.normalize("health/issue-open.json").get(0);
        ObjectNode other = Samples.tree("health/issue-open.json");
        other.put("id", "another-eventbridge-id").put("account", "210987654321");
        ((ObjectNode) other.path("detail")).put("affectedAccount", "210987654321");

        Alert second = Samples.normalizeJson(other.toString()).get(0);

        assertThat(second.account()).isEqualTo("210987654321");
        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint()).endsWith(first.labels().get("event_arn"));
        assertThat(second.fingerprintFields()).containsExactly("account", "event_arn");
    }

    /**
     * AWS Health sends a public event to the affected Region and to the backup Region (us-west-2) at once, and an
     * organizational view sends the management account a copy too: each copy has an EventBridge id of its own, and
     * by it each paged again. One update of one event for one account is one document; the next update is another.
     */
    @Test
    void copiesOfOneUpdateAreOneDocumentAndTheNextUpdateAnother() {
        Alert primary = Samples.normalize("health/issue-open.json").get(0);
        Alert backupRegion = Samples.normalizeCopyReceivedBy("health/issue-open.json", "123456789012", "us-west-2");
        Alert managementCopy = Samples.normalizeCopyReceivedBy("health/issue-open.json", "999988887777", "us-east-1");
        ObjectNode later = Samples.tree("health/issue-open.json");
        later.put("id", "3c1d8a2e-5555-6666-7777-888899990000");
        ((ObjectNode) later.path("detail")).put("lastUpdatedTime", "Fri, 27 Jan 2023 02:11:04 GMT");
        Alert update = Samples.normalizeJson(later.toString()).get(0);

        assertThat(backupRegion.eventId()).isEqualTo(primary.eventId()).startsWith("health:");
        assertThat(managementCopy.eventId()).as("the affected account names the copy's account").isEqualTo(primary.eventId());
        assertThat(update.eventId()).isNotEqualTo(primary.eventId());
        assertThat(update.fingerprint()).isEqualTo(primary.fingerprint());
    }

    @Test
    void anIssueOpenedAndClosedIsOneAlertInTwoDocuments() {
        Alert open = Samples.normalize("health/issue-open.json").get(0);
        Alert closed = Samples.normalize("health/issue-closed.json").get(0);
        assertThat(closed.eventId()).isNotEqualTo(open.eventId());
        assertThat(closed.fingerprint()).isEqualTo(open.fingerprint())
                .isEqualTo("health:123456789012|arn:aws:health:us-west-2::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_7f35c8ae-af1f-54e6-a526-d0179ed6d68f");
    }

    /**
     * Health splits one update whose affected entities exceed 256 KB into several events with the same event ARN,
     * {@code page} "1", "2", ... of {@code totalPages} (AWS Health User Guide, "Pagination of AWS Health events"). Only
     * the first page counts as the transition; later pages carry more entities, not a new state.
     */
    @ParameterizedTest(name = "page {0} of {1}, {2}: {3}")
    @CsvSource(nullValues = "none", value = {
            "1, 3, open, FIRING", "2, 3, open, INFO", "3, 3, open, INFO",
            "1, 2, closed, RESOLVED", "2, 2, closed, INFO", "none, none, open, FIRING"})
    void onlyTheFirstPageOfAPaginatedEventChangesState(String page, String totalPages, String status, AlertState expected) {
        ObjectNode event = Samples.tree("health/issue-open.json");
        ObjectNode detail = (ObjectNode) event.path("detail");
        detail.put("statusCode", status);
        if (page == null) {
            detail.remove(List.of("page", "totalPages"));
        } else {
            detail.put("page", page).put("totalPages", totalPages);
        }
        Alert alert = Samples.normalizeJson(event.toString()).get(0);
        assertThat(alert.state()).isEqualTo(expected);
        assertThat(alert.fingerprint()).isEqualTo(Samples.normalize("health/issue-open.json").get(0).fingerprint());
        if (page != null) {
            assertThat(alert.labels()).containsEntry("page", page).containsEntry("total_pages", totalPages);
        }
    }

    /**
     * An event without {@code eventRegion} (older events, as in the aws-health-tools sample) is placed by its ARN,
     * which names the Region it affects or "global", not by the envelope's Region, which is only where the copy was
     * delivered (the backup Region, the management account's).
     */
    @ParameterizedTest(name = "{0} delivered in {1}: {2}")
    @CsvSource(nullValues = "none", value = {
            "health/issue-open.json, us-east-1, us-west-2",
            "health/account-notification.json, us-west-2, global",
            "health/scheduled-change-ec2-retirement.json, eu-west-1, us-east-1"})
    void anEventWithoutEventRegionIsPlacedByItsArn(String sample, String deliveredIn, String expected) {
        ObjectNode event = Samples.tree(sample);
        event.put("region", deliveredIn);
        ((ObjectNode) event.path("detail")).remove("eventRegion");
        assertThat(Samples.normalizeJson(event.toString()).get(0).region()).isEqualTo(expected);
    }

    @Test
    void anEventWithNeitherEventRegionNorArnIsPlacedWhereItWasDelivered() {
        ObjectNode event = Samples.tree("health/issue-open.json");
        event.put("region", "eu-west-1");
        ((ObjectNode) event.path("detail")).remove(List.of("eventRegion", "eventArn"));
        assertThat(Samples.normalizeJson(event.toString()).get(0).region()).isEqualTo("eu-west-1");
    }

    /** An event without {@code eventTypeCategory} is still stored (as information), not refused for lack of a severity. */
    @Test
    void anEventWithoutACategoryIsStoredAsInformation() {
        ObjectNode event = Samples.tree("health/scheduled-change-ec2-retirement.json");
        ((ObjectNode) event.path("detail")).remove("eventTypeCategory");
        Alert alert = Samples.normalizeJson(event.toString()).get(0);
        assertThat(alert.source()).isEqualTo("health");
        assertThat(alert.severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void abuseEventsAreHighSeverity() {
        ObjectNode event = Samples.tree("health/account-notification.json");
        event.put("detail-type", "AWS Health Abuse Event");
        assertThat(Samples.normalizeJson(event.toString()).get(0).severity()).isEqualTo(Severity.HIGH);
    }
}
