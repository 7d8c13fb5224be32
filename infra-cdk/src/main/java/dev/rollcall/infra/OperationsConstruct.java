package dev.rollcall.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
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
 * What tells the operators that Rollcall itself is unwell: alarms on dead-letter queues, function errors and
 * throttles, webhook deliveries answered with errors, failed aggregation jobs, rollups gone stale and the OpenSearch
 * domain's health and storage, all notifying one encrypted SNS topic (with an optional e-mail subscription).
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

    /** Alarms on any error or throttle of the function. */
    void function(String id, JavaFunction function) {
        function(id, function, null);
    }

    /**
     * Alarms on any error or throttle of the function; {@code throttled} says what a throttle means for a function
     * with reserved concurrency (null for one without).
     */
    void function(String id, JavaFunction function, String throttled) {
        alarm(id + "Errors", function.function().metricErrors(options("Sum")), 1,
                "Rollcall function " + id + " reported errors");
        alarm(id + "Throttles", function.function().metricThrottles(options("Sum")), 1,
                "Rollcall function " + id + " was throttled" + (throttled == null ? "" : " (" + throttled + ")"));
    }

    /**
     * Alarms on webhook deliveries the API answered with an error. Neither kind is a function error: a 4xx is a
     * delivery refused (most senders do not retry it, so its alerts are lost), a 5xx one the sender should retry.
     */
    void webhookRoute(ApiConstruct api, CentralSettings.WebhookLimits limits) {
        // The route takes unauthenticated POSTs: a stray one (a scanner, a wrong source name) must not page anyone,
        // while a sender whose secret no longer matches is refused on every delivery and soon passes five.
        alarm("WebhookRejected", api.webhookRouteMetric("4xx", options("Sum")), WEBHOOK_REJECTIONS,
                "At least " + WEBHOOK_REJECTIONS + " webhook deliveries in 5 minutes were rejected with a 4xx (401: the sender's token or signature does not match its entry "
                        + "in the webhook secret; 400: no JSON; 413: too large; 429: over webhookRateLimit="
                        + limits.rateLimit() + "/webhookBurstLimit=" + limits.burstLimit() + "). Find them in the API's access "
                        + "log by route and status, then fix the sender's secret or raise the limits; most senders do not "
                        + "retry these, so their alerts are lost");
        alarm("WebhookFailed", api.webhookRouteMetric("5xx", options("Sum")), 1,
                "Webhook deliveries failed with a 5xx (503: the secret store or the ingest queue was unavailable or slow; "
                        + "500: the webhook function failed or was throttled at webhookReservedConcurrency="
                        + limits.reservedConcurrency() + "). Senders that retry deliver them later: see the access log and "
                        + "the webhook function's log for the cause");
    }

    /** Alarms when the rule that matches failed aggregation jobs fired. */
    void jobFailures(PatternRule failureRule) {
        alarm("AggregationJobFailures", Metric.Builder.create()
                        .namespace("AWS/Events")
                        .metricName("TriggeredRules")
                        .dimensionsMap(Map.of("RuleName", failureRule.rule().getRef()))
                        .statistic("Sum")
                        .period(PERIOD)
                        .build(), 1,
                "A Rollcall aggregation job failed after its retries (see the job queue in AWS Batch)");
    }

    /**
     * Alarms when no run moved the watermark for {@code hours} hours in a row: the hourly runs fail, wait on a lease or
     * do not start, and the rollups the API serves fall behind. No data (no job log at all: jobs stuck waiting for
     * compute) counts as stale, so a new stack is in alarm until its first hourly run ends, as dead man's switches are.
     */
    void rollupsStale(IMetric watermarkMoves, int hours) {
        Alarm.Builder.create(this, "RollupsStale")
                .metric(watermarkMoves)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .evaluationPeriods(hours)
                .datapointsToAlarm(hours)
                .treatMissingData(TreatMissingData.BREACHING)
                .alarmDescription("No Rollcall aggregation run moved the watermark for " + hours + " hours: the rollups are "
                        + "going stale (see the job queue in AWS Batch and the job log group)")
                .build()
                .addAlarmAction(new SnsAction(topic));
    }

    /** Alarms on a red cluster, blocked writes and free storage under a quarter of the volume. */
    void searchDomain(SearchDomain search, int volumeGb) {
        alarm("OpenSearchClusterRed", search.domain().metricClusterStatusRed(MetricOptions.builder()
                        .statistic("Maximum").period(Duration.minutes(1)).build()), 1,
                "The OpenSearch domain is red: at least one primary shard is unassigned");
        alarm("OpenSearchWritesBlocked", search.domain().metricClusterIndexWritesBlocked(MetricOptions.builder()
                        .statistic("Maximum").period(Duration.minutes(1)).build()), 1,
                "The OpenSearch domain blocks writes (storage or memory pressure): ingestion is failing");
        Alarm.Builder.create(this, "OpenSearchFreeStorage")
                .metric(search.domain().metricFreeStorageSpace(options("Minimum")))
                .threshold(volumeGb * 1024 / 4)
                .comparisonOperator(ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.BREACHING)
                .alarmDescription("Less than a quarter of the OpenSearch volume is free (MiB): raise openSearchVolumeGb "
                        + "or lower eventsRetentionDays")
                .build()
                .addAlarmAction(new SnsAction(topic));
    }

    /** Refused webhook deliveries in 5 minutes that raise the alarm. */
    static final int WEBHOOK_REJECTIONS = 5;

    private void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build()
                .addAlarmAction(new SnsAction(topic));
    }

    private static MetricOptions options(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
    }
}
