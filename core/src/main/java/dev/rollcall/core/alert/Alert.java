package dev.rollcall.core.alert;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One normalized alert event: the document Rollcall stores per source event (its mapping: {@code store/events-template.json}).
 *
 * <p>{@code eventId} is the OpenSearch {@code _id}, so a redelivered event never counts twice. Times are UTC with
 * millisecond precision. {@code raw} is the source payload, stored but not indexed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String eventId,
        Instant occurredAt,
        Instant ingestedAt,
        String source,
        String account,
        String region,
        String environment,
        String service,
        String name,
        String title,
        AlertState state,
        Severity severity,
        Urgency urgency,
        boolean unclassified,
        String classifiedBy,
        String fingerprint,
        List<String> fingerprintFields,
        Map<String, String> labels,
        JsonNode raw) {

    public Alert {
        eventId = required(eventId, "event_id");
        occurredAt = required(occurredAt, "occurred_at").truncatedTo(ChronoUnit.MILLIS);
        ingestedAt = required(ingestedAt, "ingested_at").truncatedTo(ChronoUnit.MILLIS);
        source = required(source, "source");
        name = required(name, "name");
        required(state, "state");
        required(severity, "severity");
        required(urgency, "urgency");
        fingerprint = required(fingerprint, "fingerprint");
        fingerprintFields = fingerprintFields == null ? List.of() : List.copyOf(fingerprintFields);
        // Sorted, so the same labels always serialize to the same bytes.
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    private static <T> T required(T value, String field) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException("alert field '" + field + "' is required");
        }
        return value;
    }

    /** A copy classified by a rule: urgency, service and environment as the rule decided. */
    public Alert classified(Urgency newUrgency, String newService, String newEnvironment, String ruleId, boolean isUnclassified) {
        return new Alert(eventId, occurredAt, ingestedAt, source, account, region, newEnvironment, newService, name, title,
                state, severity, newUrgency, isUnclassified, ruleId, fingerprint, fingerprintFields, labels, raw);
    }

    /** A copy with a new fingerprint and the fields that made it. */
    public Alert withFingerprint(String newFingerprint, List<String> fields) {
        return new Alert(eventId, occurredAt, ingestedAt, source, account, region, environment, service, name, title,
                state, severity, urgency, unclassified, classifiedBy, newFingerprint, fields, labels, raw);
    }
}
