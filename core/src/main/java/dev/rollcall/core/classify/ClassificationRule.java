package dev.rollcall.core.classify;

import java.util.Map;

import dev.rollcall.core.alert.Urgency;

/**
 * One rule of the rules file: when {@code match} holds, the alert gets {@code urgency} and, where given,
 * {@code service} and {@code environment}.
 *
 * @param captures whether the rule's regexes have named groups, so matching must collect them
 */
record ClassificationRule(String id, RuleMatch match, Urgency urgency, ValueTemplate service, ValueTemplate environment,
                          boolean captures) {

    /** The classification this rule gives the alert, or null when it does not match. */
    Classification apply(AlertFacts alert, Map<String, String> captureBuffer) {
        Map<String, String> groups = captures ? captureBuffer : Map.of();
        if (captures) {
            captureBuffer.clear();
        }
        if (!match.matches(alert, groups)) {
            return null;
        }
        return new Classification(urgency,
                service == null ? null : service.resolve(alert, groups),
                environment == null ? null : environment.resolve(alert, groups),
                id, false);
    }
}
