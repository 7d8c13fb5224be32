package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;

import dev.rollcall.core.routing.EventPatterns;

/** The lost-events sums over rules, which CloudWatch caps at ten metrics per alarm. */
class PatternRuleTest {

    @Test
    void moreRulesThanOneAlarmTakesAreSummedByTenInSeveralAlarms() {
        Stack stack = new Stack(TestApps.app(Map.of()), "Rules");
        Queue deadLetters = new Queue(stack, "DeadLetters");
        Role role = Role.Builder.create(stack, "Role").assumedBy(new ServicePrincipal("events.amazonaws.com")).build();
        List<PatternRule> rules = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            rules.add(PatternRule.toEventBus(stack, "rule-" + i, "rule " + i,
                    PatternRule.patternOf(EventPatterns.awsSources().get(0)), "arn:aws:events:eu-west-1:111122223333:event-bus/central",
                    role, deadLetters));
        }

        List<IMetric> sums = PatternRule.lostEvents(rules);

        assertThat(sums).extracting(sum -> ((MathExpression) sum).getUsingMetrics().size()).containsExactly(10, 10, 3);
        assertThat(sums).allSatisfy(sum -> assertThat(((MathExpression) sum).getExpression()).isEqualTo("SUM(FILL(METRICS(), 0))"));
        assertThat(List.of(0, 1, 2)).extracting(i -> PatternRule.lostEventsAlarmId("RuleEventsLost", i))
                .containsExactly("RuleEventsLost", "RuleEventsLost2", "RuleEventsLost3");
        assertThat(PatternRule.lostEvents(rules.subList(0, 10))).hasSize(1);
    }
}
