package dev.rollcall.core.classify;

import dev.rollcall.core.alert.Urgency;

/**
 * What the rules decided for one alert. {@code service} and {@code environment} are null where the matching rule
 * sets none, so the normalizer's own values stand.
 *
 * @param ruleId       the id of the rule that matched; null when none did
 * @param unclassified true when no rule matched, which makes the urgency {@code high}
 */
public record Classification(Urgency urgency, String service, String environment, String ruleId, boolean unclassified) {

    static final Classification UNCLASSIFIED = new Classification(Urgency.HIGH, null, null, null, true);
}
