package dev.rollcall.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.Unit;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.iam.OrganizationPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.core.routing.DeliveryDefaults;
import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/**
 * Everything that brings events in: the central event bus (open to the organization's accounts), one rule per
 * shared event pattern, the SQS queue with its redrive to a dead-letter queue, the webhook secret, and the three
 * ingest functions (EventBridge, SQS, webhook).
 */
final class IngestConstruct extends Construct {

    static final String EVENTBRIDGE_HANDLER = "dev.rollcall.ingest.EventBridgeHandler::handleRequest";
    static final String SQS_HANDLER = "dev.rollcall.ingest.SqsHandler::handleRequest";
    static final String WEBHOOK_HANDLER = "dev.rollcall.ingest.webhook.WebhookHandler::handleRequest";
    /** POWERTOOLS_SERVICE_NAME of the EventBridge and SQS functions: the Service dimension of their counts. */
    static final String SERVICE_NAME = "rollcall-ingest";

    /**
     * Sentry and PagerDuty sign with secrets they generate (set by hand after the first deploy); every other webhook
     * sender presents the generated "default" one. Changing this template would make CloudFormation generate a new
     * "default" and lock every sender out, so PagerDuty's entry is documented rather than templated.
     */
    static final String WEBHOOK_SECRET_TEMPLATE = "{\"sentry\":\"replace-with-the-sentry-integration-client-secret\"}";

