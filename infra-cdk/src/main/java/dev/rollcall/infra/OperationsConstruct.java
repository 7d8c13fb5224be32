package dev.rollcall.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * What tells the operators that Rollcall itself is unwell: alarms on dead-letter queues, a backed-up ingest queue,
 * ingestion gone silent, function errors and throttles, webhook and query requests answered with errors, failed
 * aggregation jobs, rollups gone stale and the OpenSearch domain's health, memory, snapshots and storage, all
 * notifying one encrypted SNS topic (with an optional e-mail subscription) when they fire and when they recover.
 */
final class OperationsConstruct extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);

    private final Topic topic;

    OperationsConstruct(Construct scope, String id, CentralSettings settings) {
        super(scope, id);
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Rollcall: encrypts the alarm topic")
                .enableKeyRotation(true)
                // Like the queues and the domain: kept with the data, else not left behind to cost money each month.
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        // CloudWatch publishes alarm notifications to the encrypted topic with the key.
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        this.topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Rollcall alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // enforceSsl gives the topic a policy of its own, which replaces SNS's default one: without this statement
        // CloudWatch may not publish, and no alarm would ever notify anyone.
        Stack stack = Stack.of(this);
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", stack.formatArn(ArnComponents.builder()
                                .service("cloudwatch").resource("alarm").resourceName("*")
                                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))))
                .build());
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        if (settings.alarmEmail().isEmpty()) {
            Annotations.of(this).addWarningV2("rollcall:noAlarmEmail", "No alarmEmail is set: the alarms notify the topic "
                    + "AlarmTopicArn, which has no subscriber until you add one (-c alarmEmail=... or a subscription of your own)");
        }
    }

    Topic topic() {
        return topic;
    }

    /**
     * Alarms when a dead-letter queue holds any message: each one is an event Rollcall failed to take in.
     * {@code remedy} is what the operator does once the cause is gone, which differs per queue.
     */
    void deadLetterQueue(String id, IQueue queue, String remedy) {
        alarm(id, queue.metricApproximateNumberOfMessagesVisible(options("Maximum")), 1,
                "Messages wait in " + id + ": events that could not be delivered or ingested (" + remedy + ")");
    }

    /**
     * Alarms when the ingest queue's oldest message waited {@link #BACKLOG_MINUTES} minutes or more for three periods
     * in a row: the SQS function does not poll or cannot keep up, and the queue keeps a message only a few days. SQS
     * leaves a message received three times out of this metric, so messages that keep failing are the dead-letter
     * queue's alarm, not this one.
     */
    void queueBacklog(String id, IQueue queue) {
        sustained(id, queue.metricApproximateAgeOfOldestMessage(options("Maximum")), BACKLOG_MINUTES * 60, 3,
                "Messages have waited " + BACKLOG_MINUTES + " minutes or more in the ingest queue for 15 "
                        + "minutes: the SQS ingest function does not poll it (disabled, no concurrency left) or cannot keep "
                        + "up (OpenSearch pushing back: see BulkRetries and the domain's CPU on the dashboard)");
    }

    /**
     * Alarms when the ingest functions received no event for {@code hours} hours in a row: member stacks no longer
     * forward (a changed organization, a renamed bus), the rules or the queue are broken. No data counts as silence.
     */
    void ingestionSilent(IMetric eventsReceived, int hours) {
        absentFor("IngestionSilent", eventsReceived, hours, "Rollcall received no event for " + hours + " hours (ingestionSilentAfterHours): check the "
                        + "member stacks' ForwardingFailures alarms and dead-letter queues, the central bus's rules and the "
                        + "webhook senders. A new stack is in alarm until its first event; set ingestionSilentAfterHours=0 "
                        + "to turn this alarm off for an organization that can be quiet that long");
    }

    /** Alarms on any error or throttle of the function. */
    void function(String id, JavaFunction function) {
        function(id, function, null);
    }

    /**
     * Alarms when Lambda could not hand a failed asynchronous invocation to its on-failure destination: the event is
     * then lost, and nothing else counts it.
     */
    void destinationDeliveryFailures(String id, JavaFunction function) {
        alarm(id + "DestinationFailures", function.function().metric("DestinationDeliveryFailures", options("Sum")), 1,
                "Rollcall function " + id + " could not park failed events in their dead-letter queue: those events are "
                        + "lost. Check the queue exists, its policy and encryption let the function's role send, and its "
                        + "message size limit; the function's \"event not ingested\" lines name each event");
    }

    /**
     * Alarms on any error or throttle of the function; {@code throttled} says what a throttle means for a function
     * with reserved concurrency (null for one without). Such a function is throttled on purpose in a burst, so its
     * throttle alarm waits for three periods in a row.
     */
    void function(String id, JavaFunction function, String throttled) {
        function(id, function, throttled, "Rollcall function " + id + " reported errors");
    }

    /** As {@link #function(String, JavaFunction, String)}, with what an error of this function means. */
    void function(String id, JavaFunction function, String throttled, String errors) {
        alarm(id + "Errors", function.function().metricErrors(options("Sum")), 1, errors);
        String description = "Rollcall function " + id + " was throttled";
        if (throttled == null) {
            alarm(id + "Throttles", function.function().metricThrottles(options("Sum")), 1, description);
            return;
        }
        sustained(id + "Throttles", function.function().metricThrottles(options("Sum")), 1, 3,
                description + " for 15 minutes in a row (" + throttled + ")");
    }

    /**
     * Alarms on query requests the API answered with a 5xx for two periods in a row: the query function fails, or
     * OpenSearch or Batch refuse it (a 502 or 503, which is an answer, not a function error).
     */
    void queryRoute(ApiConstruct api) {
        sustained("QueryFailed", api.routeMetric(ApiConstruct.QUERY_ROUTE_KEY, ApiConstruct.RouteAnswers.SERVER_ERRORS, options("Sum")), 1, 2,
                "Query API requests were answered with a 5xx for 10 minutes (502: OpenSearch refused the "
                        + "query function, e.g. its role is not mapped; 503: OpenSearch or AWS Batch unreachable or slow; 500: "
                        + "the function failed): see the query function's log by request id");
        // A fault that only some requests meet (a bug behind one parameter) never lasts two periods, and the
        // function answers it with a 500 rather than failing, so Lambda's error count never sees it either.
        alarm("QueryInternalErrors", api.routeMetric(ApiConstruct.QUERY_ROUTE_KEY, ApiConstruct.RouteAnswers.INTERNAL_ERRORS, options("Sum")), 1,
                "The query API answered 500: a fault no input should cause. The query function's \"request failed "
                        + "unexpectedly\" line, found by the answer's request id (the access log's requestId leads to it "
                        + "as api_request_id), has the stack trace");
    }

    /**
     * Alarms on webhook deliveries the API answered with an error. Neither kind is a function error: a 4xx is a
     * delivery refused (most senders do not retry it, so its alerts are lost), a 5xx one the sender should retry.
     */
    void webhookRoute(ApiConstruct api, CentralSettings.WebhookLimits limits) {
        // The route takes unauthenticated POSTs: a stray one (a scanner, a wrong source name) must not page anyone,
        // while a sender whose secret no longer matches is refused on every delivery and soon passes five.
        alarm("WebhookRejected", api.routeMetric(ApiConstruct.WEBHOOK_ROUTE_KEY, ApiConstruct.RouteAnswers.CLIENT_ERRORS, options("Sum")), WEBHOOK_REJECTIONS,
                "At least " + WEBHOOK_REJECTIONS + " webhook deliveries in 5 minutes were rejected with a 4xx (401: the sender's token or signature does not match its entry "
                        + "in the webhook secret; 400: no JSON; 413: too large; 429: over webhookRateLimit="
                        + limits.rateLimit() + "/webhookBurstLimit=" + limits.burstLimit() + "). Find them in the API's access "
                        + "log by path (it names the source) and status; the webhook function's \"webhook answered\" lines say "
                        + "why. Then fix the sender's secret or raise the limits; most senders do not "
                        + "retry these, so their alerts are lost");
        alarm("WebhookFailed", api.routeMetric(ApiConstruct.WEBHOOK_ROUTE_KEY, ApiConstruct.RouteAnswers.SERVER_ERRORS, options("Sum")), 1,
                "Webhook deliveries failed with a 5xx (503: the secret store or the ingest queue was unavailable or slow; "
                        + "500: the webhook function failed or was throttled " + (limits.reservedConcurrency() == 0
                        ? "with the account's concurrency used up" : "at webhookReservedConcurrency=" + limits.reservedConcurrency())
                        + "). Senders that retry deliver them later: see the access log and "
                        + "the webhook function's log for the cause");
    }

    /**
     * Alarms on the first webhook delivery whose credentials were refused: the sender is set up, but with a secret
     * (or for a source) the webhook secret does not hold, and most senders do not retry a 401.
     */
    void webhookCredentials(IMetric refused) {
        alarm("WebhookCredentialsRefused", refused, 1, "A webhook delivery presented credentials that were refused: a "
                + "sender set up with a secret the webhook secret does not hold (rotated on one side only; Sentry's or "
                + "PagerDuty's entry not set), or a Grafana signature timestamp off by more than 5 minutes. Its alerts are "
                + "lost (most senders do not retry a 401). The webhook function's \"webhook rejected\" lines with "
                + "rejection=credentials_refused name the source and path; fix the sender's or the secret's value");
    }

    /** Alarms when the rule that matches failed aggregation jobs fired. */
    void jobFailures(PatternRule failureRule) {
        alarm("AggregationJobFailures", failureRule.metric("TriggeredRules"), 1,
                "A Rollcall aggregation job failed after its retries (see the job queue in AWS Batch)");
    }

    /**
     * Alarms when EventBridge gave up delivering an event of one of {@code rules} and could not park it in the rule's
     * dead-letter queue either: the event is lost, and the queue's own alarm never sees it.
     */
    void lostRuleEvents(List<PatternRule> rules) {
        List<IMetric> sums = PatternRule.lostEvents(rules);
        for (int i = 0; i < sums.size(); i++) {
            alarm(PatternRule.lostEventsAlarmId("RuleEventsLost", i), sums.get(i), 1, LOST_RULE_EVENTS);
        }
    }

    /** What a rule's failed dead-letter send means and where to look, for the central and the member stacks. */
    static final String LOST_RULE_EVENTS = "EventBridge could neither deliver some events of Rollcall's rules nor put "
            + "them in the rules' dead-letter queue: they are lost. Check that the queue exists, that its policy lets "
            + "events.amazonaws.com send for the rule and its encryption lets EventBridge use the key; "
            + "AWS/Events InvocationsFailedToBeSentToDlq by RuleName names the rule, FailedInvocations why delivery failed";

    /** Hours an hourly run's watermark trails the clock by design, as {@code /v1/health} allows (its TRAIL_BY_DESIGN). */
    static final int TRAIL_BY_DESIGN_HOURS = 2;

    /**
     * Alarms when no run moved the watermark for {@code hours} hours in a row: the hourly runs fail, wait on a lease or
     * do not start, and the rollups the API serves fall behind. No data (no job log at all: jobs stuck waiting for
     * compute) counts as stale, so a new stack is in alarm until its first hourly run ends, as dead man's switches are.
     */
    void rollupsStale(IMetric watermarkMoves, int hours) {
        absentFor("RollupsStale", watermarkMoves, hours, "No Rollcall aggregation run moved the watermark for " + hours + " hours: the rollups are "
                        + "going stale (see the job queue in AWS Batch and the job log group)");
    }

    /**
     * Alarms when, within an hour, every run that moved the watermark left it trailing the clock by more than the
     * stale limit ({@code hours}) plus the {@value #TRAIL_BY_DESIGN_HOURS} hours an hourly run trails it by (its settle
     * delay and the hour in progress): the runs move but fall behind, which {@code /v1/health} calls stale at once.
     * No data (no run moved it) is {@link #rollupsStale}'s to report.
     */
    void rollupsBehind(IMetric computedUntilLag, int hours) {
        int limitHours = hours + TRAIL_BY_DESIGN_HOURS;
        notifying(Alarm.Builder.create(this, "RollupsBehind")
                .metric(computedUntilLag)
                .threshold(limitHours * 3600)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription("Rollcall's aggregation runs moved the watermark but left the rollups more "
                        + "than " + limitHours + " hours behind the clock: they are catching up after an outage or each run "
                        + "is capped (ROLLCALL_JOB_MAX_WINDOW). See the job log's done lines (computed_until_lag_s, "
                        + "elapsed_ms) and the job queue in AWS Batch; the API serves rollups that stale meanwhile"));
    }

    /**
     * Alarms on a red cluster (yellow too when there are replicas to assign), blocked writes, JVM memory pressure,
     * failed automated snapshots and free storage under a quarter of the volume: the alarms AWS recommends for a
     * domain, less those of dedicated master nodes.
     */
    void searchDomain(SearchDomain search, CentralSettings.OpenSearchSizing size) {
        alarm("OpenSearchClusterRed", search.domain().metricClusterStatusRed(minute("Maximum")), 1,
                "The OpenSearch domain is red: at least one primary shard is unassigned");
        alarm("OpenSearchWritesBlocked", search.domain().metricClusterIndexWritesBlocked(minute("Maximum")), 1,
                "The OpenSearch domain blocks writes (storage or memory pressure): ingestion is failing");
        if (size.indexReplicas() > 0) {
            alarm("OpenSearchClusterYellow", search.domain().metricClusterStatusYellow(minute("Maximum")), 1,
                    "The OpenSearch domain is yellow: a replica shard is unassigned, so losing a node loses data");
        }
        alarm("OpenSearchSnapshotFailed", search.domain().metric("AutomatedSnapshotFailure", minute("Maximum")), 1,
                "An automated snapshot of the OpenSearch domain failed: the domain cannot be restored to the last hour");
        sustained("OpenSearchJvmPressure", search.domain().metricJVMMemoryPressure(minute("Maximum")), 95, 3,
                "OpenSearch's JVM memory pressure stayed at 95 % or more for 3 minutes: requests fail with "
                        + "circuit breaker errors and writes may be blocked; use a larger openSearchInstanceType");
        notifying(Alarm.Builder.create(this, "OpenSearchFreeStorage")
                .metric(search.domain().metricFreeStorageSpace(options("Minimum")))
                .threshold(size.volumeGb() * 1024 / 4)
                .comparisonOperator(ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.BREACHING)
                .alarmDescription("Less than a quarter of the OpenSearch volume is free (MiB). First check that monthly "
                        + "event indices past eventsRetentionDays + 32 days are gone: if not, the retention sweep failed on "
                        + "them (GET _plugins/_ism/explain/<prefix>-events-*, then POST _plugins/_ism/retry/<index>). "
                        + "Otherwise raise openSearchVolumeGb or lower eventsRetentionDays"));
    }

    /** Refused webhook deliveries in 5 minutes that raise the alarm. */
    static final int WEBHOOK_REJECTIONS = 5;
    /** Minutes the ingest queue's oldest message may wait before it counts as backed up. */
    static final int BACKLOG_MINUTES = 15;

    private void alarm(String id, IMetric metric, double threshold, String description) {
        sustained(id, metric, threshold, 1, description);
    }

    /** Alarms when {@code metric} is at or above {@code threshold} for {@code periods} periods in a row. */
    private void sustained(String id, IMetric metric, double threshold, int periods, String description) {
        notifying(Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description));
    }

    /**
     * Alarms when {@code metric}, an hourly sum, stayed under 1 for {@code hours} hours in a row. No data counts as
     * none: what it watches for is something that stopped.
     */
    private void absentFor(String id, IMetric metric, int hours, String description) {
        notifying(Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .evaluationPeriods(hours)
                .datapointsToAlarm(hours)
                .treatMissingData(TreatMissingData.BREACHING)
                .alarmDescription(description));
    }

    /** Builds the alarm and notifies the topic when it fires and when it recovers, so nobody chases a cleared one. */
    private void notifying(Alarm.Builder alarm) {
        Alarm built = alarm.build();
        SnsAction action = new SnsAction(topic);
        built.addAlarmAction(action);
        built.addOkAction(action);
    }

    private static MetricOptions minute(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(Duration.minutes(1)).build();
    }

    private static MetricOptions options(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
    }
}
