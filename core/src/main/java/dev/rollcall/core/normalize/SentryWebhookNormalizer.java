package dev.rollcall.core.normalize;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Sentry integration-platform webhooks. The resource type comes from the {@code Sentry-Hook-Resource} header, else
 * from the payload's shape:
 * <ul>
 * <li>{@code event_alert} (issue alert, action {@code triggered}): firing, id
 *     {@code sentry:event_alert:<event id>:<state>:<rule hash>};</li>
 * <li>{@code error} ({@code error.created}, sent for every error event Sentry receives, no alert rule involved): info,
 *     id {@code sentry:error:<event id>};</li>
 * <li>{@code metric_alert}: {@code critical}/{@code warning} fire, {@code resolved} resolves (its payload gives no
 *     level, so it is info);</li>
 * <li>{@code issue}: created and unresolved fire, resolved and archived/ignored resolve, assigned informs.</li>
 * </ul>
 * The service is the Sentry project slug; the fingerprint is the issue id (the alert rule id for metric alerts).
 * {@code installation} and {@code comment} webhooks are no alerts.
 */
final class SentryWebhookNormalizer {

    static final String SOURCE = "sentry";
    static final String RESOURCE_HEADER = "Sentry-Hook-Resource";
    static final String TIMESTAMP_HEADER = "Sentry-Hook-Timestamp";

    private SentryWebhookNormalizer() {
    }

    /** Whether the payload has the integration platform's shape: {@code action} and a {@code data} object. */
    static boolean looksLikeSentry(JsonNode payload, Inbound inbound) {
        return inbound.header(RESOURCE_HEADER) != null
                || (payload.path("data").isObject() && payload.path("action").isTextual()
                    && (payload.has("installation") || payload.has("actor")));
    }

    static List<AlertDraft> normalize(JsonNode payload, Inbound inbound) {
        JsonNode data = payload.path("data");
        String action = Field.textOf(payload.get("action"));
        String resource = resource(inbound.header(RESOURCE_HEADER), data);
        if (resource == null) {
            return null;
        }
        // A header that promises a resource the body does not hold is no reason to invent an alert: keep it as custom.
        return switch (resource) {
            // Issue alerts only ever trigger; a "resolved" action is honoured for senders that relay resolutions.
            case "event_alert" -> data.path("event").isObject()
                    ? List.of(fromEvent(resource, data.path("event"), Field.textOf(data.get("triggered_rule")),
                            "resolved".equals(action) ? AlertState.RESOLVED : AlertState.FIRING)) : null;
            // Every error event, one by one: telemetry that an issue alert or metric alert may turn into an alert,
            // not a firing of its own (counted as firings, one busy issue outnumbered every real alert).
            case "error" -> data.path("error").isObject() ? List.of(fromEvent(resource, data.path("error"), null, AlertState.INFO)) : null;
            case "metric_alert" -> data.path("metric_alert").isObject() ? List.of(fromMetricAlert(data, action, inbound)) : null;
            case "issue" -> data.path("issue").isObject() ? List.of(fromIssue(data.path("issue"), action, inbound)) : null;
            case "installation", "comment", "seer", "preprod_artifact" -> List.of();
            default -> null;
        };
    }

    private static String resource(String header, JsonNode data) {
        if (header != null && !header.isBlank()) {
            return header.trim().toLowerCase(Locale.ROOT);
        }
        if (data.has("event")) {
            return "event_alert";
        }
        if (data.has("metric_alert")) {
            return "metric_alert";
        }
        if (data.has("issue")) {
            return "issue";
        }
        if (data.has("error")) {
            return "error";
        }
        return data.has("installation") ? "installation" : null;
    }