    /** SQS's largest message. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final EventBus bus;
    private final Queue eventDeliveryDeadLetterQueue;
    private final Queue queue;
    private final Queue queueDeadLetterQueue;
    private final Secret webhookSecret;
    private final JavaFunction eventBridgeFunction;
    private final JavaFunction sqsFunction;
    private final JavaFunction webhookFunction;
    private final Metric webhookCredentialsRefused;
    private final List<PatternRule> rules = new ArrayList<>();

    IngestConstruct(Construct scope, String id, CentralSettings settings, Network network, SearchDomain search,
                    FunctionDefaults defaults) {
        super(scope, id);
        RemovalPolicy dataRemoval = settings.dataRemovalPolicy();

        this.bus = EventBus.Builder.create(this, "Bus")
                .eventBusName(settings.busName())
                .description("Rollcall: operational events from the organization's accounts")
                .build();
        settings.organizationId().ifPresent(org -> bus.addToResourcePolicy(
                organizationMay("OrganizationAccountsPutEvents", "events:PutEvents", bus.getEventBusArn(), org)));

        this.eventDeliveryDeadLetterQueue = AcceptedFindings.deadLetterQueue(this, "EventDeliveryDeadLetterQueue",
                "the EventBridge rule targets, the EventBridge function's asynchronous invocations and the "
                        + "aggregation schedules");
        // Parked events are data like the ingest queue's: kept with it unless retainData=false.
        eventDeliveryDeadLetterQueue.applyRemovalPolicy(dataRemoval);

        // Both queues take SQS's largest message (1 MiB): the webhook function queues bodies up to that whole (larger
        // groups of alerts in parts), and a message too big for the dead-letter queue could not be moved there.
        this.queueDeadLetterQueue = Queue.Builder.create(this, "IngestDeadLetterQueue")
                .maxMessageSizeBytes(MAX_MESSAGE_BYTES)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(dataRemoval)
                .build();
        this.queue = Queue.Builder.create(this, "IngestQueue")
                .maxMessageSizeBytes(MAX_MESSAGE_BYTES)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // A message waits in the batching window already received, and a batch being retried must not be
                // delivered again meanwhile.
                .visibilityTimeout(Duration.seconds(DeliveryDefaults.ingestQueueVisibilitySeconds(
                        (int) FunctionBudgets.SQS_INGEST_TIMEOUT.toSeconds(), settings.sqs().batchingWindowSeconds())))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(queueDeadLetterQueue)
                        .maxReceiveCount(settings.sqs().maxReceiveCount())
                        .build())
                .removalPolicy(dataRemoval)
                .build();
        settings.organizationId().ifPresent(org -> queue.addToResourcePolicy(
                organizationMay("OrganizationProducersSendMessage", "sqs:SendMessage", queue.getQueueArn(), org)));

        this.webhookSecret = Secret.Builder.create(this, "WebhookSecret")
                .description("Rollcall webhook shared secrets by source: 'sentry' is Sentry's client secret, "
                        + "'pagerduty' the webhook subscription's signing secret, 'default' the token of every other sender")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate(WEBHOOK_SECRET_TEMPLATE)
                        .generateStringKey("default")
                        .excludePunctuation(true)
                        .passwordLength(48)
                        .build())
                .removalPolicy(dataRemoval)
                .build();
        AcceptedFindings.accept(webhookSecret, "AwsSolutions-SMG4", "Webhook secrets are shared with the senders "
                + "(Sentry, Alertmanager, ...), which cannot fetch a rotated value; they are rotated by hand in both "
                + "places (see infra-cdk/README.md).");

        // Every matching event is one invocation with its own _bulk request: an organization-wide burst of findings
        // would be hundreds of them on a small domain. Above the cap, Lambda keeps the events in its asynchronous
        // queue and retries them (up to the 6 hours below), as the SQS function's maximum concurrency does for the queue.
        this.eventBridgeFunction = new JavaFunction(this, "EventBridgeIngest", new JavaFunction.Spec(
                "Rollcall: normalizes EventBridge events and indexes them in OpenSearch",
                settings.ingestLambdaJar(), EVENTBRIDGE_HANDLER, FunctionBudgets.EVENTBRIDGE_INGEST_TIMEOUT,
                eventBridgeEnvironment(queue), network, CentralSettings.reservation(settings.eventBridgeReservedConcurrency())), defaults);
        // An event OpenSearch cannot take yet waits on the ingest queue, whose five receives outlast an outage that
        // Lambda's two asynchronous retries (about three minutes) would not.
        queue.grantSendMessages(eventBridgeFunction.role());
        // Function errors (the queue refusing too, an unreadable event) are retried by Lambda's asynchronous
        // invocation, then parked with the delivery failures.
        eventBridgeFunction.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(DeliveryDefaults.ASYNC_RETRY_ATTEMPTS)
                .maxEventAge(PatternRule.MAX_EVENT_AGE)
                .onFailure(new SqsDestination(eventDeliveryDeadLetterQueue))
                .build());
        search.grantIngest(eventBridgeFunction.role());

        this.sqsFunction = new JavaFunction(this, "SqsIngest", new JavaFunction.Spec(
                "Rollcall: normalizes SQS messages in batches and indexes them in OpenSearch",
                settings.ingestLambdaJar(), SQS_HANDLER, FunctionBudgets.SQS_INGEST_TIMEOUT,
                ingestEnvironment(), network), defaults);
        sqsFunction.alias().addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(settings.sqs().batchSize())
                .maxBatchingWindow(Duration.seconds(settings.sqs().batchingWindowSeconds()))
                // Caps concurrent bulk writers so that a backlog cannot overload the OpenSearch domain.
                .maxConcurrency(settings.sqs().maxConcurrency())
                .reportBatchItemFailures(true)
                .build()));
        search.grantIngest(sqsFunction.role());
        settings.rulesFile().ifPresent(file -> {
            ClassificationRulesLayer rulesLayer = new ClassificationRulesLayer(this, "ClassificationRules", file);
            rulesLayer.applyTo(eventBridgeFunction);
            rulesLayer.applyTo(sqsFunction);
        });

        this.webhookFunction = new JavaFunction(this, "WebhookIngest", new JavaFunction.Spec(
                "Rollcall: verifies webhook signatures and queues the payloads for the SQS ingest function",
                settings.ingestLambdaJar(), WEBHOOK_HANDLER, FunctionBudgets.WEBHOOK_TIMEOUT,
                Map.of("POWERTOOLS_SERVICE_NAME", "rollcall-webhook",
                        "ROLLCALL_QUEUE_URL", queue.getQueueUrl(),
                        "ROLLCALL_WEBHOOK_SECRET_ARN", webhookSecret.getSecretArn()),
                null, CentralSettings.reservation(settings.webhook().reservedConcurrency())), defaults);
        queue.grantSendMessages(webhookFunction.role());
        webhookSecret.grantRead(webhookFunction.role());
        // The route's 4xx count mixes scanners, oversize bodies and throttling, and pages only at several in a few
        // minutes: a sender with the wrong secret that sends a few alerts an hour would lose them all unheard.
        this.webhookCredentialsRefused = webhookFunction.logGroup().addMetricFilter("CredentialsRefused", MetricFilterOptions.builder()
                        .filterPattern(FilterPattern.stringValue("$." + OperatorMetrics.WEBHOOK_REJECTION_FIELD, "=",
                                OperatorMetrics.CREDENTIALS_REFUSED))
                        .metricNamespace(CentralStack.METRIC_NAMESPACE)
                        .metricName(OperatorMetrics.WEBHOOK_CREDENTIALS_REFUSED)
                        .metricValue("1")
                        .unit(Unit.COUNT)
                        .build())
                .metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());

        for (NamedPattern pattern : EventPatterns.awsSources()) {
            rules.add(PatternRule.toFunction(this, pattern.name(), bus.getEventBusName(), pattern.description(),
                    PatternRule.patternOf(pattern), eventBridgeFunction.alias(), eventDeliveryDeadLetterQueue));
        }
        // Partner events can only land on their partner bus; without one configured, the rule waits on the central
        // bus for partner events that a rule on the partner bus forwards.
        NamedPattern datadog = EventPatterns.datadogPartner();
        rules.add(PatternRule.toFunction(this, datadog.name(), settings.datadogEventBusName().orElse(bus.getEventBusName()),
                datadog.description(), PatternRule.patternOf(datadog), eventBridgeFunction.alias(), eventDeliveryDeadLetterQueue));
        NamedPattern applications = EventPatterns.centralBusApplicationEvents();
        rules.add(PatternRule.toFunction(this, applications.name(), bus.getEventBusName(), applications.description(),
                PatternRule.patternOf(applications), eventBridgeFunction.alias(), eventDeliveryDeadLetterQueue));
    }

    /** The EventBridge and SQS functions' own variables, next to the stack's shared ones. */
    private static Map<String, String> ingestEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        // A request that hangs leaves its events for redelivery instead of a timeout of the whole batch (FunctionBudgets).
        environment.put("ROLLCALL_OPENSEARCH_TIMEOUT_MS", Long.toString(FunctionBudgets.INGEST_OPENSEARCH_TIMEOUT.toMillis()));
        environment.put("ROLLCALL_DEADLINE_MARGIN_MS", Long.toString(FunctionBudgets.INGEST_DEADLINE_MARGIN.toMillis()));
        environment.put("POWERTOOLS_SERVICE_NAME", SERVICE_NAME);
        return environment;
    }

    /** The ingest variables and the queue the EventBridge function leaves events on that it could not store yet. */
    private static Map<String, String> eventBridgeEnvironment(Queue retryQueue) {
        Map<String, String> environment = ingestEnvironment();
        environment.put("ROLLCALL_RETRY_QUEUE_URL", retryQueue.getQueueUrl());
        return environment;
    }

    /** A resource-policy statement letting any principal of organization {@code org} call {@code action}. */
    private static PolicyStatement organizationMay(String sid, String action, String resource, String org) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(new OrganizationPrincipal(org)))
                .actions(List.of(action))
                .resources(List.of(resource))
                .build();
    }

    /**
     * Hourly sums of the events the EventBridge and SQS functions received, whatever the door: Powertools publishes
     * each count by its service name too (metric dimension sets {@code [["Service"],["Door"]]}).
     */
    static Metric eventsReceived() {
        return Metric.Builder.create()
                .namespace(CentralStack.METRIC_NAMESPACE)
                .metricName(OperatorMetrics.EVENTS_RECEIVED)
                .dimensionsMap(Map.of("Service", SERVICE_NAME))
                .statistic("Sum")
                .period(Duration.hours(1))
                .build();
    }

    EventBus bus() {
        return bus;
    }

    Queue queue() {
        return queue;
    }

    Queue queueDeadLetterQueue() {
        return queueDeadLetterQueue;
    }

    Queue eventDeliveryDeadLetterQueue() {
        return eventDeliveryDeadLetterQueue;
    }

    Secret webhookSecret() {
        return webhookSecret;
    }

    JavaFunction eventBridgeFunction() {
        return eventBridgeFunction;
    }

    JavaFunction sqsFunction() {
        return sqsFunction;
    }

    JavaFunction webhookFunction() {
        return webhookFunction;
    }

    /** Webhook deliveries whose credentials were presented and refused, per 5 minutes: a sender set up wrong. */
    Metric webhookCredentialsRefused() {
        return webhookCredentialsRefused;
    }

    List<PatternRule> rules() {
        return List.copyOf(rules);
    }

    /** The rule on the central bus taking the AWS events of core's pattern {@code name}. */
    PatternRule awsSourceRule(String name) {
        return rules.stream().filter(rule -> rule.getNode().getId().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rule for the AWS event pattern " + name));
    }
}
