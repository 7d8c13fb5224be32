package dev.rollcall.core.classify;

import java.util.HashMap;
import java.util.Map;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/** An alert's facts for rule tests, changed one field at a time. */
record TestAlert(String source, String name, String title, String account, String region, String service, String environment,
                 AlertState state, Severity severity, Map<String, String> labels, Map<String, String> identities)
        implements AlertFacts {

    static TestAlert of(String source, String name) {
        return new TestAlert(source, name, null, null, null, null, null, AlertState.FIRING, Severity.HIGH, Map.of(), Map.of());
    }

    TestAlert title(String value) {
        return new TestAlert(source, name, value, account, region, service, environment, state, severity, labels, identities);
    }

    TestAlert at(String newAccount, String newRegion) {
        return new TestAlert(source, name, title, newAccount, newRegion, service, environment, state, severity, labels, identities);
    }

    TestAlert service(String value) {
        return new TestAlert(source, name, title, account, region, value, environment, state, severity, labels, identities);
    }

    TestAlert state(AlertState value) {
        return new TestAlert(source, name, title, account, region, service, environment, value, severity, labels, identities);
    }

    TestAlert severity(Severity value) {
        return new TestAlert(source, name, title, account, region, service, environment, state, value, labels, identities);
    }

    TestAlert label(String key, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(key, value);
        return new TestAlert(source, name, title, account, region, service, environment, state, severity, Map.copyOf(more), identities);
    }

    TestAlert identity(String key, String value) {
        Map<String, String> more = new HashMap<>(identities);
        more.put(key, value);
        return new TestAlert(source, name, title, account, region, service, environment, state, severity, labels, Map.copyOf(more));
    }
}
