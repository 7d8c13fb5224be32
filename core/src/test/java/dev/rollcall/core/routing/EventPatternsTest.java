package dev.rollcall.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.event.ruler.Machine;

import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/** Every shared pattern, matched by EventBridge's own event-ruler against minimal real-shaped events. */
class EventPatternsTest {

    /** One minimal event of each pattern's kind: it must match that pattern and no other. */
    private static final Map<String, String> MATCHING = Map.of(
            "cloudwatch-alarm-state-change", event("aws.cloudwatch", "CloudWatch Alarm State Change",
                    """
                    {"alarmName": "api-5xx", "state": {"value": "ALARM"}, "previousState": {"value": "OK"}}"""),
            "guardduty-finding", event("aws.guardduty", "GuardDuty Finding",
                    """
                    {"id": "f1", "type": "Recon:EC2/PortProbeUnprotectedPort", "severity": 2}"""),
            "health-event", event("aws.health", "AWS Health Event",
                    """
                    {"service": "EC2", "eventTypeCategory": "issue", "statusCode": "open"}"""),
            "securityhub-findings-imported", event("aws.securityhub", "Security Hub Findings - Imported",
                    """
                    {"findings": [{"Id": "f1", "Severity": {"Label": "HIGH"}, "Workflow": {"Status": "NEW"}}]}"""),
            "inspector2-finding", event("aws.inspector2", "Inspector2 Finding",
                    """
                    {"findingArn": "arn:aws:inspector2:eu-west-1:111122223333:finding/f1", "severity": "HIGH"}"""),
            "ecs-task-failure", event("aws.ecs", "ECS Task State Change",
                    """
                    {"lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                     "containers": [{"name": "app", "exitCode": 137}, {"name": "sidecar", "exitCode": 0}]}"""),
            "batch-job-failure", event("aws.batch", "Batch Job State Change",
                    """
                    {"jobName": "nightly", "status": "FAILED", "statusReason": "Essential container in task exited"}"""),
            "rds-availability-event", event("aws.rds", "RDS DB Instance Event",
                    """
                    {"EventCategories": ["failover"], "SourceIdentifier": "orders-db", "Message": "Multi-AZ failover started"}"""),
            "datadog-partner-event", event("aws.partner/datadog.com/acme-prod/monitors", "Datadog Alert Notification",
                    """
                    {"alert_type": "error", "title": "[Triggered] p99 latency"}"""),
            "custom-application-event", event("com.acme.checkout", "Payment provider unreachable",
                    """
                    {"status": "firing", "service": "checkout"}"""));

    /** Events of the same services that are not alerts: no pattern may take them. */
    private static final List<String> UNRELATED = List.of(
            event("aws.ec2", "EC2 Instance State-change Notification", """
                    {"instance-id": "i-1", "state": "running"}"""),
            event("aws.cloudwatch", "CloudWatch Alarm Configuration Change", """
                    {"alarmName": "api-5xx", "operation": "update"}"""),
            event("aws.ecs", "ECS Task State Change", """
                    {"lastStatus": "STOPPED", "stopCode": "EssentialContainerExited", "containers": [{"name": "app", "exitCode": 0}]}"""),
            event("aws.ecs", "ECS Task State Change", """
                    {"lastStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated", "containers": [{"name": "app", "exitCode": 143}]}"""),
            event("aws.ecs", "ECS Task State Change", """
                    {"lastStatus": "RUNNING", "containers": [{"name": "app"}]}"""),
            event("aws.batch", "Batch Job State Change", """
                    {"jobName": "nightly", "status": "SUCCEEDED"}"""),
            event("aws.rds", "RDS DB Instance Event", """
                    {"EventCategories": ["backup"], "SourceIdentifier": "orders-db"}"""),
            event("aws.partner/pagerduty.com/acme", "PagerDuty Incident", """
                    {"incident": {"id": "P1"}}"""));

    private static Machine machine;

    @BeforeAll
    static void loadAllPatterns() throws Exception {
        machine = Machine.builder().build();
        for (NamedPattern pattern : EventPatterns.all()) {
            machine.addRule(pattern.name(), pattern.patternJson());
        }
    }

