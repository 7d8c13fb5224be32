package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchRoles;
import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/** The central stack at its default settings, resource by resource. */
class CentralStackTest {

    private static TestApps.Synthesized app;
    /** The job queue's ARN as an event names it, standing for the template's reference to this stack's queue. */
    private static final String QUEUE_ARN = "arn:aws:batch:us-east-1:123456789012:job-queue/rollcall";

    private static Template template;
    private static CentralStack stack;

    @BeforeAll
    static void synthesize() {
        app = TestApps.defaults();
        template = app.central();
        stack = app.stacks().central();
    }

    // --- OpenSearch -------------------------------------------------------------------------------------------

    @Test
    void openSearchIsPrivateEncryptedHttpsOnlyWithFineGrainedAccessControl() {
        template.hasResourceProperties("AWS::OpenSearchService::Domain", Map.of(
                "EncryptionAtRestOptions", Map.of("Enabled", true),
                "NodeToNodeEncryptionOptions", Map.of("Enabled", true),
                "DomainEndpointOptions", Map.of("EnforceHTTPS", true, "TLSSecurityPolicy", "Policy-Min-TLS-1-2-PFS-2023-10"),
                "AdvancedSecurityOptions", Map.of(
                        "Enabled", true,
                        "InternalUserDatabaseEnabled", false,
                        "MasterUserOptions", Map.of("MasterUserARN", getAtt(stack.search().setupRole(), "Arn"))),
                "VPCOptions", Map.of("SecurityGroupIds", List.of(getAtt(stack.search().securityGroup(), "GroupId"))),
                "LogPublishingOptions", Match.objectLike(Map.of(
                        "SEARCH_SLOW_LOGS", Match.objectLike(Map.of("Enabled", true)),
                        "INDEX_SLOW_LOGS", Match.objectLike(Map.of("Enabled", true)),
                        "ES_APPLICATION_LOGS", Match.objectLike(Map.of("Enabled", true))))));
    }

    /** Everything the functions and the job call speaks HTTPS: their security group lets nothing else out. */
    @Test
    void openSearchClientsMayOnlySendHttps() {
        JsonNode group = TestApps.JSON.valueToTree(template.findResources("AWS::EC2::SecurityGroup", Map.of("Properties",
                Map.of("GroupDescription", "Rollcall functions and jobs that call the OpenSearch domain")))).elements().next();
        JsonNode egress = group.path("Properties").path("SecurityGroupEgress");
        assertThat(egress).hasSize(1);
        assertThat(egress.get(0).path("IpProtocol").asText()).isEqualTo("tcp");
        assertThat(egress.get(0).path("FromPort").asInt()).isEqualTo(443);
        assertThat(egress.get(0).path("ToPort").asInt()).isEqualTo(443);
        assertThat(egress.get(0).path("CidrIp").asText()).isEqualTo("0.0.0.0/0");
    }

    @Test
    void openSearchDefaultsToOneSmallNodeInOneSubnet() {
        template.hasResourceProperties("AWS::OpenSearchService::Domain", Map.of(
                "DomainName", "rollcall",
                "EngineVersion", "OpenSearch_3.5",
                "ClusterConfig", Map.of(
                        "InstanceType", "t3.small.search",
                        "InstanceCount", 1,
                        "DedicatedMasterEnabled", false,
                        "ZoneAwarenessEnabled", false,
                        "MultiAZWithStandbyEnabled", false),
                "EBSOptions", Map.of("EBSEnabled", true, "VolumeSize", 10, "VolumeType", "gp3"),
                "VPCOptions", Match.objectLike(Map.of("SubnetIds", List.of(Map.of("Ref", Match.anyValue()))))));
        template.hasResource("AWS::OpenSearchService::Domain", Map.of("DeletionPolicy", "RetainExceptOnCreate"));
    }

    @Test
    void openSearchResourcePolicyNamesOnlyRollcallRoles() {
        JsonNode policy = properties("AWS::OpenSearchService::Domain").path("AccessPolicies");
        JsonNode statement = policy.path("Statement").get(0);

        assertThat(policy.path("Statement")).hasSize(1);
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(getAttTargets(statement.path("Principal").path("AWS"))).containsExactlyInAnyOrder(
                app.logicalId(stack.search().setupRole()),
                app.logicalId(stack.ingest().eventBridgeFunction().role()),
                app.logicalId(stack.ingest().sqsFunction().role()),
                app.logicalId(stack.aggregation().jobRole()),
                app.logicalId(stack.api().queryFunction().role()));
        assertThat(statement.path("Resource").toString()).contains(":domain/rollcall/*");
    }

