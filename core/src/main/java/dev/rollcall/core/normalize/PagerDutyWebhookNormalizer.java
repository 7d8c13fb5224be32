package dev.rollcall.core.normalize;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * PagerDuty V3 webhooks ({@code {"event": {"event_type": "incident.triggered", ...}}}). incident.triggered and
 * incident.reopened fire, incident.resolved resolves, every other incident event (acknowledged, escalated,
 * annotated, priority_updated, ...) informs. The fingerprint is the incident id; the service is PagerDuty's
 * service name; severity is the incident priority (P1-P5) or else its urgency. Events about other resources
 * (services, the {@code pagey.ping} test) are no alerts.
 */
final class PagerDutyWebhookNormalizer {

    static final String SOURCE = "pagerduty";

    private PagerDutyWebhookNormalizer() {
    }

    static boolean looksLikePagerDuty(JsonNode payload) {
        JsonNode event = payload.path("event");
        return event.path("event_type").isTextual() && (event.has("resource_type") || event.has("occurred_at"));
    }

    static List<AlertDraft> normalize(JsonNode payload) {
        JsonNode event = payload.path("event");
        String eventType = Field.textOf(event.get("event_type"));
        String resourceType = Field.textOf(event.get("resource_type"));
        if (!"incident".equals(resourceType) && (eventType == null || !eventType.startsWith("incident."))) {
            return List.of();
        }
        JsonNode incident = event.path("data");
        // Incident sub-resources (notes, status updates) carry the incident as a reference.
        JsonNode incidentRef = incident.path("incident").isObject() ? incident.path("incident") : incident;
        String incidentId = Field.textOf(incidentRef.get("id"));
        String priority = Field.textOf(incident.path("priority").get("summary"));
        String urgency = Field.textOf(incident.get("urgency"));
        String title = Field.firstOf(Field.textOf(incident.get("title")), Field.textOf(incidentRef.get("summary")));
        Labels labels = new Labels()
                .put("event_type", eventType)
                .put("incident_id", incidentId)
                .put("incident_number", Field.textOf(incident.get("number")))
                .put("incident_key", Field.textOf(incident.get("incident_key")))
                .put("status", Field.textOf(incident.get("status")))
                .put("urgency", urgency)
                .put("priority", priority)
                .put("service_id", Field.textOf(incident.path("service").get("id")))
                .put("escalation_policy", Field.textOf(incident.path("escalation_policy").get("summary")))
                .put("agent", Field.textOf(event.path("agent").get("summary")))
                .put("html_url", Field.textOf(incidentRef.get("html_url")));
        String eventId = Field.textOf(event.get("id"));
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(SOURCE + ":" + (eventId != null ? eventId : ContentHash.sha256(payload.toString())))
                .occurredAt(Timestamps.parse(event.get("occurred_at")).orElse(null))
                .service(Field.textOf(incident.path("service").get("summary")))
                .name(Field.firstOf(title, "PagerDuty incident " + incidentId))
                .title(title)
                .state(state(eventType))
                .severity(SeverityWords.of(priority, SeverityWords.of(urgency, Severity.HIGH)))
                .labels(labels)
                .identity("incident_id", incidentId)
                .build());
    }

    static AlertState state(String eventType) {
        if (eventType == null) {
            return AlertState.INFO;
        }
        return switch (eventType) {
            case "incident.triggered", "incident.reopened" -> AlertState.FIRING;
            case "incident.resolved" -> AlertState.RESOLVED;
            default -> AlertState.INFO;
        };
    }
}
