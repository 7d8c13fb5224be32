package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Prometheus Alertmanager and Grafana alerting webhooks (Grafana's is Alertmanager's format plus a few fields):
 * one alert per entry of {@code alerts}, firing or resolved as the entry says. The fingerprint is the alert's own
 * {@code fingerprint}, or a hash of its sorted label set where it has none; the event id hashes fingerprint,
 * {@code startsAt} and status, so a re-sent group notification adds nothing. The service is the {@code service}
 * label, else {@code job}; severity is the {@code severity} label (high when absent).
 */
final class AlertmanagerNormalizer {

    static final String ALERTMANAGER = "alertmanager";
    static final String GRAFANA = "grafana";
    private static final String FIRING = "firing";
    private static final String RESOLVED = "resolved";
    private static final int SHOWN_CHARS = 64;
    /** Alertmanager's and Grafana's "no end time yet". */
    private static final String ZERO_TIME_PREFIX = "0001-01-01";

    private AlertmanagerNormalizer() {
    }

    static boolean looksLikeAlertmanager(JsonNode payload) {
        return payload.path("alerts").isArray()
                && (payload.has("receiver") || payload.has("groupKey") || payload.has("commonLabels"));
    }

    /**
     * A body its path calls Alertmanager's (or Grafana's) whose alerts carry labels, even without the group fields
     * Alertmanager always sends: what a hand-written test alert or another tool's imitation of the format holds.
     */
    static boolean hasLabelledAlerts(JsonNode payload) {
        JsonNode alerts = payload.path("alerts");
        return alerts.isArray() && !alerts.isEmpty() && alerts.path(0).path("labels").isObject();
    }

    /** Grafana's payload carries {@code orgId}, and its alerts {@code silenceURL} or {@code values}. */
    static boolean isGrafana(JsonNode payload) {
        if (payload.has("orgId")) {
            return true;
        }
        JsonNode first = payload.path("alerts").path(0);
        return first.has("silenceURL") || first.has("values") || first.has("dashboardURL");
    }