    static List<NamedPattern> patterns() {
        return EventPatterns.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void eachPatternTakesItsOwnKindOfEventAndNoOther(NamedPattern pattern) {
        String sample = MATCHING.get(pattern.name());
        assertThat(sample).as("a sample event for %s", pattern.name()).isNotNull();

        assertThat(matches(sample)).containsExactly(pattern.name());
    }

    @Test
    void eventsThatAreNotAlertsMatchNothing() {
        for (String event : UNRELATED) {
            assertThat(matches(event)).as(event).isEmpty();
        }
    }

    @Test
    void ecsTaskThatNeverStartedIsAFailure() {
        String neverStarted = event("aws.ecs", "ECS Task State Change", """
                {"lastStatus": "STOPPED", "stopCode": "TaskFailedToStart", "stoppedReason": "CannotPullContainerError"}""");

        assertThat(matches(neverStarted)).containsExactly("ecs-task-failure");
    }

    /**
     * A task its service stopped for failed health checks is a failure to EcsTaskStateNormalizer, so it must be routed
     * to it: a service crash-looping behind a load balancer showed no alert at all. A deployment's stop of the same code
     * is not a failure.
     */
    @Test
    void ecsTaskStoppedForFailedHealthChecksIsAFailureAndADeploymentsStopIsNot() {
        for (String reason : List.of("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1)",
                "Task failed container health checks")) {
            String killed = event("aws.ecs", "ECS Task State Change", """
                    {"lastStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated", "stoppedReason": "%s",
                     "containers": [{"name": "app", "exitCode": 143}]}""".formatted(reason));
            assertThat(matches(killed)).as(reason).containsExactly("ecs-task-failure");
        }
        String deployment = event("aws.ecs", "ECS Task State Change", """
                {"lastStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated",
                 "stoppedReason": "Scaling activity initiated by (deployment ecs-svc/1234567890)", "containers": [{"name": "app", "exitCode": 143}]}""");
        assertThat(matches(deployment)).isEmpty();
    }

    /** Abuse reports (a compromised key, an instance sending spam) come as their own detail type and page. */
    @Test
    void healthAbuseEventsAreRouted() {
        String abuse = event("aws.health", "AWS Health Abuse Event", """
                {"service": "ABUSE", "eventTypeCode": "AWS_ABUSE_DOS_REPORT", "eventTypeCategory": "issue"}""");

        assertThat(matches(abuse)).containsExactly("health-event");
    }

    /** Suppressing a finding is how its owner closes it (false positive, accepted risk): that resolution must arrive. */
    @Test
    void suppressedSecurityHubFindingsAreRouted() {
        String suppressed = event("aws.securityhub", "Security Hub Findings - Imported", """
                {"findings": [{"Id": "f2", "Severity": {"Label": "LOW"}, "Workflow": {"Status": "SUPPRESSED"}}]}""");

        assertThat(matches(suppressed)).containsExactly("securityhub-findings-imported");
    }

    /** Security Hub (OCSF) sends "Findings Imported V2"; Security Hub CSPM keeps sending ASFF: both are routed. */
    @Test
    void securityHubOcsfFindingsAreRouted() {
        String v2 = event("aws.securityhub", "Findings Imported V2", """
                {"findings": [{"finding_info": {"uid": "f3"}, "severity_id": 4, "status": "New"}]}""");

        assertThat(matches(v2)).containsExactly("securityhub-findings-imported");
    }

    @Test
    void namesAreUniqueAndTheListsAgree() {
        Set<String> names = new HashSet<>();
        EventPatterns.all().forEach(p -> assertThat(names.add(p.name())).as("duplicate name %s", p.name()).isTrue());

        assertThat(EventPatterns.all()).containsAll(EventPatterns.awsSources()).contains(EventPatterns.datadogPartner())
                .contains(EventPatterns.centralBusApplicationEvents()).hasSize(EventPatterns.awsSources().size() + 2);
        // Member accounts forward AWS services' events only, never every application event of their default bus.
        assertThat(EventPatterns.awsSources()).doesNotContain(EventPatterns.centralBusApplicationEvents());
        assertThat(EventPatterns.awsSources()).noneMatch(p -> p.patternJson().contains("aws.partner/"));
        assertThat(EventPatterns.named("health-event").patternJson()).contains("aws.health");
        assertThatThrownBy(() -> EventPatterns.named("nope")).hasMessageContaining("nope");
    }

    @Test
    void patternNamesMustBeRuleFriendly() {
        assertThatThrownBy(() -> new NamedPattern("Bad Name", "x", "{}")).hasMessageContaining("Bad Name");
    }

    /** The rules that match {@code event}, with event-ruler's array-consistent matching (the stricter mode). */
    private static List<String> matches(String event) {
        try {
            return machine.rulesForJSONEvent(event);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an event: " + event, e);
        }
    }

    private static String event(String source, String detailType, String detail) {
        return """
                {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "%s", "source": "%s",
                 "account": "111122223333", "time": "2026-11-02T13:04:05Z", "region": "eu-west-1", "resources": [],
                 "detail": %s}""".formatted(detailType, source, detail);
    }
}
