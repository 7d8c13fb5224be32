package dev.rollcall.core.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which fields make the fingerprint of each source's alerts. A field is an alert field ({@code account},
 * {@code region}, {@code name}, {@code service}, ...), a label ({@code labels.InstanceId}) or a source identity
 * ({@code finding_id}, {@code event_arn}, {@code issue_id}, ...); {@code a|b} takes the first of them that has a value,
 * written {@code b=value} when it is not the first (see {@link #compute}). Defaults per source below; a rules file's
 * {@code fingerprints} section replaces a source's list.
 */
record FingerprintFields(Map<String, List<List<String>>> bySource) {

    private static final List<List<String>> BY_NAME = List.of(List.of("name"));
    private static final String LABELS = "labels.";
    /** The alert's own fields a fingerprint may use, and how each is read: one table, for reading and for checking names. */
    private static final Map<String, Function<AlertFacts, String>> ALERT_FIELDS = Map.of(
            "source", AlertFacts::source,
            "account", AlertFacts::account,
            "region", AlertFacts::region,
            "name", AlertFacts::name,
            "title", AlertFacts::title,
            "service", AlertFacts::service,
            "environment", AlertFacts::environment,
            "severity", alert -> alert.severity().wire());

    static final FingerprintFields DEFAULTS = new FingerprintFields(Map.ofEntries(
            Map.entry("cloudwatch", spec("account", "region", "name")),
            Map.entry("guardduty", spec("finding_id")),
            // A public event has one ARN in every account it affects, and each account has its own episode of it.
            Map.entry("health", spec("account", "event_arn")),
            Map.entry("securityhub", spec("finding_id")),
            Map.entry("inspector", spec("finding_arn")),
            // A service or job name is unique only within its cluster or queue: prod's and staging's "web" are two.
            Map.entry("ecs", spec("account", "region", "labels.cluster", "name")),
            Map.entry("batch", spec("account", "region", "labels.job_queue", "name")),
            Map.entry("ec2", spec("account", "region", "instance_id")),
            Map.entry("rds", spec("account", "region", "name", "source_identifier")),
            Map.entry("sentry", spec("issue_id|alert_rule_id")),
            Map.entry("datadog", spec("monitor_id|name", "scope")),
            Map.entry("alertmanager", spec("alert_fingerprint|label_set")),
            Map.entry("grafana", spec("alert_fingerprint|label_set|rule_id|rule_name")),
            Map.entry("pagerduty", spec("incident_id")),
            // By name alone, two accounts' (or producers') "HighErrorRate" were one alert: the second's firing counted
            // as a duplicate of the first's, and its resolution closed the first's episode. Not by service: producers
            // often leave it out of a resolution, which would then never pair (a rules file's fingerprints can add it).
            Map.entry("custom", spec("account", "region", "labels.source_hint", "labels.event_source", "name"))));

    /** Parses entries such as {@code "account"} or {@code "alert_fingerprint|label_set"}. */
    static List<List<String>> spec(String... entries) {
        List<List<String>> choices = new ArrayList<>(entries.length);
        for (String entry : entries) {
            List<String> alternatives = new ArrayList<>();
            for (String alternative : entry.split("\\|", -1)) {
                String field = alternative.trim();
                String problem = problemWith(field);
                if (problem != null) {
                    throw new IllegalArgumentException("field '" + entry + "' " + problem);
                }
                alternatives.add(field);
            }
            choices.add(List.copyOf(alternatives));
        }
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("needs at least one field");
        }
        return List.copyOf(choices);
    }

    /** Null when the field name is usable, else what is wrong with it. */
    private static String problemWith(String field) {
        if (field.isEmpty()) {
            return "has an empty field name";
        }
        if (field.equals("labels") || (field.startsWith(LABELS) && field.length() == LABELS.length())) {
            return "names no label (write labels.<key>)";
        }
        if (field.equals("state")) {
            return "is the alert's state, which an alert's firing and its resolution do not share: they would never pair,"
                    + " and no episode would end";
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != '/' && c != ':') {
                return "has a character a field name cannot have: '" + c + "'";
            }
        }
        if (!field.startsWith(LABELS) && !ALERT_FIELDS.containsKey(field) && !SourceIdentities.NAMES.contains(field)) {
            // A misspelt field has no value in any alert: every alert of the source would share that part, and two
            // accounts' alarms of one name would become one alert.
            return "is no field of an alert: use one of " + String.join(", ", new TreeSet<>(ALERT_FIELDS.keySet())) + ", labels.<key>, or a"
                    + " source's identity: " + String.join(", ", new TreeSet<>(SourceIdentities.NAMES));
        }
        return null;
    }

    FingerprintFields withOverrides(Map<String, List<List<String>>> overrides) {
        Map<String, List<List<String>>> merged = new HashMap<>(bySource);
        merged.putAll(overrides);
        return new FingerprintFields(Map.copyOf(merged));
    }

    /**
     * The fingerprint: the source, then each entry's value joined by {@code |}. A value taken from an alternative other
     * than the entry's first is written {@code field=value}: alternatives are different things (a Sentry issue id and a
     * metric alert rule id are both small integers), and issue 7 must not be alert rule 7. The first keeps its bare
     * value, so the fingerprints of alerts that have it did not change.
     */
    Fingerprint compute(AlertFacts alert) {
        List<List<String>> spec = bySource.getOrDefault(alert.source(), BY_NAME);
        StringBuilder value = new StringBuilder(64).append(alert.source()).append(':');
        String[] used = new String[spec.size()];
        for (int i = 0; i < spec.size(); i++) {
            List<String> alternatives = spec.get(i);
            used[i] = alternatives.get(0);
            if (i > 0) {
                value.append('|');
            }
            for (String field : alternatives) {
                String fieldValue = valueOf(alert, field);
                if (fieldValue != null) {
                    used[i] = field;
                    if (!field.equals(alternatives.get(0))) {
                        value.append(field).append('=');
                    }
                    value.append(fieldValue);
                    break;
                }
            }
        }
        return new Fingerprint(value.toString(), List.of(used));
    }

    private static String valueOf(AlertFacts alert, String field) {
        Function<AlertFacts, String> own = ALERT_FIELDS.get(field);
        String value = own != null ? own.apply(alert)
                : field.startsWith(LABELS) ? alert.labels().get(field.substring(LABELS.length()))
                : alert.identities().get(field);
        return value == null || value.isEmpty() ? null : value;
    }
}