    /**
     * What keeps a group from being read alert by alert, for a sender to be told at the door; empty when nothing does.
     * Read anyway, an entry that is no object, or has labels that are none, would be one firing page named
     * "Prometheus alert", and a status other than firing or resolved a firing one.
     */
    static Optional<String> malformation(JsonNode payload) {
        Optional<String> groupStatus = statusMalformation(payload.get("status"), "status");
        if (groupStatus.isPresent()) {
            return groupStatus;
        }
        JsonNode alerts = payload.path("alerts");
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode alert = alerts.get(i);
            String at = "alerts[" + i + "]";
            if (!alert.isObject()) {
                return Optional.of(at + " must be an object, got " + kindOf(alert));
            }
            JsonNode labels = alert.get("labels");
            if (labels != null && !labels.isNull() && !labels.isObject()) {
                return Optional.of(at + ".labels must be an object of strings, got " + kindOf(labels));
            }
            if (labels != null) {
                for (Map.Entry<String, JsonNode> label : labels.properties()) {
                    if (label.getValue().isContainerNode()) {
                        return Optional.of(at + ".labels." + shown(label.getKey()) + " must be a string, got " + kindOf(label.getValue()));
                    }
                }
            }
            Optional<String> status = statusMalformation(alert.get("status"), at + ".status");
            if (status.isPresent()) {
                return status;
            }
        }
        return Optional.empty();
    }

    /** Alertmanager sends "firing" or "resolved"; a hand-written imitation may capitalize them. */
    private static Optional<String> statusMalformation(JsonNode status, String field) {
        if (status == null || status.isNull()) {
            return Optional.empty();
        }
        String text = status.isValueNode() ? Field.textOf(status) : "";
        if (text == null || FIRING.equalsIgnoreCase(text) || RESOLVED.equalsIgnoreCase(text)) {
            return Optional.empty();
        }
        return Optional.of(field + " must be \"firing\" or \"resolved\", got " + (status.isTextual() ? "'" + shown(text) + "'" : kindOf(status)));
    }

    private static String kindOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a string";
        };
    }

    /** A sender's text in a message, cut: a label name or status may be of any length. */
    private static String shown(String text) {
        return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    }

    static List<AlertDraft> normalize(JsonNode payload, String source, Inbound inbound) {
        Optional<String> malformed = malformation(payload);
        if (malformed.isPresent()) {
            // A group that came some other way than the webhook door, which refuses it: the event fails as
            // malformed and its queue keeps it (dead-letter), rather than storing what the sender did not mean.
            throw new IllegalArgumentException(malformed.get());
        }
        JsonNode alerts = payload.path("alerts");
        String groupStatus = Field.textOf(payload.get("status"));
        // Copied into every alert of the group: a long one would multiply a body's size by its alert count.
        String receiver = FieldLimits.truncate(Field.textOf(payload.get("receiver")), FieldLimits.GROUP_LABEL_CHARS);
        List<AlertDraft> drafts = new ArrayList<>(alerts.size());
        // A group of N alerts stored whole with each would be N times its size: a storm of a few thousand alerts is
        // hundreds of megabytes of documents, more than an ingest function's memory. Each keeps its own entry and the
        // group's fields, bounded once: Grafana's message and title list every alert of the group.
        GroupEnvelope group = alerts.size() > 1 ? GroupEnvelope.of(payload, "alerts") : null;
        for (JsonNode alert : alerts) {
            AlertDraft.Builder draft = fromAlert(alert, source, groupStatus, receiver, inbound);
            if (group != null) {
                draft.rawPart(group.holdingOnly(alert));
            }
            drafts.add(draft.build());
        }
        return drafts;
    }

    private static AlertDraft.Builder fromAlert(JsonNode alert, String source, String groupStatus, String receiver, Inbound inbound) {
        Map<String, String> sortedLabels = new TreeMap<>();
        alert.path("labels").properties().forEach(e -> {
            String value = Field.textOf(e.getValue());
            if (value != null) {
                sortedLabels.put(e.getKey(), value);
            }
        });
        Labels labels = new Labels();
        sortedLabels.forEach(labels::put);
        labels.put("receiver", receiver)
                .put("generator_url", Field.textOf(alert.get("generatorURL")));

        String given = Field.firstOf(Field.textOf(alert.get("status")), groupStatus);
        // In the event id as Alertmanager writes it, so that "Resolved" re-sent as "resolved" is the same event.
        String status = given == null ? null : given.toLowerCase(Locale.ROOT);
        boolean resolved = RESOLVED.equals(status);
        String fingerprint = Field.textOf(alert.get("fingerprint"));
        String labelSetHash = ContentHash.sha256(labelSet(sortedLabels)).substring(0, 16);
        String startsAt = Field.textOf(alert.get("startsAt"));
        JsonNode annotations = alert.path("annotations");
        String name = sortedLabels.get("alertname");
        return AlertDraft.builder(source)
                // Alertmanager always sends startsAt and a fingerprint; an alert written by hand with neither has
                // nothing that tells a second send from a redelivery but the delivery itself.
                .eventId(source + ":" + ContentHash.sha256(fingerprint != null ? fingerprint : labelSetHash,
                        startsAt != null || fingerprint != null ? startsAt : ContentHash.ofDelivery(inbound), status))
                .occurredAt(occurredAt(resolved, startsAt, Field.textOf(alert.get("endsAt"))))
                .service(Field.firstOf(sortedLabels.get("service"), sortedLabels.get("job")))
                // Rules that watch AWS (CloudWatch exporter, YACE) or run per account label their alerts with it.
                .account(Field.firstOf(sortedLabels.get("account"), sortedLabels.get("account_id"), sortedLabels.get("aws_account_id")))
                .environment(Field.firstOf(sortedLabels.get("environment"), sortedLabels.get("env")))
                .name(Field.firstOf(name, "Prometheus alert"))
                .title(Field.firstOf(Field.textOf(annotations.get("summary")), Field.textOf(annotations.get("description")),
                        Field.textOf(annotations.get("message")), name))
                .state(resolved ? AlertState.RESOLVED : AlertState.FIRING)
                .severity(SeverityWords.of(Field.firstOf(sortedLabels.get("severity"), sortedLabels.get("priority")), Severity.HIGH))
                .labels(labels)
                .identity("alert_fingerprint", fingerprint)
                .identity("label_set", labelSetHash);
    }

    /** A resolved alert happened when it ended; a firing one when it started. */
    private static Instant occurredAt(boolean resolved, String startsAt, String endsAt) {
        if (resolved && endsAt != null && !endsAt.startsWith(ZERO_TIME_PREFIX)) {
            var end = Timestamps.parse(endsAt);
            if (end.isPresent()) {
                return end.get();
            }
        }
        return startsAt == null || startsAt.startsWith(ZERO_TIME_PREFIX) ? null : Timestamps.parse(startsAt).orElse(null);
    }

    /** {@code k1="v1",k2="v2"} in key order: the same labels always give the same text. */
    private static String labelSet(Map<String, String> sortedLabels) {
        StringBuilder text = new StringBuilder();
        sortedLabels.forEach((k, v) -> text.append(k).append("=\"").append(v.replace("\"", "\\\"")).append("\","));
        return text.toString();
    }
}
