package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.store.EventsRetention;

/** The central stack at production sizes and with the optional parameters set the other way. */
class CentralStackVariantsTest {

    static final Path TEAM_RULES = TestApps.MODULE.resolve("src/test/resources/rules/team-rules.yaml");

    static final Map<String, Object> PRODUCTION_SIZED = Map.ofEntries(
            Map.entry("rulesFile", TEAM_RULES.toString()),
            Map.entry("openSearchZoneAwareness", "true"),
            Map.entry("openSearchDataNodes", "2"),
            Map.entry("openSearchMasterNodes", "3"),
            Map.entry("openSearchInstanceType", "r7g.large.search"),
            Map.entry("datadogEventBusName", "aws.partner/datadog.com/acme-prod"),
            Map.entry("jobArraySize", "4"),
            Map.entry("eventsRetentionDays", 365),
            Map.entry("logRetentionDays", 90),
            Map.entry("sqsBatchingWindowSeconds", 30),
            Map.entry("organizationId", ""),
            Map.entry("alarmEmail", ""),
            Map.entry("ingestionSilentAfterHours", "0"),
            // as an account must deploy whose Lambda quota cannot spare reserved concurrency yet
            Map.entry("eventBridgeReservedConcurrency", "0"),
            Map.entry("webhookReservedConcurrency", "0"));

    private static TestApps.Synthesized synthesized;
    private static Template template;
    private static CentralStack stack;

    @BeforeAll
    static void synthesize() {
        synthesized = TestApps.with(PRODUCTION_SIZED);
        template = synthesized.central();
        stack = synthesized.stacks().central();
    }

    @Test
    @SuppressWarnings("deprecation") // Annotations still answers with cxapi.SynthesisMessage in this CDK version
    void withoutAnAlarmEmailSynthWarnsThatTheAlarmsNotifyNobody() {
        assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*No alarmEmail is set.*AlarmTopicArn.*")))
                .hasSize(1);
    }