    private static AlertDraft fromEvent(String resource, JsonNode event, String triggeredRule, AlertState state) {
        String eventId = Field.firstOf(Field.textOf(event.get("event_id")), Field.textOf(event.get("id")));
        String url = Field.textOf(event.get("url"));
        String issueId = Field.firstOf(Field.textOf(event.get("issue_id")), pathSegmentAfter(Field.textOf(event.get("issue_url")), "issues"));
        // The project slug is in the event's API URL; the event's own "project" is usually the numeric id.
        String project = Field.firstOf(pathSegmentAfter(url, "projects", 1), Field.textOf(event.get("project_slug")),
                slugOrNull(Field.textOf(event.get("project"))));
        String eventTitle = Field.textOf(event.get("title"));
        Labels labels = new Labels()
                .putTags("", event.get("tags"))
                .put("issue_id", issueId)
                .put("level", Field.textOf(event.get("level")))
                .put("platform", Field.textOf(event.get("platform")))
                .put("organization", pathSegmentAfter(url, "projects"))
                .put("project", project)
                .put("rule", triggeredRule)
                .put("web_url", Field.textOf(event.get("web_url")));
        return AlertDraft.builder(SOURCE)
                .eventId(webhookEventId(resource, eventId != null ? eventId : ContentHash.sha256(event.toString()), triggeredRule, state))
                .occurredAt(Timestamps.parse(event.get("datetime")).or(() -> Timestamps.parse(event.get("timestamp"))).orElse(null))
                .service(project)
                .environment(Field.firstOf(Field.textOf(event.get("environment")), labels.get("environment")))
                .name(Field.firstOf(eventTitle, Field.textOf(event.path("metadata").get("type")), "Sentry event"))
                .title(triggeredRule == null ? eventTitle : triggeredRule + ": " + eventTitle)
                .state(state)
                .severity(SeverityWords.of(Field.textOf(event.get("level")), Severity.HIGH))
                .labels(labels)
                .identity("issue_id", issueId)
                .build();
    }

    /**
     * One Sentry event reaches Rollcall as an {@code error} webhook (info) and as an {@code event_alert} of each
     * alert rule it triggers (and a relayed resolution of it): each is an event of its own, and a redelivery of any
     * of them is the same one. Keyed by the event id alone, whichever came first hid the others, a page included.
     */
    static String webhookEventId(String resource, String sentryEventId, String triggeredRule, AlertState state) {
        return "error".equals(resource)
                ? SOURCE + ":error:" + sentryEventId
                : SOURCE + ":event_alert:" + sentryEventId + ":" + state.wire() + ":" + ContentHash.sha256(triggeredRule).substring(0, 16);
    }

    private static AlertDraft fromMetricAlert(JsonNode data, String action, Inbound inbound) {
        JsonNode incident = data.path("metric_alert");
        JsonNode rule = incident.path("alert_rule");
        String incidentId = Field.textOf(incident.get("id"));
        String ruleId = Field.textOf(rule.get("id"));
        String project = Field.firstOf(Field.textOf(rule.path("projects").path(0)), Field.textOf(incident.path("projects").path(0)));
        boolean resolved = "resolved".equals(action);
        Labels labels = new Labels()
                .put("action", action)
                .put("alert_rule_id", ruleId)
                .put("incident_id", incidentId)
                .put("incident_identifier", Field.textOf(incident.get("identifier")))
                .put("aggregate", Field.textOf(rule.get("aggregate")))
                .put("query", Field.textOf(rule.get("query")))
                .put("project", project)
                .put("web_url", Field.textOf(data.get("web_url")));
        return AlertDraft.builder(SOURCE)
                .eventId(SOURCE + ":metric_alert:" + incidentId + ":" + action + ":" + shortBodyHash(inbound))
                // A resolution's payload may hold no date_closed yet (Sentry's own sample has none): then when Sentry
                // sent it, not when a queue delivered it.
                .occurredAt(resolved ? Field.firstOf(Timestamps.parse(incident.get("date_closed")).orElse(null), sentAt(inbound))
                        : Field.firstOf(sentAt(inbound), Timestamps.parse(incident.get("date_detected")).orElse(null)))
                .service(project)
                .environment(Field.textOf(rule.get("environment")))
                .name(Field.firstOf(Field.textOf(rule.get("name")), "Sentry metric alert"))
                .title(Field.textOf(data.get("description_title")))
                .state(resolved ? AlertState.RESOLVED : AlertState.FIRING)
                .severity(switch (action == null ? "" : action) {
                    case "critical" -> Severity.CRITICAL;
                    case "warning" -> Severity.MEDIUM;
                    default -> Severity.INFO;
                })
                .labels(labels)
                .identity("alert_rule_id", ruleId)
                .build();
    }

