package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Datadog monitor notifications: the webhook integration's payload (a JSON template of $-variables that users
 * write themselves, so the common field names are all read: {@code id}, {@code title}/{@code event_title},
 * {@code alert_transition}, {@code alert_priority}, {@code alert_type}, {@code tags}, {@code alert_id},
 * {@code alert_scope}, {@code date}/{@code last_updated}, ...) and EventBridge partner events whose source starts
 * with {@code aws.partner/datadog.com}. Triggered and Re-Triggered fire, Warn fires at medium, Recovered resolves,
 * No Data informs. The service comes from the {@code service:} tag and the environment from {@code env:}.
 */
final class DatadogNormalizer {

    static final String SOURCE = "datadog";
    static final String PARTNER_SOURCE_PREFIX = "aws.partner/datadog.com";

    private DatadogNormalizer() {
    }

    /** Fields only Datadog's webhook variables produce; the payload is user-written, so several are tried. */
    static boolean looksLikeDatadog(JsonNode payload) {
        return payload.has("alert_transition") || payload.has("alert_cycle_key") || payload.has("aggreg_key")
                || (payload.has("alert_id") && payload.has("alert_type"));
    }

    static List<AlertDraft> fromWebhook(JsonNode payload, Inbound inbound) {
        String id = Field.firstText(payload, "id", "event_id");
        String eventId = SOURCE + ":" + (id != null ? id : ContentHash.sha256(inbound.event().body()));
        return List.of(draft(payload, eventId, null, null, null).build());
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        return List.of(draft(event.detail(), event.id(), event.account(), event.region(), event.eventTime()).build());
    }

    private static AlertDraft.Builder draft(JsonNode alert, String eventId, String account, String region, Instant envelopeTime) {
        Labels labels = new Labels().putTags("", alert.get("tags"));
        String title = Field.firstText(alert, "title", "event_title", "alert_title", "msg_title");
        String transition = Field.firstText(alert, "alert_transition", "transition");
        String alertType = Field.firstText(alert, "alert_type");
        String priority = Field.firstText(alert, "alert_priority", "priority");
        String monitorId = Field.firstText(alert, "alert_id", "monitor_id");
        String scope = Field.firstText(alert, "alert_scope", "scope");
        labels.put("monitor_id", monitorId)
                .put("scope", scope)
                .put("transition", transition)
                .put("alert_type", alertType)
                .put("priority", priority)
                .put("status", Field.firstText(alert, "alert_status"))
                .put("metric", Field.firstText(alert, "alert_metric"))
                .put("hostname", Field.firstText(alert, "hostname", "host"))
                .put("org_id", Field.textOf(alert.path("org").get("id")))
                .put("org_name", Field.textOf(alert.path("org").get("name")))
                .put("event_type", Field.firstText(alert, "event_type"))
                .put("link", Field.firstText(alert, "link", "url"));
        return AlertDraft.builder(SOURCE)
                .eventId(eventId)
                .occurredAt(Field.firstOf(Field.firstTime(alert, "last_updated", "date", "date_happened", "timestamp"), envelopeTime))
                .account(account)
                .region(region)
                .service(labels.serviceTag())
                .environment(labels.environmentTag())
                .name(Titles.withoutBracketPrefixes(Field.firstOf(title, monitorId == null ? null : "Datadog monitor " + monitorId)))
                .title(title)
                .state(state(transition, alertType))
                .severity(severity(priority, transition, alertType))
                .labels(labels)
                .identity("monitor_id", monitorId)
                .identity("scope", scope);
    }


    static AlertState state(String transition, String alertType) {
        if (transition != null) {
            String t = transition.trim().toLowerCase(Locale.ROOT);
            if (t.startsWith("recovered") || t.equals("resolved") || t.equals("ok")) {
                return AlertState.RESOLVED;
            }
            if (t.equals("no data") || t.equals("nodata")) {
                return AlertState.INFO;
            }
            return AlertState.FIRING;
        }
        if (alertType == null) {
            return AlertState.FIRING;
        }
        return switch (alertType.toLowerCase(Locale.ROOT)) {
            case "success" -> AlertState.RESOLVED;
            case "info", "user_update" -> AlertState.INFO;
            default -> AlertState.FIRING;
        };
    }

    /** The monitor's priority (P1-P5) when set; else what the transition or alert type says. */
    static Severity severity(String priority, String transition, String alertType) {
        // Only monitor priorities (P1-P5) are severities; event priorities ("normal", "low") are not.
        if (priority != null && priority.length() == 2 && (priority.charAt(0) == 'P' || priority.charAt(0) == 'p')) {
            Severity byPriority = SeverityWords.of(priority, null);
            if (byPriority != null) {
                return byPriority;
            }
        }
        if (transition != null && transition.trim().toLowerCase(Locale.ROOT).startsWith("warn")) {
            return Severity.MEDIUM;
        }
        return SeverityWords.of(alertType, Severity.HIGH);
    }
}