    @Test
    void aQuietOrganizationCanTurnTheSilenceAlarmOffAndReplicasGetAYellowAlarm() {
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of("MetricName", "EventsReceived"), 0);
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/ES", "MetricName", "ClusterStatus.yellow"), 1);
    }

    @Test
    void reservationsOfZeroLeaveTheFunctionsUncappedAndTheirFirstThrottleAlarms() {
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("ReservedConcurrentExecutions", Match.absent()));
        Map<String, JavaFunction> uncapped = Map.of("EventBridgeIngest", stack.ingest().eventBridgeFunction(),
                "WebhookIngest", stack.ingest().webhookFunction());
        uncapped.forEach((name, function) -> template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "Throttles",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", synthesized.logicalId(function.function())))),
                // Without a cap a throttle is the account's concurrency used up: no burst to wait out.
                "AlarmDescription", Match.stringLikeRegexp("Rollcall function " + name + " was throttled"),
                "EvaluationPeriods", 1)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmDescription", Match.stringLikeRegexp(".*throttled with the account's concurrency used up.*")));
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "AlarmDescription", Match.stringLikeRegexp(".*ReservedConcurrency=.*")), 0);
    }

    @Test
    void domainSpreadsOverTwoZonesWithDedicatedMasters() {
        template.hasResourceProperties("AWS::OpenSearchService::Domain", Map.of(
                "ClusterConfig", Match.objectLike(Map.of(
                        "InstanceType", "r7g.large.search",
                        "InstanceCount", 2,
                        "DedicatedMasterEnabled", true,
                        "DedicatedMasterCount", 3,
                        "ZoneAwarenessEnabled", true,
                        "ZoneAwarenessConfig", Map.of("AvailabilityZoneCount", 2))),
                "VPCOptions", Match.objectLike(Map.of("SubnetIds", List.of(Match.anyValue(), Match.anyValue())))));
    }

    @Test
    void indicesGetAReplicaOnceASecondNodeCanHoldIt() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Runtime", "java25",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROLLCALL_INDEX_REPLICAS", "1")))));
    }

    @Test
    void retentionSettingsReachTheLifecycleTheJobAndTheLogGroups() {
        String setup = template.findResources(SearchDomain.SETUP_RESOURCE_TYPE).toString();
        assertThat(setup).contains("397d");
        // The job must not recompute buckets the lifecycle may have emptied of events.
        template.hasResourceProperties("AWS::Batch::JobDefinition", Map.of("ContainerProperties", Match.objectLike(Map.of(
                "Environment", Match.arrayWith(List.of(Map.of("Name", EventsRetention.VARIABLE, "Value", "365")))))));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
    }

    @Test
    void ingestQueueVisibilityCoversSixFunctionTimeoutsAndTheBatchingWindow() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 6 * 60 + 30, "RedrivePolicy", Match.anyValue()));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("MaximumBatchingWindowInSeconds", 30));
    }

    @Test
    void datadogRuleListensOnThePartnerBus() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventBusName", "aws.partner/datadog.com/acme-prod",
                "EventPattern", PatternRule.patternOf(EventPatterns.datadogPartner())));
        // Its failed parks are counted on the partner bus, where EventBridge counts them.
        Map<String, Object> partnerBus = Map.of("Name", "EventBusName", "Value", "aws.partner/datadog.com/acme-prod");
        Object metric = Match.objectLike(Map.of("Namespace", "AWS/Events", "MetricName", "InvocationsFailedToBeSentToDlq",
                "Dimensions", Match.arrayWith(List.of(partnerBus))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Metrics", Match.arrayWith(List.of(
                Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Metric", metric))))))));
    }

    @Test
    void withoutAnOrganizationNoOtherAccountMaySendEvents() {
        template.resourceCountIs("AWS::Events::EventBusPolicy", 0);
        assertThat(template.findResources("AWS::SQS::QueuePolicy").toString()).doesNotContain("aws:PrincipalOrgID");
        template.resourceCountIs("AWS::SNS::Subscription", 0);
    }

    @Test
    void schedulesSubmitArrayJobsWhenShardsAreConfigured() {
        assertThat(template.findResources("AWS::Scheduler::Schedule").toString())
                .contains("\"ArrayProperties\":{\"Size\":4}")
                // Batch refuses overrides named AWS_BATCH_*; it sets the children's index and size itself.
                .doesNotContain("AWS_BATCH_");
    }

    @Test
    void theTeamsRulesReachBothNormalizingFunctionsAsALayerAndOnlyThem() throws java.io.IOException {
        template.resourceCountIs("AWS::Lambda::LayerVersion", 1);
        template.hasResourceProperties("AWS::Lambda::LayerVersion", Map.of(
                "CompatibleRuntimes", List.of("java25"), "CompatibleArchitectures", List.of("arm64")));
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");
        Map<String, Boolean> loadsRules = new java.util.TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> function : functions.entrySet()) {
            String text = TestApps.JSON.writeValueAsString(function.getValue());
            boolean variable = text.contains("\"ROLLCALL_RULES_FILE\":\"/opt/rollcall/rules.yaml\"");
            assertThat(text.contains("ClassificationRules")).as(function.getKey() + " has the layer exactly when it has the variable")
                    .isEqualTo(variable);
            if (text.contains("Rollcall: ")) {
                loadsRules.put(TestApps.JSON.readTree(text).path("Properties").path("Handler").asText(), variable);
            }
        }
        assertThat(loadsRules).containsExactlyInAnyOrderEntriesOf(Map.of(
                IngestConstruct.EVENTBRIDGE_HANDLER, true,
                IngestConstruct.SQS_HANDLER, true,
                IngestConstruct.WEBHOOK_HANDLER, false,
                ApiConstruct.QUERY_HANDLER, false,
                "index.handler", false)); // the OpenSearch setup resource's function
    }
}
