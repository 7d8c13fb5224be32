package dev.rollcall.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/**
 * An EventBridge rule whose pattern is one of core's shared {@code EventPatterns}, taken as its JSON (the L1 rule
 * keeps every operator exactly as written, which the typed L2 pattern cannot), with one target that retries and
 * then falls back to a dead-letter queue.
 */
final class PatternRule extends Construct {

    /** Deliveries are retried only when the target cannot take them (throttled, unavailable); 6 h rides out an incident. */
    static final Duration MAX_EVENT_AGE = Duration.hours(6);
    static final int RETRY_ATTEMPTS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The marker a dead-letter queue gets once the statement letting this account's rules send to it is added. */
    private static final String RULES_MAY_SEND = "EventBridgeRulesMaySend";

    private final CfnRule rule;
    private final String eventBusName;
    private Map<String, Object> pattern;

    private PatternRule(Construct scope, String id, String eventBusName, String description, Map<String, Object> pattern,
                        CfnRule.TargetProperty.Builder target, IQueue deadLetterQueue) {
        super(scope, id);
        this.eventBusName = eventBusName;
        this.pattern = pattern;
        this.rule = CfnRule.Builder.create(this, "Rule")
                .eventBusName(eventBusName)
                .description(description)
                .eventPattern(pattern)
                .state("ENABLED")
                .targets(List.of(target
                        .retryPolicy(CfnRule.RetryPolicyProperty.builder()
                                .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                .maximumRetryAttempts(RETRY_ATTEMPTS)
                                .build())
                        .deadLetterConfig(CfnRule.DeadLetterConfigProperty.builder().arn(deadLetterQueue.getQueueArn()).build())
                        .build()))
                .build();
        allowRulesOfThisAccount(deadLetterQueue);
    }

    /**
     * Lets this account's rules park what they could not deliver in {@code queue}: one statement for all of them,
     * made once per queue. A statement per rule, each with its own source condition, grew the policy by one per
     * pattern towards SQS's limits of 20 statements and 10 conditions per queue policy.
     */
    private static void allowRulesOfThisAccount(IQueue queue) {
        if (queue.getNode().tryFindChild(RULES_MAY_SEND) != null) {
            return;
        }
        // Every dead-letter queue here is one of the stack's own (a Queue, so a construct that can hold the marker).
        new Construct((Construct) queue, RULES_MAY_SEND);
        Stack stack = Stack.of(queue);
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("EventBridgeRulesOfThisAccount")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", "arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":"
                                + stack.getAccount() + ":rule/*"),
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                .build());
    }

    /** A rule on {@code eventBusName} (null: the account's default bus) invoking {@code function}. */
    static PatternRule toFunction(Construct scope, String id, String eventBusName, String description,
                                  Map<String, Object> pattern, IFunction function, IQueue deadLetterQueue) {
        PatternRule rule = new PatternRule(scope, id, eventBusName, description, pattern,
                CfnRule.TargetProperty.builder().id("Function").arn(function.getFunctionArn()), deadLetterQueue);
        function.addPermission(id + "Invoke", Permission.builder()
                .principal(new ServicePrincipal("events.amazonaws.com"))
                .sourceArn(rule.rule.getAttrArn())
                .build());
        return rule;
    }

    /** A rule on the account's default bus forwarding to the bus {@code targetBusArn} with {@code role}. */
    static PatternRule toEventBus(Construct scope, String id, String description, Map<String, Object> pattern,
                                  String targetBusArn, IRole role, IQueue deadLetterQueue) {
        return new PatternRule(scope, id, null, description, pattern,
                CfnRule.TargetProperty.builder().id("Bus").arn(targetBusArn).roleArn(role.getRoleArn()), deadLetterQueue);
    }

    CfnRule rule() {
        return rule;
    }

    /**
     * Narrows this rule, once made, to events whose {@code detail.key} matches {@code matcher} (as
     * {@link #narrowedByDetail}): for a narrowing that needs a resource made after the rule.
     */
    void narrowByDetail(String key, Object matcher) {
        pattern = narrowedByDetail(pattern, key, matcher);
        rule.setEventPattern(pattern);
    }

    /**
     * The rule's own {@code AWS/Events} metric {@code metricName}, summed per 5 minutes. EventBridge names a rule of a
     * custom bus by its bus and name, and CloudFormation's {@code Ref} of such a rule is {@code bus|name}; a rule of the
     * default bus is named by its name alone, which {@code Ref} returns.
     */
    Metric metric(String metricName) {
        Map<String, String> dimensions = eventBusName == null
                ? Map.of("RuleName", rule.getRef())
                : Map.of("EventBusName", eventBusName, "RuleName", Fn.select(1, Fn.split("|", rule.getRef())));
        return Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName(metricName)
                .dimensionsMap(dimensions)
                .statistic("Sum")
                .period(Duration.minutes(5))
                .build();
    }

    /** CloudWatch takes at most ten metrics in one alarm's expression. */
    static final int MAX_RULES_PER_ALARM = 10;

    /**
     * How many events {@code rules} failed to deliver and then also failed to park in their dead-letter queue, summed
     * per 5 minutes: each one is lost. EventBridge counts them per rule only, and only when there are any, so missing
     * data is filled with 0 before the sum. One sum per {@value #MAX_RULES_PER_ALARM} rules, as one alarm takes.
     */
    static List<IMetric> lostEvents(List<PatternRule> rules) {
        List<IMetric> sums = new java.util.ArrayList<>();
        for (int from = 0; from < rules.size(); from += MAX_RULES_PER_ALARM) {
            sums.add(lostEventsOfAtMostTen(rules.subList(from, Math.min(rules.size(), from + MAX_RULES_PER_ALARM))));
        }
        return sums;
    }

    /** The id of the {@code index}th (from 0) alarm on {@link #lostEvents}: {@code base}, then {@code base2}, ... */
    static String lostEventsAlarmId(String base, int index) {
        return index == 0 ? base : base + (index + 1);
    }

    private static IMetric lostEventsOfAtMostTen(List<PatternRule> rules) {
        Map<String, IMetric> metrics = new LinkedHashMap<>();
        for (PatternRule rule : rules) {
            metrics.put("rule" + metrics.size(), rule.metric("InvocationsFailedToBeSentToDlq"));
        }
        return MathExpression.Builder.create()
                .expression("SUM(FILL(METRICS(), 0))")
                .usingMetrics(metrics)
                .label("Events lost: neither delivered nor parked")
                .period(Duration.minutes(5))
                .build();
    }

    /** The pattern as the map CloudFormation's EventPattern property takes. */
    static Map<String, Object> patternOf(NamedPattern pattern) {
        try {
            return JSON.readValue(pattern.patternJson(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("event pattern " + pattern.name() + " is not JSON", e);
        }
    }

    /**
     * {@code pattern} further narrowed to events whose {@code detail.key} matches {@code matcher}: a list of values, or
     * a pattern of its own for an object field.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> narrowedByDetail(Map<String, Object> pattern, String key, Object matcher) {
        Map<String, Object> narrowed = new LinkedHashMap<>(pattern);
        Map<String, Object> detail = new LinkedHashMap<>((Map<String, Object>) pattern.getOrDefault("detail", Map.of()));
        detail.put(key, matcher);
        narrowed.put("detail", detail);
        return narrowed;
    }
}
