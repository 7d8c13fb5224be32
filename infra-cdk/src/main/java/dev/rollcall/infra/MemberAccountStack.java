package dev.rollcall.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmActionConfig;
import software.amazon.awscdk.services.cloudwatch.CfnAlarm;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/**
 * A member account's stack, deployed once per account and region (the central account's own included): rules on
 * the default event bus forward the AWS source events of core's {@code EventPatterns} to the central bus. It has
 * no assets, so it deploys without {@code cdk bootstrap} and works as a StackSet template.
 */
public final class MemberAccountStack extends Stack {

    static final String BUS_ARN_PARAMETER = "CentralEventBusArn";
    static final String ALARM_TOPIC_PARAMETER = "AlarmTopicArn";

    /** An event bus ARN, as the parameter allows it and the {@code centralBusArn} context key is checked at synth. */
    static final java.util.regex.Pattern BUS_ARN = java.util.regex.Pattern.compile("arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+");
    static final String BUS_ARN_EXAMPLE = "an event bus ARN such as arn:aws:events:eu-west-1:111122223333:event-bus/rollcall";

    private final Role forwardingRole;
    private final Queue deadLetterQueue;

    MemberAccountStack(Construct scope, String id, StackProps props, Optional<String> defaultCentralBusArn) {
        super(scope, id, props);
        CfnParameter.Builder parameter = CfnParameter.Builder.create(this, BUS_ARN_PARAMETER)
                .type("String")
                .description("ARN of Rollcall's central event bus (output EventBusArn of the central stack)")
                .allowedPattern(BUS_ARN.pattern())
                .constraintDescription(BUS_ARN_EXAMPLE);
        defaultCentralBusArn.ifPresent(parameter::defaultValue);
        String centralBusArn = parameter.build().getValueAsString();

        this.forwardingRole = Role.Builder.create(this, "ForwardingRole")
                .assumedBy(new ServicePrincipal("events.amazonaws.com"))
                .description("Lets EventBridge put this account's operational events on Rollcall's central bus")
                .build();
        forwardingRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("events:PutEvents"))
                .resources(List.of(centralBusArn))
                .build());

        this.deadLetterQueue = AcceptedFindings.deadLetterQueue(this, "ForwardingDeadLetterQueue", "the forwarding rules' targets");

        List<PatternRule> rules = new ArrayList<>();
        for (NamedPattern pattern : EventPatterns.awsSources()) {
            rules.add(PatternRule.toEventBus(this, pattern.name(), "Forwards to Rollcall: " + pattern.description(),
                    PatternRule.patternOf(pattern), centralBusArn, forwardingRole, deadLetterQueue));
        }

        // Its own state change reaches Rollcall through the cloudwatch rule above, unless forwarding itself is what
        // fails (a wrong bus ARN, a bus policy leaving this account out): then only a topic of this account hears it.
        String alarmTopicArn = CfnParameter.Builder.create(this, ALARM_TOPIC_PARAMETER)
                .type("String")
                .defaultValue("")
                .description("Optional: an SNS topic of this account and region (your team's alerting topic) that the "
                        + "forwarding-failures alarm notifies; empty for none")
                .allowedPattern("(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+)?")
                .constraintDescription("empty, or an SNS topic ARN such as arn:aws:sns:eu-west-1:111122223333:oncall")
                .build().getValueAsString();
        CfnCondition notifies = CfnCondition.Builder.create(this, "NotifiesAlarmTopic")
                .expression(Fn.conditionNot(Fn.conditionEquals(alarmTopicArn, "")))
                .build();
        CfnCondition silent = CfnCondition.Builder.create(this, "NotifiesNoTopic")
                .expression(Fn.conditionEquals(alarmTopicArn, ""))
                .build();
        // One of two alarms, by whether a topic is given: CloudFormation's validation takes no Fn::If for a list of actions.
        IMetric parked = deadLetterQueue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(5)).build());
        String parkedDescription = "Events could not be forwarded to Rollcall's central bus (see the dead-letter queue)";
        IAlarmAction topic = (alarmScope, alarm) -> AlarmActionConfig.builder().alarmActionArn(alarmTopicArn).build();
        forwardingAlarm("ForwardingFailures", parked, parkedDescription, silent);
        List<Alarm> notifying = new ArrayList<>(List.of(forwardingAlarm("ForwardingFailuresNotifying", parked, parkedDescription, notifies)));
        List<IMetric> lost = PatternRule.lostEvents(rules);
        for (int i = 0; i < lost.size(); i++) {
            forwardingAlarm(PatternRule.lostEventsAlarmId("ForwardedEventsLost", i), lost.get(i), OperationsConstruct.LOST_RULE_EVENTS, silent);
            notifying.add(forwardingAlarm(PatternRule.lostEventsAlarmId("ForwardedEventsLost", i) + "Notifying", lost.get(i),
                    OperationsConstruct.LOST_RULE_EVENTS, notifies));
        }
        for (Alarm alarm : notifying) {
            alarm.addAlarmAction(topic);
            alarm.addOkAction(topic);
        }
        CfnOutput.Builder.create(this, "ForwardingDeadLetterQueueUrl")
                .value(deadLetterQueue.getQueueUrl())
                .description("Events that could not be forwarded to the central bus")
                .build();
    }

    /** Alarms when {@code metric} reaches 1 in 5 minutes; created when {@code condition} holds. */
    private Alarm forwardingAlarm(String id, IMetric metric, String description, CfnCondition condition) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        ((CfnAlarm) alarm.getNode().getDefaultChild()).getCfnOptions().setCondition(condition);
        return alarm;
    }

    Role forwardingRole() {
        return forwardingRole;
    }

    Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