    /**
     * When Sentry sent the webhook ({@value #TIMESTAMP_HEADER}, epoch seconds), or null. A metric alert's warning and
     * its later escalation to critical both carry the incident's {@code date_detected}: dated by it, the page fell at
     * the warning's time, hours back, in another hour's or day's bucket.
     */
    static java.time.Instant sentAt(Inbound inbound) {
        String seconds = inbound.header(TIMESTAMP_HEADER);
        if (seconds == null) {
            return null;
        }
        try {
            return java.time.Instant.ofEpochSecond(Long.parseLong(seconds.strip()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static AlertDraft fromIssue(JsonNode issue, String action, Inbound inbound) {
        String issueId = Field.textOf(issue.get("id"));
        String project = Field.textOf(issue.path("project").get("slug"));
        String title = Field.textOf(issue.get("title"));
        Labels labels = new Labels()
                .put("action", action)
                .put("issue_id", issueId)
                .put("short_id", Field.textOf(issue.get("shortId")))
                .put("status", Field.textOf(issue.get("status")))
                .put("substatus", Field.textOf(issue.get("substatus")))
                .put("level", Field.textOf(issue.get("level")))
                .put("platform", Field.textOf(issue.get("platform")))
                .put("project", project)
                .put("culprit", Field.textOf(issue.get("culprit")))
                .put("assigned_to", Field.textOf(issue.path("assignedTo").get("name")));
        return AlertDraft.builder(SOURCE)
                .eventId(SOURCE + ":issue:" + issueId + ":" + action + ":" + shortBodyHash(inbound))
                // Sentry sends issue webhooks as the change happens; only creation has its own time in the payload.
                .occurredAt("created".equals(action) ? Timestamps.parse(issue.get("firstSeen")).orElse(null) : null)
                .service(project)
                .name(Field.firstOf(title, "Sentry issue " + issueId))
                .title(Field.textOf(issue.get("shortId")) == null ? title : Field.textOf(issue.get("shortId")) + ": " + title)
                .state(issueState(action))
                .severity(SeverityWords.of(Field.textOf(issue.get("level")), Severity.HIGH))
                .labels(labels)
                .identity("issue_id", issueId)
                .build();
    }

    /** A project given by name; null when it is the numeric id. */
    private static String slugOrNull(String project) {
        return project == null || project.chars().allMatch(Character::isDigit) ? null : project;
    }

    static AlertState issueState(String action) {
        if (action == null) {
            return AlertState.INFO;
        }
        return switch (action) {
            case "created", "unresolved" -> AlertState.FIRING;
            case "resolved", "archived", "ignored" -> AlertState.RESOLVED;
            default -> AlertState.INFO;
        };
    }

    /** Sentry sends no delivery id: the body's hash tells a redelivery (same bytes) from a new transition. */
    private static String shortBodyHash(Inbound inbound) {
        return ContentHash.sha256(inbound.contentBytes()).substring(0, 16);
    }

    private static String pathSegmentAfter(String url, String segment) {
        return pathSegmentAfter(url, segment, 0);
    }

    /** In {@code .../projects/test-org/front-end/...}, the segment {@code skip} places after "projects". */
    private static String pathSegmentAfter(String url, String segment, int skip) {
        if (url == null) {
            return null;
        }
        String[] parts = url.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals(segment) && i + 1 + skip < parts.length && !parts[i + 1 + skip].isEmpty()) {
                return parts[i + 1 + skip];
            }
        }
        return null;
    }
}
