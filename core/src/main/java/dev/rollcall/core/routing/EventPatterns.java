package dev.rollcall.core.routing;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The EventBridge event patterns that route events into Rollcall, defined once: the CDK stacks turn them into rules,
 * and local mode matches them with AWS's event-ruler library. Each pattern is plain EventBridge pattern JSON.
 */
public final class EventPatterns {

    /** Source prefix of every event Datadog sends through its EventBridge partner integration. */
    public static final String DATADOG_SOURCE_PREFIX = "aws.partner/datadog.com";

    /**
     * One EventBridge pattern with a stable name (used for rule ids and logs) and a line saying what it selects.
     *
     * @param name        lower-case words joined by '-', unique among {@link #all()}
     * @param description one line, at most 512 characters (an EventBridge rule description's limit)
     * @param patternJson the EventBridge event pattern as JSON
     */
    public record NamedPattern(String name, String description, String patternJson) {

        private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

        public NamedPattern {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(patternJson, "patternJson");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("pattern name '" + name + "' must be lower-case words joined by '-'");
            }
            if (description.isBlank() || description.length() > 512) {
                throw new IllegalArgumentException("pattern " + name + ": description must be 1-512 characters");
            }
            patternJson = patternJson.strip();
        }
    }

    private static final List<NamedPattern> AWS_SOURCES = List.of(
            new NamedPattern("cloudwatch-alarm-state-change",
                    "CloudWatch alarms changing state (ALARM, OK, INSUFFICIENT_DATA)",
                    """
                    {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"]}
                    """),
            new NamedPattern("guardduty-finding",
                    "GuardDuty findings, new and updated",
                    """
                    {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]}
                    """),
            new NamedPattern("health-event",
                    "AWS Health events: service issues, scheduled changes, account notifications and abuse reports",
                    """
                    {"source": ["aws.health"], "detail-type": ["AWS Health Event", "AWS Health Abuse Event"]}
                    """),
            // Every workflow state, SUPPRESSED included: suppressing is how owners close a false positive or an
            // accepted risk, and the normalizer resolves the finding on it. Without that event its episode would
            // stay open and resolve times could not be measured. A suppressed finding never pages (it is resolved).
            // Both formats: Security Hub CSPM sends ASFF ("Imported"), Security Hub sends OCSF ("Imported V2").
            new NamedPattern("securityhub-findings-imported",
                    "Security Hub findings created or updated, ASFF and OCSF, suppressed ones too (suppression resolves a finding)",
                    """
                    {"source": ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported", "Findings Imported V2"]}
                    """),
            new NamedPattern("inspector2-finding",
                    "Amazon Inspector findings, new and updated",
                    """
                    {"source": ["aws.inspector2"], "detail-type": ["Inspector2 Finding"]}
                    """),
            // A stopped task failed when it never started, when an essential container exited non-zero, or when its
            // service stopped it for failed ELB or container health checks (the commonest crash loop behind a load
            // balancer: its containers exit 143 on the scheduler's SIGTERM); tasks stopped by deployments and scale-in
            // (exit 0, no essential-container exit, another reason) are not failures. As EcsTaskStateNormalizer reads them.
            new NamedPattern("ecs-task-failure",
                    "ECS tasks that failed to start, whose essential container exited with a non-zero code, or that their service stopped for failed health checks",
                    """
                    {"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
                     "detail": {"lastStatus": ["STOPPED"],
                                "$or": [{"stopCode": ["TaskFailedToStart"]},
                                        {"stopCode": ["EssentialContainerExited"],
                                         "containers": {"exitCode": [{"anything-but": 0}]}},
                                        {"stopCode": ["ServiceSchedulerInitiated"],
                                         "stoppedReason": [{"wildcard": "Task failed *health checks*"}]}]}}
                    """),
            new NamedPattern("batch-job-failure",
                    "AWS Batch jobs that failed",
                    """
                    {"source": ["aws.batch"], "detail-type": ["Batch Job State Change"], "detail": {"status": ["FAILED"]}}
                    """),
            // Kept as info alerts: failovers and availability changes explain other alerts of the same hour.
            new NamedPattern("rds-availability-event",
                    "RDS instance and cluster events about failures, failovers, availability and low storage",
                    """
                    {"source": ["aws.rds"], "detail-type": ["RDS DB Instance Event", "RDS DB Cluster Event"],
                     "detail": {"EventCategories": ["failure", "failover", "availability", "low storage"]}}
                    """));

    private static final NamedPattern DATADOG_PARTNER = new NamedPattern("datadog-partner-event",
            "Datadog monitor alerts and events from the Datadog EventBridge partner integration",
            """
            {"source": [{"prefix": "%s"}]}
            """.formatted(DATADOG_SOURCE_PREFIX));

    /**
     * Application events their producers put straight on Rollcall's central bus (its policy lets the organization's
     * accounts do so): whatever is put there is meant for Rollcall. Any source but an AWS service's or partner's
     * ({@code aws.}, which EventBridge refuses from anyone but AWS), kept as custom alerts. Member accounts do not
     * forward these: their default buses carry every application event, most of them no alert.
     */
    private static final NamedPattern CENTRAL_BUS_APPLICATION = new NamedPattern("custom-application-event",
            "Application events put on Rollcall's own bus by their producers (any source not starting with aws.), kept as custom alerts",
            """
            {"source": [{"anything-but": {"prefix": "aws."}}]}
            """);

    private static final List<NamedPattern> ALL = Stream.concat(AWS_SOURCES.stream(), Stream.of(DATADOG_PARTNER, CENTRAL_BUS_APPLICATION)).toList();

    private EventPatterns() {
    }

    /** Patterns for events that AWS services put on each account's default bus; member accounts forward these. */
    public static List<NamedPattern> awsSources() {
        return AWS_SOURCES;
    }

    /** The pattern for Datadog partner events, which arrive on the partner event bus of the central account. */
    public static NamedPattern datadogPartner() {
        return DATADOG_PARTNER;
    }

    /** The pattern for application events put on the central bus itself; only a rule there uses it. */
    public static NamedPattern centralBusApplicationEvents() {
        return CENTRAL_BUS_APPLICATION;
    }

    /** Every pattern: {@link #awsSources()}, {@link #datadogPartner()}, then {@link #centralBusApplicationEvents()}. */
    public static List<NamedPattern> all() {
        return ALL;
    }

    /** The pattern called {@code name}; throws when there is none. */
    public static NamedPattern named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event pattern named '" + name + "'"));
    }
}
