package dev.rollcall.core.classify;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/**
 * The conditions of one rule; every condition given must hold, and a list of patterns holds when any of them
 * matches. A null condition is not checked. An alert without the field a condition reads does not match it.
 */
record RuleMatch(
        List<TextPattern> source,
        List<TextPattern> name,
        List<TextPattern> title,
        List<TextPattern> account,
        List<TextPattern> region,
        List<TextPattern> service,
        List<TextPattern> environment,
        Set<Severity> severity,
        Set<AlertState> state,
        Map<String, List<TextPattern>> labels) {

    static final RuleMatch EVERYTHING = new RuleMatch(null, null, null, null, null, null, null, null, null, Map.of());

    boolean matches(AlertFacts alert, Map<String, String> captures) {
        // Cheapest and most selective first: source, state and severity cost no text matching.
        return any(source, alert.source(), captures)
                && (state == null || state.contains(alert.state()))
                && (severity == null || severity.contains(alert.severity()))
                && any(account, alert.account(), captures)
                && any(region, alert.region(), captures)
                && any(service, alert.service(), captures)
                && any(environment, alert.environment(), captures)
                && any(name, alert.name(), captures)
                && any(title, alert.title(), captures)
                && labelsMatch(alert.labels(), captures);
    }

    private boolean labelsMatch(Map<String, String> alertLabels, Map<String, String> captures) {
        for (Map.Entry<String, List<TextPattern>> condition : labels.entrySet()) {
            if (!any(condition.getValue(), alertLabels.get(condition.getKey()), captures)) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(List<TextPattern> patterns, String value, Map<String, String> captures) {
        if (patterns == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        for (TextPattern pattern : patterns) {
            if (pattern.matches(value, captures)) {
                return true;
            }
        }
        return false;
    }

    /** Every named group the conditions' regexes can capture. */
    Set<String> groupNames() {
        Set<String> groups = new HashSet<>();
        for (List<TextPattern> patterns : Arrays.asList(source, name, title, account, region, service, environment)) {
            if (patterns != null) {
                patterns.forEach(p -> groups.addAll(p.groupNames()));
            }
        }
        labels.values().forEach(patterns -> patterns.forEach(p -> groups.addAll(p.groupNames())));
        return groups;
    }
}