    @Test
    void openSearchAcceptsHttpsFromTheClientSecurityGroupOnly() {
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443,
                "GroupId", getAtt(stack.search().securityGroup(), "GroupId"),
                "SourceSecurityGroupId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("GroupId"))))));
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroup",
                Map.of("SecurityGroupIngress", Match.anyValue()), 0);
    }

    @Test
    void setupResourceMapsWritersAndReadersAndInstallsTheEventsLifecycle() throws Exception {
        JsonNode setup = properties(SearchDomain.SETUP_RESOURCE_TYPE);
        String mappings = setup.path("RoleMappings").toString();
        // (a join of texts and role ARNs) index.py applies them in this order: ingest functions upgraded from the
        // writer mapping are never left without one.
        assertThat(mappings.indexOf("rollcall_ingest")).isLessThan(mappings.indexOf("rollcall_writer"));
        String ingest = mappings.substring(mappings.indexOf("rollcall_ingest"), mappings.indexOf("rollcall_writer"));
        String writers = mappings.substring(mappings.indexOf("rollcall_writer"), mappings.indexOf("rollcall_reader"));
        String readers = mappings.substring(mappings.indexOf("rollcall_reader"));

        assertThat(writers).contains(app.logicalId(stack.aggregation().jobRole()))
                .doesNotContain(app.logicalId(stack.ingest().eventBridgeFunction().role()), app.logicalId(stack.ingest().sqsFunction().role()));
        assertThat(ingest).contains(app.logicalId(stack.ingest().eventBridgeFunction().role()), app.logicalId(stack.ingest().sqsFunction().role()))
                .doesNotContain(app.logicalId(stack.aggregation().jobRole()));
        assertThat(readers).contains(app.logicalId(stack.api().queryFunction().role()))
                .doesNotContain(app.logicalId(stack.ingest().sqsFunction().role()));
        assertThat(mappings).doesNotContain(app.logicalId(stack.ingest().webhookFunction().role()));
        assertThat(setup.path("AdminRoleArns").toString()).contains(app.logicalId(stack.search().setupRole()));

        JsonNode roles = TestApps.JSON.readTree(setup.path("SecurityRoles").asText());
        // The roles FineGrainedAccessIT (local) runs every component under, against a node with the security plugin.
        assertThat(roles).isEqualTo(TestApps.JSON.valueToTree(OpenSearchRoles.definitions(IndexNames.defaults())));
        // The job owns the rollups and its state, and only reads the raw events.
        JsonNode writerPermissions = roles.path("rollcall_writer").path("index_permissions");
        assertThat(writerPermissions.get(0).path("index_patterns").toString()).isEqualTo("[\"rollcall-rollups-*\",\"rollcall-state\"]");
        assertThat(writerPermissions.get(1).path("index_patterns").toString()).isEqualTo("[\"rollcall-events-*\"]");
        assertThat(writerPermissions.get(1).path("allowed_actions").toString()).contains("\"read\"").doesNotContain("indices_all", "write");
        // The ingest functions write the raw events only; of the rollups and the state, they may only bring the
        // mapping and settings up to a newer template's, which each start-up of a new release does.
        JsonNode ingestPermissions = roles.path("rollcall_ingest").path("index_permissions");
        assertThat(ingestPermissions.get(0).path("index_patterns").toString()).isEqualTo("[\"rollcall-events-*\"]");
        assertThat(ingestPermissions.get(0).path("allowed_actions").toString()).doesNotContain("indices_all", "delete", "read", "close");
        assertThat(ingestPermissions.get(1).path("index_patterns").toString()).isEqualTo("[\"rollcall-rollups-*\",\"rollcall-state\"]");
        assertThat(ingestPermissions.get(1).path("allowed_actions").toString())
                .isEqualTo("[\"indices:admin/mapping/put\",\"indices:admin/settings/update\"]");
        assertThat(ingestPermissions).hasSize(2);
        assertThat(roles.path("rollcall_ingest").path("cluster_permissions").toString()).contains("\"indices:admin/index_template/*\"");
        assertThat(roles.path("rollcall_reader").path("index_permissions").get(0).path("allowed_actions").toString())
                .contains("read").doesNotContain("indices_all", "crud");
        // Rollups and the job's state only: the events' raw payloads are not the query API's to read.
        assertThat(roles.path("rollcall_reader").path("index_permissions").get(0).path("index_patterns").toString())
                .isEqualTo("[\"rollcall-rollups-*\",\"rollcall-state\"]");
        // The job scrolls through stored rollups and clears the scroll; cluster_composite_ops allows only the first.
        assertThat(roles.path("rollcall_writer").path("cluster_permissions").toString())
                .contains("\"cluster_composite_ops\"", "\"indices:data/read/scroll/clear\"");

        JsonNode ism = TestApps.JSON.readTree(setup.path("IsmPolicies").asText()).path("rollcall-events");
        assertThat(ism.path("indexPattern").asText()).isEqualTo("rollcall-events-*");
        assertThat(ism.path("policy").path("states").get(0).path("transitions").get(0).path("conditions")
                .path("min_index_age").asText()).isEqualTo("122d");
        assertThat(ism.path("policy").path("ism_template").get(0).path("index_patterns").get(0).asText())
                .isEqualTo("rollcall-events-*");
    }

    @Test
    void nothingTouchesOpenSearchBeforeTheSetupResourceRan() {
        String setup = template.findResources(SearchDomain.SETUP_RESOURCE_TYPE).keySet().iterator().next();
        for (JavaFunction function : List.of(stack.ingest().eventBridgeFunction(), stack.ingest().sqsFunction(),
                stack.api().queryFunction())) {
            template.hasResource("AWS::Lambda::Alias", Map.of(
                    "Properties", Match.objectLike(Map.of("FunctionName", Map.of("Ref", app.logicalId(function.function())))),
                    "DependsOn", Match.arrayWith(List.of(setup))));
        }
        template.allResources("AWS::Scheduler::Schedule", Map.of("DependsOn", Match.arrayWith(List.of(setup))));
    }

    // --- Ingest -------------------------------------------------------------------------------------------------

    @Test
    void busAcceptsEventsFromTheOrganizationOnly() {
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", "rollcall"));
        template.hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
                "EventBusName", ref(stack.ingest().bus()),
                "Statement", Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", "events:PutEvents",
                        "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("StringEquals", Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5"))))));
    }

    static List<NamedPattern> patterns() {
        return EventPatterns.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void everySharedPatternIsARuleOnTheCentralBusInvokingTheIngestAlias(NamedPattern pattern) {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventBusName", ref(stack.ingest().bus()),
                "Description", pattern.description(),
                "EventPattern", PatternRule.patternOf(pattern),
                "State", "ENABLED",
                "Targets", List.of(Map.of(
                        "Id", "Function",
                        "Arn", ref(stack.ingest().eventBridgeFunction().alias()),
                        "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 21600, "MaximumRetryAttempts", 30),
                        "DeadLetterConfig", Map.of("Arn", getAtt(stack.ingest().eventDeliveryDeadLetterQueue(), "Arn"))))));
    }

    @Test
    void eachRuleMayInvokeTheAliasAndParkFailedDeliveries() {
        int rules = EventPatterns.all().size() + 1; // + the aggregation job's failure rule on the default bus
        template.resourceCountIs("AWS::Events::Rule", rules);
        template.resourcePropertiesCountIs("AWS::Lambda::Permission", Map.of(
                "Principal", "events.amazonaws.com",
                "FunctionName", ref(stack.ingest().eventBridgeFunction().alias()),
                "SourceArn", Match.anyValue()), rules);
        // One statement lets every rule of this account park a delivery: one per rule grew the policy towards SQS's
        // limits of 20 statements and 10 conditions with every pattern added.
        Map<String, Map<String, Object>> policies = template.findResources("AWS::SQS::QueuePolicy", Map.of("Properties", Map.of(
                "Queues", List.of(ref(stack.ingest().eventDeliveryDeadLetterQueue())))));
        assertThat(policies).hasSize(1);
        String queuePolicy = policies.toString();
        assertThat(queuePolicy.split("events.amazonaws.com", -1)).hasSize(2);
        assertThat(queuePolicy).contains("aws:SourceAccount").contains(":rule/*");
    }

    /** SQS refuses a queue policy of more than 20 statements or 10 conditions: no queue of the stack comes near. */
    @Test
    void everyQueuePolicyStaysWellInsideSqsLimits() {
        template.findResources("AWS::SQS::QueuePolicy").forEach((id, resource) -> {
            String policy = resource.toString();
            @SuppressWarnings("unchecked")
            List<Object> statements = (List<Object>) ((Map<String, Object>) ((Map<String, Object>) resource.get("Properties"))
                    .get("PolicyDocument")).get("Statement");
            assertThat(statements).as(id).hasSizeLessThanOrEqualTo(10);
            assertThat(policy.split("Condition=", -1).length - 1).as(id + " conditions").isLessThanOrEqualTo(5);
        });
    }

    @Test
    void eventBridgeFunctionErrorsAreRetriedThenParked() {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(stack.ingest().eventBridgeFunction().function()),
                "MaximumRetryAttempts", 2,
                "MaximumEventAgeInSeconds", 21600,
                "DestinationConfig", Map.of("OnFailure", Map.of(
                        "Destination", getAtt(stack.ingest().eventDeliveryDeadLetterQueue(), "Arn")))));
    }

    @Test
    void ingestQueueIsEncryptedAndRedrivesToItsDeadLetterQueue() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "SqsManagedSseEnabled", true,
                "VisibilityTimeout", 6 * 60 + 5, // 6 x the SQS function's timeout + the batching window
                // As large as the webhook function accepts; the dead-letter queue too, or a big message could not move there.
                "MaximumMessageSize", 1_048_576,
                "RedrivePolicy", Map.of(
                        "deadLetterTargetArn", getAtt(stack.ingest().queueDeadLetterQueue(), "Arn"),
                        "maxReceiveCount", 5)));
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("MaximumMessageSize", 1_048_576,
                "MessageRetentionPeriod", 14 * 24 * 3600));
        // Every queue, the dead-letter queues of rules and asynchronous invocations too: a failure record wraps the
        // event with its context, so near EventBridge's 256 KB it no longer fit SQS's former default and was lost.
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("MaximumMessageSize", 1_048_576));
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                "Queues", List.of(ref(stack.ingest().queue())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of("Action", "sqs:SendMessage", "Condition", Map.of(
                                "StringEquals", Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5")))))))));
    }

    @Test
    void sqsFunctionReadsBatchesWithBoundedConcurrencyAndPartialFailures() {
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", getAtt(stack.ingest().queue(), "Arn"),
                "FunctionName", Match.anyValue(),
                "BatchSize", 100,
                "MaximumBatchingWindowInSeconds", 5,
                "ScalingConfig", Map.of("MaximumConcurrency", 5),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        String mapping = template.findResources("AWS::Lambda::EventSourceMapping").toString();
        assertThat(mapping).contains(app.logicalId(stack.ingest().sqsFunction().alias()), ":" + JavaFunction.ALIAS);
    }

    @Test
    void webhookSecretHoldsSentrysSecretAndAGeneratedDefault() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "GenerateSecretString", Match.objectLike(Map.of(
                        "SecretStringTemplate", IngestConstruct.WEBHOOK_SECRET_TEMPLATE,
                        "GenerateStringKey", "default"))));
    }

    // --- Functions ----------------------------------------------------------------------------------------------

    @Test
    void javaFunctionsRunJava25OnArm64WithSnapStartBehindTheLiveAlias() {
        Set<String> handlers = Set.of(IngestConstruct.EVENTBRIDGE_HANDLER, IngestConstruct.SQS_HANDLER,
                IngestConstruct.WEBHOOK_HANDLER, ApiConstruct.QUERY_HANDLER);
        for (String handler : handlers) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler,
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "MemorySize", 1024,
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "LoggingConfig", Map.of("LogGroup", Match.anyValue())));
        }
        template.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("Runtime", "java25"), handlers.size());
        template.resourcePropertiesCountIs("AWS::Lambda::Alias", Map.of("Name", JavaFunction.ALIAS), handlers.size());
        template.resourceCountIs("AWS::Lambda::Version", handlers.size());
    }

    @Test
    void eventBridgeFunctionHasACapSoABurstOfFindingsWaitsInLambdasQueue() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.EVENTBRIDGE_HANDLER, "ReservedConcurrentExecutions", 10));
        for (String handler : List.of(IngestConstruct.SQS_HANDLER, ApiConstruct.QUERY_HANDLER)) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler, "ReservedConcurrentExecutions", Match.absent()));
        }
        // Throttles at the cap are expected in a burst: the alarm says what they mean and which value to raise.
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "Throttles",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(stack.ingest().eventBridgeFunction().function()))),
                "AlarmDescription", Match.stringLikeRegexp(".*eventBridgeReservedConcurrency=10.*6 hours.*"),
                // so only a burst that lasts notifies anyone
                "EvaluationPeriods", 3, "DatapointsToAlarm", 3));
    }

    @Test
    void aJarWithoutTheHandlerClassIsReportedAtSynthTime() {
        // The placeholder jars of the tests hold no handler classes.
        List<?> warnings = Annotations.fromStack(stack).findWarning("*",
                Match.stringLikeRegexp(".*has no dev/rollcall/ingest/EventBridgeHandler.class.*"));
        assertThat(warnings).hasSize(1);
    }

    @Test
    void functionsAndTheJobGetTheRuntimeEnvironment() {
        Map<String, Object> shared = Map.of(
                "ROLLCALL_OPENSEARCH_ENDPOINT", Map.of("Fn::Join", List.of("", List.of("https://",
                        getAtt(stack.search().domain(), "DomainEndpoint")))),
                "ROLLCALL_OPENSEARCH_AUTH", "sigv4",
                "ROLLCALL_INDEX_PREFIX", "rollcall",
                "ROLLCALL_INDEX_REPLICAS", "0",
                "POWERTOOLS_METRICS_NAMESPACE", "Rollcall",
                "ROLLCALL_METRICS_NAMESPACE", "Rollcall",
                "ROLLCALL_LOG_LEVEL", "INFO",
                "JAVA_TOOL_OPTIONS", FunctionDefaults.JAVA_TOOL_OPTIONS);
        for (JavaFunction function : javaFunctions()) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", Match.anyValue(),
                    "Role", getAtt(function.role(), "Arn"),
                    "Environment", Map.of("Variables", Match.objectLike(shared))));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.WEBHOOK_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "POWERTOOLS_SERVICE_NAME", "rollcall-webhook",
                        "ROLLCALL_QUEUE_URL", ref(stack.ingest().queue()),
                        "ROLLCALL_WEBHOOK_SECRET_ARN", ref(stack.ingest().webhookSecret()))))));
        // The EventBridge function leaves what OpenSearch cannot take yet on the ingest queue; the SQS function does not.
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.EVENTBRIDGE_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROLLCALL_RETRY_QUEUE_URL", ref(stack.ingest().queue()))))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.SQS_HANDLER,
                "Environment", Map.of("Variables", Match.not(Match.objectLike(Map.of("ROLLCALL_RETRY_QUEUE_URL", Match.anyValue()))))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ApiConstruct.QUERY_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "ROLLCALL_BATCH_JOB_QUEUE", getAtt(stack.aggregation().jobQueue(), "JobQueueArn"),
                        "ROLLCALL_BATCH_JOB_DEFINITION", stack.aggregation().jobDefinitionName(),
                        "ROLLCALL_HEALTH_STALE_AFTER", "PT3H")))));
        String jobEnvironment = properties("AWS::Batch::JobDefinition").path("ContainerProperties").path("Environment").toString();
        assertThat(jobEnvironment).contains("ROLLCALL_OPENSEARCH_ENDPOINT", "ROLLCALL_OPENSEARCH_AUTH", "sigv4",
                "ROLLCALL_INDEX_PREFIX", "ROLLCALL_INDEX_REPLICAS", "POWERTOOLS_SERVICE_NAME", "rollcall-aggregate",
                "POWERTOOLS_METRICS_NAMESPACE", "ROLLCALL_LOG_LEVEL").doesNotContain("TieredStopAtLevel", "POWERTOOLS_LOG_LEVEL");
        // Half the 60-minute attempt timeout: a run waiting for the lease must not be stopped by Batch, which would
        // not retry it.
        assertThat(jobEnvironment).contains("{\"Name\":\"ROLLCALL_JOB_LEASE_WAIT\",\"Value\":\"PT30M\"}");
        // A backlog is worked off in one job for a quarter of it, leaving the last window the rest.
        assertThat(jobEnvironment).contains("{\"Name\":\"ROLLCALL_JOB_CATCH_UP_FOR\",\"Value\":\"PT15M\"}");
    }

    @Test
    void anOpenSearchRequestThatHangsCannotOutliveAnIngestInvocation() {
        for (String handler : List.of(IngestConstruct.EVENTBRIDGE_HANDLER, IngestConstruct.SQS_HANDLER)) {
            JsonNode function = template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Handler", handler)))
                    .values().stream().map(resource -> TestApps.JSON.valueToTree(resource).path("Properties")).findFirst().orElseThrow();
            JsonNode variables = function.path("Environment").path("Variables");
            long requestMillis = Long.parseLong(variables.path("ROLLCALL_OPENSEARCH_TIMEOUT_MS").asText());
            long reserveMillis = Long.parseLong(variables.path("ROLLCALL_DEADLINE_MARGIN_MS").asText());
            // The SigV4 client ends a request within the connect timeout plus its own in total (core's
            // TotalTimeoutHttpClientTest), one started just before the reserve included; then the handler reports.
            long reportMillis = 2_000;
            assertThat(OpenSearchConfig.CONNECT_TIMEOUT.toMillis() + requestMillis + reportMillis).as(handler)
                    .isLessThanOrEqualTo(reserveMillis);
            assertThat(reserveMillis).as(handler).isLessThan(function.path("Timeout").asLong() * 1000 / 2);
        }
    }

    @Test
    void aHangingSearchEndsAsTheQueryApisOwn503BeforeTheFunctionTimesOut() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ApiConstruct.QUERY_HANDLER,
                "Timeout", 29,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROLLCALL_OPENSEARCH_TIMEOUT_MS", "10000")))));
    }

    @Test
    void functionsThatCallOpenSearchRunInThePrivateSubnetsAndTheWebhookDoesNot() {
        for (JavaFunction function : List.of(stack.ingest().eventBridgeFunction(), stack.ingest().sqsFunction(),
                stack.api().queryFunction())) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Role", getAtt(function.role(), "Arn"),
                    "VpcConfig", Map.of(
                            "SubnetIds", Match.arrayWith(List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp(".*privateSubnet.*"))))),
                            "SecurityGroupIds", Match.anyValue())));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.WEBHOOK_HANDLER, "VpcConfig", Match.absent()));
    }

    @Test
    void rolesHoldOnlyWhatTheirCodeNeeds() {
        String webhook = policyOf(stack.ingest().webhookFunction());
        assertThat(webhook).contains("sqs:SendMessage", "secretsmanager:GetSecretValue", app.logicalId(stack.ingest().queue()))
                .doesNotContain("es:", "batch:", "ec2:");

        // The ingest functions send GET, PUT and POST only (templates and _bulk): no DELETE can remove an index.
        String sqsIngest = policyOf(stack.ingest().sqsFunction());
        assertThat(sqsIngest).contains("sqs:ReceiveMessage", "es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut")
                .doesNotContain("batch:", "secretsmanager:", "sqs:SendMessage", "es:ESHttpDelete", "es:ESHttpPatch", "es:ESHttpHead");
        assertThat(policyOf(stack.ingest().eventBridgeFunction())).contains("es:ESHttpPost", "es:ESHttpPut", "sqs:SendMessage")
                .doesNotContain("es:ESHttpDelete", "es:ESHttpPatch", "es:ESHttpHead", "sqs:ReceiveMessage", "secretsmanager:");
        // The job deletes superseded snapshots and reads with HEAD.
        assertThat(template.findResources("AWS::IAM::Policy", Map.of("Properties", Map.of(
                "Roles", List.of(ref(stack.aggregation().jobRole())))))).asString().contains("es:ESHttpDelete", "es:ESHttpHead");
        // Nothing Rollcall runs (the functions, the job, the setup function's index.py) sends PATCH.
        assertThat(template.findResources("AWS::IAM::Policy", Map.of())).asString().doesNotContain("es:ESHttpPatch");

        String query = policyOf(stack.api().queryFunction());
        assertThat(query).contains("es:ESHttpGet", "es:ESHttpPost", "batch:SubmitJob", "batch:DescribeJobs", "batch:ListJobs")
                .doesNotContain("es:ESHttpPut", "es:ESHttpDelete", "es:ESHttpHead", "sqs:", "secretsmanager:");
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(ref(stack.api().queryFunction().role())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "batch:SubmitJob",
                        "Resource", List.of(getAtt(stack.aggregation().jobQueue(), "JobQueueArn"),
                                definitionArn(stack.aggregation().jobDefinitionName() + ":*")))))))));
        // Only CDK's own provider that strips the VPC's default security group uses a managed policy.
        assertThat(template.findResources("AWS::IAM::Role", Map.of("Properties", Map.of("ManagedPolicyArns", Match.anyValue()))))
                .hasSize(1).allSatisfy((id, role) -> assertThat(id).startsWith("CustomVpcRestrictDefaultSG"));
    }

    /** The ARN of job definition {@code resourceName} in the stack's partition, region and account. */
    private static Map<String, Object> definitionArn(String resourceName) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":batch:", Map.of("Ref", "AWS::Region"), ":",
                Map.of("Ref", "AWS::AccountId"), ":job-definition/" + resourceName)));
    }

    @Test
    void logGroupsKeepTheirLogsForTheConfiguredRetention() {
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        template.resourceCountIs("AWS::Logs::LogGroup", 11);
    }

    // --- API ----------------------------------------------------------------------------------------------------

    @Test
    void webhookRouteIsOpenAndEveryOtherRouteNeedsIam() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "RouteKey", "POST " + ApiConstruct.WEBHOOK_ROUTE, "AuthorizationType", "NONE"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "RouteKey", "ANY /{proxy+}", "AuthorizationType", "AWS_IAM"));
        template.resourceCountIs("AWS::ApiGatewayV2::Route", 2);
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY",
                "IntegrationUri", ref(stack.api().queryFunction().alias()),
                "PayloadFormatVersion", "2.0"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationUri", ref(stack.ingest().webhookFunction().alias())));
    }

    @Test
    void defaultStageIsThrottledAndAccessLogged() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100),
                "AccessLogSettings", Map.of("DestinationArn", Match.anyValue(),
                        "Format", Match.stringLikeRegexp(".*context.requestId.*context.identity.caller.*\\$context.path.*"
                                // unquoted, so that the route metrics' filters compare it as a number
                                + "\"status\":\\$context.status,.*"))));
    }

    @Test
    void eachRoutesRequestsAndErrorAnswersAreCountedFromTheAccessLog() {
        String accessLogs = template.findResources("AWS::Logs::LogGroup").keySet().stream()
                .filter(id -> id.contains("AccessLogs")).findFirst().orElseThrow();
        for (String route : List.of(ApiConstruct.WEBHOOK_ROUTE_KEY, ApiConstruct.QUERY_ROUTE_KEY)) {
            String name = route.equals(ApiConstruct.WEBHOOK_ROUTE_KEY) ? "Webhook" : "Query";
            for (String[] counted : List.of(new String[] {"Requests", "0", "1000"}, new String[] {"4xx", "400", "500"},
                    new String[] {"5xx", "500", "600"})) {
                // Health's 503s are RollupsStale's to report: a probe would otherwise raise QueryFailed too.
                String health = name.equals("Query") && counted[0].equals("5xx")
                        ? " && (($.path != \"/v1/health\") || ($.status != 503))" : "";
                template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                        "LogGroupName", Map.of("Ref", accessLogs),
                        "FilterPattern", "{ ($.route = \"" + route + "\") && ($.status >= " + counted[1] + ") && ($.status < "
                                + counted[2] + ")" + health + " }",
                        "MetricTransformations", List.of(Map.of("MetricNamespace", "Rollcall", "MetricName", name + counted[0],
                                "MetricValue", "1", "Unit", "Count"))));
            }
        }
        // And the query function's own 500s, which only it answers (a webhook 500 is a failed invocation).
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", accessLogs),
                "FilterPattern", "{ ($.route = \"" + ApiConstruct.QUERY_ROUTE_KEY + "\") && ($.status >= 500) && ($.status < 501) }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Rollcall", "MetricName", "Query500",
                        "MetricValue", "1", "Unit", "Count"))));
        template.resourcePropertiesCountIs("AWS::Logs::MetricFilter", Map.of("LogGroupName", Map.of("Ref", accessLogs)), 7);
    }

    @Test
    void webhookAndQueryRoutesAreThrottledSeparately() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("RouteSettings", Map.of(
                // No detailed metrics: their dimensions are method and resource path; the access log counts per route.
                ApiConstruct.WEBHOOK_ROUTE_KEY, Map.of("ThrottlingRateLimit", 25, "ThrottlingBurstLimit", 50,
                        "DetailedMetricsEnabled", Match.absent()),
                ApiConstruct.QUERY_ROUTE_KEY, Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100))));
        // API Gateway refuses settings for a route that does not exist yet.
        String queryRoute = template.findResources("AWS::ApiGatewayV2::Route", Map.of("Properties", Match.objectLike(Map.of(
                "RouteKey", ApiConstruct.QUERY_ROUTE_KEY)))).keySet().iterator().next();
        for (String route : List.of(app.logicalId(stack.api().webhookRoute()), queryRoute)) {
            template.hasResource("AWS::ApiGatewayV2::Stage", Map.of("DependsOn", Match.arrayWith(List.of(route))));
        }
        // A flood on the open route cannot take the account's Lambda concurrency either.
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", IngestConstruct.WEBHOOK_HANDLER, "ReservedConcurrentExecutions", 10));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "Throttles",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(stack.ingest().webhookFunction().function()))),
                "AlarmDescription", Match.stringLikeRegexp(".*webhookReservedConcurrency=10.*")));
    }

    // --- Aggregation --------------------------------------------------------------------------------------------

    @Test
    void batchRunsFargateInThePrivateSubnets() {
        template.hasResourceProperties("AWS::Batch::ComputeEnvironment", Map.of(
                "Type", "managed",
                "ComputeResources", Match.objectLike(Map.of(
                        "Type", "FARGATE",
                        "MaxvCpus", 4,
                        "Subnets", Match.arrayWith(List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp(".*privateSubnet.*")))))))));
        template.hasResourceProperties("AWS::Batch::JobQueue", Map.of(
                "ComputeEnvironmentOrder", List.of(Map.of("ComputeEnvironment", Match.anyValue(), "Order", 1))));
    }

    @Test
    void aJobBatchCannotPlaceIsCancelledSoItFailsLoudlyAndFreesTheQueue() {
        List<Map<String, Object>> actions = new ArrayList<>();
        for (String reason : List.of("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
                "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT")) {
            // CANCEL is the one action Batch takes on a Fargate queue; a cancelled job fails, which the alarm counts.
            actions.add(Map.of("Action", "CANCEL", "State", "RUNNABLE", "Reason", reason, "MaxTimeSeconds", 1800));
        }
        template.hasResourceProperties("AWS::Batch::JobQueue", Map.of("JobStateTimeLimitActions", actions));
    }

    @Test
    void jobDefinitionRunsTheJobImageWithRetriesAndATimeout() {
        template.hasResourceProperties("AWS::Batch::JobDefinition", Map.of(
                "JobDefinitionName", stack.aggregation().jobDefinitionName(),
                "Type", "container",
                "PlatformCapabilities", List.of("FARGATE"),
                "RetryStrategy", Map.of("Attempts", 3, "EvaluateOnExit", List.of(Map.of("Action", "EXIT", "OnExitCode", "2"),
                        Map.of("Action", "EXIT", "OnExitCode", "3"))),
                "Timeout", Map.of("AttemptDurationSeconds", 3600),
                "ContainerProperties", Match.objectLike(Map.of(
                        "Command", AggregationConstruct.HOURLY_COMMAND,
                        "Image", Map.of("Fn::Sub", Match.stringLikeRegexp(".*container-assets.*")),
                        "JobRoleArn", getAtt(stack.aggregation().jobRole(), "Arn"),
                        "ResourceRequirements", List.of(Map.of("Type", "MEMORY", "Value", "2048"),
                                Map.of("Type", "VCPU", "Value", "1")),
                        "NetworkConfiguration", Map.of("AssignPublicIp", "DISABLED")))));
    }

    @Test
    void schedulesSubmitTheHourlyAndDailyRunsToThisQueueOnly() {
        assertSchedule("cron(5 * * * ? *)", AggregationConstruct.HOURLY_COMMAND);
        assertSchedule("cron(30 0 * * ? *)", AggregationConstruct.DAILY_COMMAND);
        template.resourceCountIs("AWS::Scheduler::Schedule", 2);
        String schedulerPolicy = template.findResources("AWS::IAM::Policy",
                Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Action", "batch:SubmitJob"))))))).toString();
        assertThat(schedulerPolicy).doesNotContain("Resource=*");
    }

    private static void assertSchedule(String expression, List<String> command) {
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", expression,
                "ScheduleExpressionTimezone", "Etc/UTC",
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "Target", Match.objectLike(Map.of(
                        "Arn", Match.anyValue(),
                        "Input", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                                Match.stringLikeRegexp(".*\"ContainerOverrides\":\\{\"Command\":\\[\"" + command.get(0) + "\"\\]\\}.*"))))),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 3, "MaximumEventAgeInSeconds", 3600),
                        "DeadLetterConfig", Map.of("Arn", getAtt(stack.ingest().eventDeliveryDeadLetterQueue(), "Arn"))))));
        assertThat(template.findResources("AWS::Scheduler::Schedule").toString()).contains("aws-sdk:batch:submitJob")
                // By name: Batch runs the latest revision, so a deploy's new revision is never refused to a schedule.
                .contains("\"JobDefinition\":\"" + stack.aggregation().jobDefinitionName() + "\"");
    }

    /**
     * The failure rule's pattern as EventBridge applies it (event-ruler) to a failed job on this stack's queue: a single
     * job's failure and an array job's match, each of its children's does not. The failed job is derived from AWS's
     * published (RUNNABLE) Batch sample, as core's samples/SOURCES.md says; the array job and child are that event with
     * the {@code arrayProperties} Batch's job detail gives them ({@code size} on the parent, {@code index} on a child).
     */
    @Test
    void theFailureRuleMatchesAFailedJobOnceNotOncePerChild() throws Exception {
        software.amazon.event.ruler.Machine machine = batchFailureRule(Match.absent());
        com.fasterxml.jackson.databind.node.ObjectNode failed = failedBatchJob(QUEUE_ARN);
        com.fasterxml.jackson.databind.node.ObjectNode detail = (com.fasterxml.jackson.databind.node.ObjectNode) failed.path("detail");

        assertThat(machine.rulesForJSONEvent(failed.toString())).as("a single job").containsExactly("rule");
        detail.putObject("arrayProperties").put("size", 4);
        assertThat(machine.rulesForJSONEvent(failed.toString())).as("an array job").containsExactly("rule");
        ((com.fasterxml.jackson.databind.node.ObjectNode) detail.path("arrayProperties")).put("index", 2);
        assertThat(machine.rulesForJSONEvent(failed.toString())).as("one of its children").isEmpty();
        detail.put("jobQueue", QUEUE_ARN + "-other");
        detail.remove("arrayProperties");
        assertThat(machine.rulesForJSONEvent(failed.toString())).as("another queue's job").isEmpty();
    }

    /**
     * A member stack deployed in the central account too (as infra-cdk/README.md asks) forwards this account's failed
     * Batch jobs to the central bus: there the AWS Batch rule takes every queue's but this stack's own, which the
     * failure rule above already ingests once per job.
     */
    @Test
    void theCentralBusTakesFailedBatchJobsOfEveryQueueButRollcallsOwn() throws Exception {
        software.amazon.event.ruler.Machine machine = batchFailureRule(ref(stack.ingest().bus()));
        com.fasterxml.jackson.databind.node.ObjectNode failed = failedBatchJob(QUEUE_ARN);
        com.fasterxml.jackson.databind.node.ObjectNode detail = (com.fasterxml.jackson.databind.node.ObjectNode) failed.path("detail");

        assertThat(machine.rulesForJSONEvent(failed.toString())).as("Rollcall's own job").isEmpty();
        detail.putObject("arrayProperties").put("index", 2);
        assertThat(machine.rulesForJSONEvent(failed.toString())).as("a child of Rollcall's own array job").isEmpty();
        detail.remove("arrayProperties");
        detail.put("jobQueue", QUEUE_ARN + "-other");
        assertThat(machine.rulesForJSONEvent(failed.toString())).as("another queue's job").containsExactly("rule");
    }

    /**
     * The AWS Batch failure rule on {@code bus} (absent: the default bus) as EventBridge applies it (event-ruler),
     * with this stack's job queue standing for {@link #QUEUE_ARN}.
     */
    private static software.amazon.event.ruler.Machine batchFailureRule(Object bus) throws Exception {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule", Map.of("Properties", Match.objectLike(Map.of(
                "EventBusName", bus,
                "EventPattern", Match.objectLike(Map.of("source", List.of("aws.batch")))))));
        assertThat(rules).hasSize(1);
        JsonNode rule = TestApps.JSON.valueToTree(rules.values().iterator().next());
        String pattern = rule.path("Properties").path("EventPattern").toString()
                .replace(TestApps.JSON.writeValueAsString(getAtt(stack.aggregation().jobQueue(), "JobQueueArn")), "\"" + QUEUE_ARN + "\"");
        software.amazon.event.ruler.Machine machine = software.amazon.event.ruler.Machine.builder().build();
        machine.addRule("rule", pattern);
        return machine;
    }

    /**
     * A failed job on {@code queueArn}, derived from AWS's published (RUNNABLE) Batch sample, as core's
     * samples/SOURCES.md says; an array job and its children get the {@code arrayProperties} Batch's job detail gives
     * them ({@code size} on the parent, {@code index} on a child).
     */
    private static com.fasterxml.jackson.databind.node.ObjectNode failedBatchJob(String queueArn) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode failed = (com.fasterxml.jackson.databind.node.ObjectNode) TestApps.JSON.readTree(
                RepositoryLayout.locate().root().resolve("core/src/test/resources/samples/batch/job-failed.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) failed.path("detail")).put("jobQueue", queueArn);
        return failed;
    }

    @Test
    void failedAggregationJobsAreIngestedAndAlarmed() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventBusName", Match.absent(),
                "EventPattern", Map.of(
                        "source", List.of("aws.batch"),
                        "detail-type", List.of("Batch Job State Change"),
                        "detail", Map.of("status", List.of("FAILED"),
                                "jobQueue", List.of(getAtt(stack.aggregation().jobQueue(), "JobQueueArn")),
                                // One alert per failed job: not one more for each failed child of an array job.
                                "arrayProperties", Map.of("index", List.of(Map.of("exists", false)))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Events", "MetricName", "TriggeredRules",
                "Dimensions", List.of(Map.of("Name", "RuleName", "Value", ref(stack.aggregation().failureRule().rule())))));
    }

    @Test
    void theJobsLastLineBecomesMetricsAndNoWatermarkMoveForThreeHoursAlarms() {
        Map<String, Object> jobLogs = ref(stack.aggregation().getNode().findChild("JobLogs"));
        assertDoneLineMetric(jobLogs, "($.watermark_moved IS TRUE)", "AggregationWatermarkMoves", "1", "Count");
        assertDoneLineMetric(jobLogs, "($.dry_run IS FALSE)", "AggregatedEvents", "$.events_rolled_up", "Count");
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "AggregationWatermarkMoves", "Statistic", "Sum", "Period", 3600,
                "Threshold", 1, "ComparisonOperator", "LessThanThreshold",
                "EvaluationPeriods", 3, "DatapointsToAlarm", 3, "TreatMissingData", "breaching"));
        // Runs that move it but fall behind: /v1/health's stale limit, 3 h past the 2 h an hourly run trails by.
        assertDoneLineMetric(jobLogs, "($.watermark_moved IS TRUE)", "AggregationLagSeconds", "$.computed_until_lag_s", "Seconds");
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "AggregationLagSeconds", "Statistic", "Minimum", "Period", 3600,
                "Threshold", 5 * 3600, "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1, "TreatMissingData", "notBreaching"));
    }

    /** A metric filter on the job's last ({@code done}) lines with {@code flag}, counting {@code value} as {@code name}. */
    private void assertDoneLineMetric(Map<String, Object> jobLogs, String flag, String name, String value, String unit) {
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", jobLogs,
                "FilterPattern", "{ ($.event = \"done\") && " + flag + " }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Rollcall", "MetricName", name,
                        "MetricValue", value, "Unit", unit))));
    }

    // --- Operations ---------------------------------------------------------------------------------------------

    @Test
    void alarmsWatchQueuesFunctionsJobsAndTheDomain() {
        alarm("AWS/SQS", "ApproximateNumberOfMessagesVisible", 2);
        alarm("AWS/Lambda", "Errors", 4);
        alarm("AWS/Lambda", "Throttles", 4);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "DestinationDeliveryFailures", "Statistic", "Sum", "Threshold", 1,
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(stack.ingest().eventBridgeFunction().function())))));
        alarm("AWS/Events", "TriggeredRules", 1);
        alarm("AWS/ES", "ClusterStatus.red", 1);
        alarm("AWS/ES", "ClusterIndexWritesBlocked", 1);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/ES", "MetricName", "FreeStorageSpace",
                "Threshold", 2560, "ComparisonOperator", "LessThanOrEqualToThreshold"));
        // RuleEventsLost sums at most ten rules' metrics: the eleven rules take a second, RuleEventsLost2.
        template.resourceCountIs("AWS::CloudWatch::Alarm", 28);
    }

    /**
     * An event a rule gave up on and could not park is in no queue: one alarm sums every rule's failed parks, each
     * rule named as EventBridge names it (a rule of a custom bus by its bus and its name, which is the second half of
     * CloudFormation's {@code bus|name} Ref; a rule of the default bus by its name alone).
     */
    @Test
    void eventsARuleCouldNeitherDeliverNorParkAlarm() {
        Map<String, Object> busName = ref(stack.ingest().bus());
        List<Object> dimensions = new ArrayList<>();
        // More rules than one alarm can sum (ten metrics) take a second alarm: every rule is in exactly one.
        List<JsonNode> alarms = new ArrayList<>();
        TestApps.JSON.valueToTree(template.findResources("AWS::CloudWatch::Alarm", Map.of("Properties",
                Map.of("AlarmDescription", OperationsConstruct.LOST_RULE_EVENTS)))).elements().forEachRemaining(a -> alarms.add(a.path("Properties")));
        assertThat(alarms).hasSize((stack.ingest().rules().size() + 1 + 9) / 10);
        for (JsonNode alarm : alarms) {
            assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
            assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("notBreaching");
            JsonNode metrics = alarm.path("Metrics");
            assertThat(metrics.get(0).path("Expression").asText()).isEqualTo("SUM(FILL(METRICS(), 0))");
            assertThat(metrics.get(0).path("ReturnData").asBoolean(true)).isTrue();
            for (int i = 1; i < metrics.size(); i++) {
                JsonNode stat = metrics.get(i).path("MetricStat");
                assertThat(stat.path("Metric").path("Namespace").asText()).isEqualTo("AWS/Events");
                assertThat(stat.path("Metric").path("MetricName").asText()).isEqualTo("InvocationsFailedToBeSentToDlq");
                assertThat(stat.path("Stat").asText()).isEqualTo("Sum");
                assertThat(metrics.get(i).path("ReturnData").asBoolean()).isFalse();
                dimensions.add(TestApps.JSON.convertValue(stat.path("Metric").path("Dimensions"), List.class));
            }
        }
        List<Object> expected = new ArrayList<>();
        for (PatternRule rule : stack.ingest().rules()) {
            expected.add(List.of(Map.of("Name", "EventBusName", "Value", busName), Map.of("Name", "RuleName",
                    "Value", Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of("|", ref(rule.rule()))))))));
        }
        expected.add(List.of(Map.of("Name", "RuleName", "Value", ref(stack.aggregation().failureRule().rule()))));
        assertThat(dimensions).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stack.ingest().rules()).hasSize(EventPatterns.all().size());
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItRecovers() {
        List<Map<String, Object>> topic = List.of(ref(stack.operations().topic()));
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of("AlarmActions", topic, "OKActions", topic));
    }

    @Test
    void aBackedUpIngestQueueAlarmsAfterFifteenMinutes() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateAgeOfOldestMessage",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", getAtt(stack.ingest().queue(), "QueueName"))),
                "Statistic", "Maximum", "Threshold", OperationsConstruct.BACKLOG_MINUTES * 60,
                "EvaluationPeriods", 3, "DatapointsToAlarm", 3));
    }

    @Test
    void aDayWithoutAnyEventReceivedAlarmsByTheIngestFunctionsOwnCount() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", OperatorMetrics.EVENTS_RECEIVED,
                // The dimension set Powertools publishes beside the door's, shared by the EventBridge and SQS functions.
                "Dimensions", List.of(Map.of("Name", "Service", "Value", IngestConstruct.SERVICE_NAME)),
                "Statistic", "Sum", "Period", 3600, "Threshold", 1, "ComparisonOperator", "LessThanThreshold",
                "EvaluationPeriods", 24, "DatapointsToAlarm", 24, "TreatMissingData", "breaching"));
        for (String handler : List.of(IngestConstruct.EVENTBRIDGE_HANDLER, IngestConstruct.SQS_HANDLER)) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", handler,
                    "Environment", Map.of("Variables", Match.objectLike(Map.of("POWERTOOLS_SERVICE_NAME", IngestConstruct.SERVICE_NAME)))));
        }
    }

    @Test
    void queryRequestsAnsweredWithA5xxForTenMinutesAlarm() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "Query5xx", "Dimensions", Match.absent(),
                "Statistic", "Sum", "Threshold", 1, "EvaluationPeriods", 2, "DatapointsToAlarm", 2,
                "AlarmDescription", Match.stringLikeRegexp(".*502.*role.*")));
    }

    /** A fault only some requests meet never lasts the two periods QueryFailed needs: one 500 is enough. */
    @Test
    void anyQueryAnsweredWithA500Alarms() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "Query500", "Dimensions", Match.absent(), "Statistic", "Sum", "Period", 300,
                "Threshold", 1, "EvaluationPeriods", 1, "TreatMissingData", "notBreaching",
                "AlarmDescription", Match.stringLikeRegexp(".*request failed unexpectedly.*stack trace.*")));
    }

    @Test
    void theDomainAlarmsOnMemoryPressureAndFailedSnapshotsButNotOnYellowWithoutReplicas() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/ES", "MetricName", "JVMMemoryPressure", "Statistic", "Maximum", "Period", 60,
                "Threshold", 95, "EvaluationPeriods", 3, "DatapointsToAlarm", 3));
        alarm("AWS/ES", "AutomatedSnapshotFailure", 1);
        // One data node keeps replicas at 0 and the domain green: a yellow alarm there could only be noise.
        alarm("AWS/ES", "ClusterStatus.yellow", 0);
    }

    @Test
    void theDeadLetterQueuesAreOutputsForTheirRunbooks() {
        template.hasOutput("IngestDeadLetterQueueArn", Map.of("Value", getAtt(stack.ingest().queueDeadLetterQueue(), "Arn")));
        template.hasOutput("EventDeliveryDeadLetterQueueUrl", Map.of("Value", ref(stack.ingest().eventDeliveryDeadLetterQueue())));
    }

    @Test
    void webhookDeliveriesAnsweredWithAnErrorAlarmByTheRoutesOwnMetrics() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "Webhook4xx", "Dimensions", Match.absent(), "Statistic", "Sum", "Period", 300,
                // Not one stray request to a public route: a sender refused on every delivery passes five soon.
                "Threshold", 5, "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
                "AlarmDescription", Match.stringLikeRegexp(".*401.*webhook secret.*429.*webhookRateLimit=25.*access log.*"),
                "AlarmActions", List.of(ref(stack.operations().topic()))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "Webhook5xx", "Dimensions", Match.absent(), "Statistic", "Sum",
                "Threshold", 1, "AlarmDescription", Match.stringLikeRegexp(".*503.*queue.*webhookReservedConcurrency=10.*"),
                "AlarmActions", List.of(ref(stack.operations().topic()))));
    }

    /**
     * A sender set up with the wrong secret is refused on every delivery, but one sending a few alerts an hour never
     * reaches the route's five 4xx: its refused credentials, told apart from a scanner's missing ones by the webhook
     * function's log line, page at the first.
     */
    @Test
    void webhookCredentialsRefusedAlarmAtTheFirstFromTheWebhookFunctionsLog() {
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", ref(stack.ingest().webhookFunction().logGroup()),
                "FilterPattern", "{ $.rejection = \"credentials_refused\" }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Rollcall", "MetricName", "WebhookCredentialsRefused",
                        "MetricValue", "1", "Unit", "Count"))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Rollcall", "MetricName", "WebhookCredentialsRefused", "Dimensions", Match.absent(), "Statistic", "Sum",
                "Period", 300, "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
                "AlarmDescription", Match.stringLikeRegexp(".*rejection=credentials_refused.*"),
                "AlarmActions", List.of(ref(stack.operations().topic()))));
    }

    private static void alarm(String namespace, String metric, int count) {
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", namespace, "MetricName", metric, "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold"), count);
    }

    @Test
    void oneDashboardShowsIngestionQueuesFunctionsQueriesJobsAndTheDomain() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = template.findResources("AWS::CloudWatch::Dashboard").toString();
        // What the functions (InvocationReport, LatencyMetrics) and the job's metric filters publish.
        for (String metric : List.of("EventsReceived", "AlertsIndexed", "AlertsDuplicate", "EventsNotAlerts", "EventsFailed",
                "EventsRetried", "BulkRetries", "MetricName=\\\"latency\\\"", "MetricName=\\\"answer_remembered\\\"", "AggregatedEvents",
                "AggregationWatermarkMoves")) {
            assertThat(body).contains(metric);
        }
        assertThat(body).contains("\"Rollcall\",\"WebhookRequests\"", "\"Rollcall\",\"Webhook4xx\"", "\"Rollcall\",\"Webhook5xx\"",
                "\"Rollcall\",\"QueryRequests\"", "\"Rollcall\",\"Query4xx\"", "\"Rollcall\",\"Query5xx\"");
        assertThat(body).doesNotContain("AWS/ApiGateway");
        assertThat(body).contains("SEARCH('{Rollcall,Door}", "SEARCH('{Rollcall,route}", "PROP('Dim.Door')", "PROP('Dim.route')", "ApproximateNumberOfMessagesVisible",
                "Throttles", "JVMMemoryPressure", "FreeStorageSpace");
        for (JavaFunction function : List.of(stack.ingest().eventBridgeFunction(), stack.ingest().sqsFunction(),
                stack.ingest().webhookFunction(), stack.api().queryFunction())) {
            assertThat(body).contains(app.logicalId(function.function()));
        }
        template.hasOutput("DashboardName", Map.of("Value", ref(stack.dashboard().dashboard())));
    }

    @Test
    void alarmTopicIsEncryptedAndMailsTheOnCall() {
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
    }

    @Test
    void cloudWatchMayPublishToTheAlarmTopicAndUseItsKey() {
        Map<String, Object> account = Map.of("Ref", "AWS::AccountId");
        Map<String, Object> alarmArns = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":cloudwatch:", Map.of("Ref", "AWS::Region"), ":", account, ":alarm:*")));
        // The TLS-only policy replaces SNS's default one, so the topic policy itself must let CloudWatch in.
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(ref(stack.operations().topic())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", "sns:Publish",
                        "Resource", ref(stack.operations().topic()),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", account),
                                "ArnLike", Map.of("aws:SourceArn", alarmArns)))))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))));
    }

    @Test
    void vpcHasOneNatGatewayAnS3EndpointAndRejectedTrafficFlowLogs() {
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
        template.resourcePropertiesCountIs("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false), 2);
        template.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT", "LogDestinationType", "cloud-watch-logs"));
    }

    @Test
    void outputsTheApiUrlBusArnAndQueueUrl() {
        template.hasOutput("ApiUrl", Map.of("Value", Match.anyValue()));
        template.hasOutput("EventBusArn", Map.of("Value", getAtt(stack.ingest().bus(), "Arn")));
        template.hasOutput("IngestQueueUrl", Map.of("Value", ref(stack.ingest().queue())));
        template.hasOutput("WebhookSecretArn", Map.of("Value", ref(stack.ingest().webhookSecret())));
        template.hasOutput("QueryFunctionName", Map.of("Value", ref(stack.api().queryFunction().function())));
        template.hasOutput("JobDefinitionArn", Map.of("Value", Match.anyValue()));
        // What an operator's CloudShell VPC environment needs to reach the domain.
        template.hasOutput("VpcId", Map.of("Value", ref(stack.network().vpc())));
        template.hasOutput("OpenSearchClientsSecurityGroupId", Map.of("Value", getAtt(stack.network().openSearchClients(), "GroupId")));
        assertThat(template.findOutputs("PrivateSubnetIds", Map.of())).asString().contains("Fn::Join").contains("privateSubnet1Subnet").contains("privateSubnet2Subnet");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static List<JavaFunction> javaFunctions() {
        return List.of(stack.ingest().eventBridgeFunction(), stack.ingest().sqsFunction(),
                stack.ingest().webhookFunction(), stack.api().queryFunction());
    }

    private static String policyOf(JavaFunction function) {
        return template.findResources("AWS::IAM::Policy", Map.of("Properties", Map.of(
                "Roles", List.of(ref(function.role()))))).toString();
    }

    private static JsonNode properties(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).as(type).hasSize(1);
        return TestApps.JSON.valueToTree(found.values().iterator().next()).path("Properties");
    }

    private static List<String> getAttTargets(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(item -> ids.add(item.path("Fn::GetAtt").get(0).asText()));
        return ids;
    }

    static Map<String, Object> ref(software.constructs.IConstruct construct) {
        return Map.of("Ref", app.logicalId(construct));
    }

    static Map<String, Object> getAtt(software.constructs.IConstruct construct, String attribute) {
        return Map.of("Fn::GetAtt", List.of(app.logicalId(construct), attribute));
    }
}
