package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/** The member-account stack forwards every AWS source pattern from the default bus to the central bus. */
class MemberAccountStackTest {

    private static TestApps.Synthesized app;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        app = TestApps.defaults();
        template = app.member();
    }

    static List<NamedPattern> awsSources() {
        return EventPatterns.awsSources();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awsSources")
    void forwardsEachAwsSourcePatternToTheCentralBus(NamedPattern pattern) {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventBusName", Match.absent(),
                "EventPattern", PatternRule.patternOf(pattern),
                "Targets", List.of(Map.of(
                        "Id", "Bus",
                        "Arn", Map.of("Ref", MemberAccountStack.BUS_ARN_PARAMETER),
                        "RoleArn", Map.of("Fn::GetAtt", List.of(app.logicalId(app.stacks().member().forwardingRole()), "Arn")),
                        "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 21600, "MaximumRetryAttempts", 30),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt",
                                List.of(app.logicalId(app.stacks().member().deadLetterQueue()), "Arn")))))));
    }

    /** A failed delivery's record wraps the event (up to EventBridge's 256 KB) with its context: SQS's largest message. */
    @Test
    void theForwardingDeadLetterQueueTakesEventsOfAnySize() {
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("MaximumMessageSize", 1_048_576));
    }

    @Test
    void forwardsNothingElse() {
        template.resourceCountIs("AWS::Events::Rule", EventPatterns.awsSources().size());
        assertThat(template.findResources("AWS::Events::Rule").toString()).doesNotContain("aws.partner");
    }

    @Test
    void forwardingRoleMayOnlyPutEventsOnTheCentralBus() {
        Map<String, Object> trust = Map.of("Statement", List.of(Match.objectLike(Map.of(
                "Principal", Map.of("Service", "events.amazonaws.com")))));
        template.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Match.objectLike(trust)));
        Map<String, Object> putEvents = Map.of("Action", "events:PutEvents", "Effect", "Allow",
                "Resource", Map.of("Ref", MemberAccountStack.BUS_ARN_PARAMETER));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(putEvents)))));
        template.resourceCountIs("AWS::IAM::Policy", 1);
    }

    @Test
    void centralBusArnIsAValidatedParameterAndNoBootstrapIsNeeded() {
        template.hasParameter(MemberAccountStack.BUS_ARN_PARAMETER, Map.of(
                "Type", "String", "AllowedPattern", Match.stringLikeRegexp("arn:aws.*event-bus.*")));
        assertThat(template.findParameters("*")).containsOnlyKeys(MemberAccountStack.BUS_ARN_PARAMETER,
                MemberAccountStack.ALARM_TOPIC_PARAMETER);
        assertThat(template.toJSON()).doesNotContainKey("Rules");
    }

    @Test
    void failedForwardsLandInAnEncryptedQueueWatchedByAnAlarm() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1209600));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Threshold", 1));
    }

    /**
     * An event a forwarding rule gave up on and could not park is in no queue: one alarm (of two, by whether a topic
     * is given) sums each rule's failed parks, a rule of the default bus named by its Ref.
     */
    @Test
    void eventsTheRulesCouldNeitherForwardNorParkAlarm() {
        List<Object> ruleNames = template.findResources("AWS::Events::Rule").keySet().stream()
                .map(id -> (Object) List.of(Map.of("Name", "RuleName", "Value", Map.of("Ref", id)))).toList();
        for (String condition : List.of("NotifiesAlarmTopic", "NotifiesNoTopic")) {
            Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm", Map.of("Condition", condition,
                    "Properties", Match.objectLike(Map.of("AlarmDescription", OperationsConstruct.LOST_RULE_EVENTS))));
            assertThat(alarms).as(condition).hasSize(1);
            List<?> metrics = (List<?>) ((Map<?, ?>) alarms.values().iterator().next().get("Properties")).get("Metrics");
            assertThat(((Map<?, ?>) metrics.get(0)).get("Expression")).isEqualTo("SUM(FILL(METRICS(), 0))");
            List<Object> dimensions = metrics.subList(1, metrics.size()).stream()
                    .map(metric -> (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) metric).get("MetricStat")).get("Metric"))
                    .peek(metric -> assertThat(metric.get("MetricName")).isEqualTo("InvocationsFailedToBeSentToDlq"))
                    .map(metric -> (Object) metric.get("Dimensions")).toList();
            assertThat(dimensions).as(condition).hasSize(EventPatterns.awsSources().size()).containsExactlyInAnyOrderElementsOf(ruleNames);
        }
    }

    /** When forwarding itself fails, the alarm's state change cannot reach Rollcall: a topic of the account hears it. */
    @Test
    void theForwardingAlarmNotifiesAnOptionalTopicOfTheAccount() {
        template.hasParameter(MemberAccountStack.ALARM_TOPIC_PARAMETER, Map.of("Type", "String", "Default", "",
                "AllowedPattern", "(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+)?"));
        Map<String, Object> topic = Map.of("Ref", MemberAccountStack.ALARM_TOPIC_PARAMETER);
        template.hasResource("AWS::CloudWatch::Alarm", Map.of("Condition", "NotifiesAlarmTopic", "Properties", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "AlarmActions", List.of(topic), "OKActions", List.of(topic)))));
        template.hasResource("AWS::CloudWatch::Alarm", Map.of("Condition", "NotifiesNoTopic", "Properties", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "AlarmActions", Match.absent()))));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
        template.hasCondition("NotifiesAlarmTopic", Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                List.of(Map.of("Ref", MemberAccountStack.ALARM_TOPIC_PARAMETER), "")))));
        template.hasCondition("NotifiesNoTopic", Map.of("Fn::Equals", List.of(Map.of("Ref", MemberAccountStack.ALARM_TOPIC_PARAMETER), "")));
        // CloudFormation matches the whole value against the pattern, as String.matches does.
        String allowed = (String) ((Map<?, ?>) ((Map<?, ?>) template.toJSON().get("Parameters"))
                .get(MemberAccountStack.ALARM_TOPIC_PARAMETER)).get("AllowedPattern");
        for (String arn : List.of("", "arn:aws:sns:eu-west-1:111122223333:oncall", "arn:aws-us-gov:sns:us-gov-west-1:111122223333:ops_team-1")) {
            assertThat(arn).matches(allowed);
        }
        assertThat("arn:aws:sqs:eu-west-1:111122223333:q").doesNotMatch(allowed);
        assertThat("arn:aws:sns:eu-west-1:1111:oncall").doesNotMatch(allowed);
    }

    @Test
    void centralBusArnCanBeGivenAsContext() {
        TestApps.Synthesized withArn = TestApps.with(Map.of("centralBusArn", "arn:aws:events:eu-west-1:111122223333:event-bus/rollcall"));
        withArn.member().hasParameter(MemberAccountStack.BUS_ARN_PARAMETER, Map.of(
                "Default", "arn:aws:events:eu-west-1:111122223333:event-bus/rollcall"));
        // Checked at synth, as every other context key: a typo must not wait for the member account's deployment.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestApps.with(Map.of("centralBusArn", "arn:aws:events:eu-west-1:111122223333:rule/rollcall")))
                .hasMessageContaining("centralBusArn").hasMessageContaining("an event bus ARN");
    }
}
