package dev.rollcall.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The central account's stack: the whole pipeline (network, OpenSearch, ingest, aggregation, API, alarms). Its
 * parameters are CDK context values, see {@link CentralSettings} and infra-cdk/README.md.
 */
public final class CentralStack extends Stack {

    /** CloudWatch namespace of every metric Rollcall itself writes: the functions' and the job's. */
    static final String METRIC_NAMESPACE = "Rollcall";

    private final SearchDomain search;
    private final IngestConstruct ingest;
    private final AggregationConstruct aggregation;
    private final ApiConstruct api;
    private final OperationsConstruct operations;
    private final OperationsDashboard dashboard;
    private final Network network;

    CentralStack(Construct scope, String id, StackProps props, CentralSettings settings) {
        super(scope, id, props);
        LogRetention retention = new LogRetention(settings.logRetentionDays());
        this.network = new Network(this, "Network", settings, retention);
        this.search = new SearchDomain(this, "Search", settings, network, retention);

        Map<String, String> runtimeEnvironment = new LinkedHashMap<>();
        runtimeEnvironment.put("ROLLCALL_OPENSEARCH_ENDPOINT", search.endpointUrl());
        runtimeEnvironment.put("ROLLCALL_OPENSEARCH_AUTH", "sigv4");
        runtimeEnvironment.put("ROLLCALL_INDEX_PREFIX", settings.indexPrefix());
        runtimeEnvironment.put("ROLLCALL_INDEX_REPLICAS", Integer.toString(settings.openSearch().indexReplicas()));
        // Powertools (ingest counts) and the query API's own EMF lines (latency) read different variables; the
        // dashboard and alarms look in one namespace.
        runtimeEnvironment.put("POWERTOOLS_METRICS_NAMESPACE", METRIC_NAMESPACE);
        runtimeEnvironment.put("ROLLCALL_METRICS_NAMESPACE", METRIC_NAMESPACE);
        // The functions' log4j2.xml reads it (they log through log4j2, not Powertools' logging aspect).
        runtimeEnvironment.put("ROLLCALL_LOG_LEVEL", settings.logLevel());
        FunctionDefaults defaults = new FunctionDefaults(settings.lambdaMemoryMb(), retention, runtimeEnvironment);

        this.ingest = new IngestConstruct(this, "Ingest", settings, network, search, defaults);
        this.aggregation = new AggregationConstruct(this, "Aggregation", settings, network, search, runtimeEnvironment,
                retention, ingest.eventBridgeFunction().alias(), ingest.eventDeliveryDeadLetterQueue());
        // Rollcall's own failed jobs come in through the aggregation's failure rule, once per job. A member stack in
        // this account (as infra-cdk/README.md asks, for its own events) forwards them to the central bus as well,
        // where the AWS Batch rule would take them again, and once more for every failed child of an array job.
        ingest.awsSourceRule(AggregationConstruct.BATCH_FAILURE_PATTERN).narrowByDetail("jobQueue",
                List.of(Map.of("anything-but", List.of(aggregation.jobQueue().getJobQueueArn()))));
        this.api = new ApiConstruct(this, "Api", settings, network, search, defaults, retention,
                ingest.webhookFunction(), aggregation);

        // Nothing starts reading or writing OpenSearch before its IAM role is mapped to an OpenSearch role: the
        // aliases (which rules, the queue and the API invoke) and the schedules wait for the setup resource.
        CustomResource setup = search.installAccessAndLifecycle();
        for (JavaFunction function : List.of(ingest.eventBridgeFunction(), ingest.sqsFunction(), api.queryFunction())) {
            function.alias().getNode().addDependency(setup);
        }
        aggregation.hourly().getNode().addDependency(setup);
        aggregation.daily().getNode().addDependency(setup);

        this.operations = new OperationsConstruct(this, "Operations", settings);
        operations.deadLetterQueue("IngestDeadLetterQueue", ingest.queueDeadLetterQueue(),
                "inspect, then start a redrive to the ingest queue: see Alarms and what to do in infra-cdk/README.md");
        operations.queueBacklog("IngestQueueBacklog", ingest.queue());
        if (settings.ingestionSilentAfterHours() > 0) {
            operations.ingestionSilent(IngestConstruct.eventsReceived(), settings.ingestionSilentAfterHours());
        }
        // No SQS queue's dead-letter queue, so SQS's redrive cannot serve it; it also holds failed schedule runs.
        operations.deadLetterQueue("EventDeliveryDeadLetterQueue", ingest.eventDeliveryDeadLetterQueue(),
                "inspect, then replay events to the ingest queue by hand and delete failed schedule runs: see Parked events in infra-cdk/README.md");
        operations.lostRuleEvents(Stream.concat(ingest.rules().stream(), Stream.of(aggregation.failureRule())).toList());
        // Without a reservation a throttle is the account's concurrency used up, not a cap doing its job.
        operations.function("EventBridgeIngest", ingest.eventBridgeFunction(), settings.eventBridgeReservedConcurrency() == 0 ? null
                : "a burst above eventBridgeReservedConcurrency=" + settings.eventBridgeReservedConcurrency()
                + ": Lambda retries the events for up to 6 hours, then parks them "
                + "in the event-delivery dead-letter queue; raise it if throttles last and the domain has room",
                // An event OpenSearch cannot take yet goes to the ingest queue; the function fails on purpose only for
                // an event it refused or could not queue, so that Lambda retries it and then parks it.
                "Rollcall function EventBridgeIngest did not store an event and could not leave it on the ingest queue "
                        + "(an event it refused, malformed or rejected, or OpenSearch down while the queue refused too: "
                        + "Lambda retries it twice, then parks it in the event-delivery dead-letter queue), or the function "
                        + "failed. Its \"event not ingested\" lines name each event by event_id and say why; events merely "
                        + "not stored yet wait on the ingest queue (IngestQueueBacklog)");
        operations.destinationDeliveryFailures("EventBridgeIngest", ingest.eventBridgeFunction());
        operations.function("SqsIngest", ingest.sqsFunction());
        operations.function("WebhookIngest", ingest.webhookFunction(), settings.webhook().reservedConcurrency() == 0 ? null
                : "at webhookReservedConcurrency=" + settings.webhook().reservedConcurrency()
                + ": those senders got a 5xx answer, and most retry; raise it if "
                + "throttles last while the webhook route is within its limits");
        operations.function("Query", api.queryFunction());
        operations.webhookRoute(api, settings.webhook());
        operations.webhookCredentials(ingest.webhookCredentialsRefused());
        operations.queryRoute(api);
        operations.jobFailures(aggregation.failureRule());
        operations.rollupsStale(aggregation.watermarkMoves(), settings.rollupsStaleAfterHours());
        operations.rollupsBehind(aggregation.computedUntilLag(), settings.rollupsStaleAfterHours());
        operations.searchDomain(search, settings.openSearch());
        this.dashboard = new OperationsDashboard(this, "Dashboard", ingest, api, aggregation, search);

        output("ApiUrl", api.url(), "Base URL of the HTTP API (query routes need SigV4-signed requests)");
        output("WebhookUrl", api.url() + "v1/events/{source}", "Where webhook senders POST, {source} being sentry, datadog, ...");
        output("EventBusArn", ingest.bus().getEventBusArn(), "Central event bus: the member stacks' CentralEventBusArn");
        output("IngestQueueUrl", ingest.queue().getQueueUrl(), "SQS queue producers send events to");
        output("IngestDeadLetterQueueArn", ingest.queueDeadLetterQueue().getQueueArn(),
                "Dead-letter queue of the ingest queue (aws sqs start-message-move-task --source-arn)");
        output("EventDeliveryDeadLetterQueueUrl", ingest.eventDeliveryDeadLetterQueue().getQueueUrl(),
                "Dead-letter queue of event deliveries and schedules (replayed by hand: infra-cdk/README.md)");
        output("WebhookSecretArn", ingest.webhookSecret().getSecretArn(), "Webhook shared secrets (JSON: source -> secret)");
        output("OpenSearchEndpoint", search.endpointUrl(), "OpenSearch domain endpoint (reachable from the VPC)");
        // The domain answers only inside the VPC, to the clients' security group: what an operator's CloudShell VPC
        // environment needs to run the runbooks' requests (infra-cdk/README.md, "Reaching the domain").
        output("VpcId", network.vpc().getVpcId(), "VPC of the domain, the functions and the job");
        output("PrivateSubnetIds", Fn.join(",", network.vpc().selectSubnets(network.privateSubnets()).getSubnetIds()),
                "Private subnets of the VPC (a CloudShell VPC environment goes in one)");
        output("OpenSearchClientsSecurityGroupId", network.openSearchClients().getSecurityGroupId(),
                "Security group the domain admits HTTPS from (give it to a CloudShell VPC environment)");
        output("JobQueueArn", aggregation.jobQueue().getJobQueueArn(), "AWS Batch job queue of the aggregation job");
        output("JobDefinitionArn", aggregation.jobDefinition().getJobDefinitionArn(), "AWS Batch job definition of the aggregation job (backfills by hand)");
        output("QueryFunctionName", api.queryFunction().function().getFunctionName(), "Query API function (aws lambda invoke)");
        output("AlarmTopicArn", operations.topic().getTopicArn(), "SNS topic every Rollcall alarm notifies");
        output("DashboardName", dashboard.dashboard().getDashboardName(), "CloudWatch dashboard of ingestion, queries, jobs and the domain");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    SearchDomain search() {
        return search;
    }

    Network network() {
        return network;
    }

    IngestConstruct ingest() {
        return ingest;
    }

    AggregationConstruct aggregation() {
        return aggregation;
    }

    ApiConstruct api() {
        return api;
    }

    OperationsConstruct operations() {
        return operations;
    }

    OperationsDashboard dashboard() {
        return dashboard;
    }
}
