package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Datadog monitor notifications: the webhook integration's payload (a JSON template of $-variables that users
 * write themselves, so the common field names are all read: {@code id}, {@code title}/{@code event_title},
 * {@code alert_transition}, {@code alert_priority}, {@code alert_type}, {@code tags}, {@code alert_id},
 * {@code alert_scope}, {@code date}/{@code last_updated}, ...) and EventBridge partner events whose source starts
 * with {@code aws.partner/datadog.com}. Triggered, Re-Triggered and Renotify fire, Warn fires at medium, Recovered
 * resolves, No Data informs (a {@code Re-} repeat maps like the first). The integration's default payload has no
 * transition, priority or scope fields; its title's bracketed prefixes ({@code [P1] [Recovered on {host:a}] ...}) say
 * them. The service comes from the {@code service:} tag and the environment from {@code env:}.
 */
final class DatadogNormalizer {

    static final String SOURCE = "datadog";
    static final String PARTNER_SOURCE_PREFIX = "aws.partner/datadog.com";

    /** Transitions as monitor titles spell them, as {@link #baseTransition} writes them. */
    private static final Set<String> TITLE_TRANSITIONS =
            Set.of("triggered", "recovered", "warn", "no data", "renotify");

    /** Where templates put the notification's time, first found first. */
    private static final String[] TIME_FIELDS = {"last_updated", "date", "date_happened", "timestamp"};

    private DatadogNormalizer() {
    }

    /** Fields only Datadog's webhook variables produce; the payload is user-written, so several are tried. */
    static boolean looksLikeDatadog(JsonNode payload) {
        return payload.has("alert_transition") || payload.has("alert_cycle_key") || payload.has("aggreg_key")
                || (payload.has("alert_id") && payload.has("alert_type")) || isDefaultPayload(payload);
    }

    /**
     * The integration's default payload, {@code body, last_updated, event_type, title, date, org {id, name}, id}: none
     * of its fields is Datadog's alone, so only all of them together, {@code org} an object, recognize it.
     */
    private static boolean isDefaultPayload(JsonNode payload) {
        JsonNode org = payload.get("org");
        return org != null && org.isObject() && org.has("id") && org.has("name")
                && payload.has("id") && payload.has("title") && payload.has("body")
                && payload.has("date") && payload.has("last_updated") && payload.has("event_type");
    }

    /**
     * Whether a body on Datadog's path has any field this reader reads: its payload is whatever the integration's
     * template says, so any of them will do; a body with none ({@code {"a":1}}) would otherwise be a firing of urgency high,
     * a page, out of nothing. Such a body is kept as a custom event instead.
     */
    static boolean hasAnyFieldRead(JsonNode payload) {
        for (String field : FIELDS_READ) {
            if (payload.has(field)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> FIELDS_READ = List.of("id", "event_id", "title", "event_title", "alert_title", "msg_title",
            "alert_transition", "transition", "alert_type", "alert_priority", "priority", "alert_id", "monitor_id", "alert_scope",
            "scope", "alert_status", "alert_metric", "hostname", "host", "org", "event_type", "link", "url", "tags",
            "last_updated", "date", "date_happened", "timestamp", "alert_cycle_key", "aggreg_key");

    static List<AlertDraft> fromWebhook(JsonNode payload, Inbound inbound) {
        String id = Field.firstText(payload, "id", "event_id");
        String eventId = SOURCE + ":" + (id != null ? id : withoutId(payload, inbound));
        return List.of(draft(payload, eventId, null, null, null).build());
    }

    /**
     * The id of a template that sends no {@code $ID}: its bytes alone when it sends a time ({@code $DATE},
     * {@code $LAST_UPDATED}), which every notification of a monitor changes, so Datadog's retry of a delivery whose
     * answer it did not see is the same event; else the bytes and when they arrived, as for any payload without one.
     */
    private static String withoutId(JsonNode payload, Inbound inbound) {
        return Field.firstTime(payload, TIME_FIELDS) != null ? ContentHash.sha256(inbound.contentBytes()) : ContentHash.ofDelivery(inbound);
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        return List.of(draft(event.detail(), event.id(), event.account(), event.region(), event.eventTime()).build());
    }

    private static AlertDraft.Builder draft(JsonNode alert, String eventId, String account, String region, Instant envelopeTime) {
        Labels labels = new Labels().putTags("", alert.get("tags"));
        String title = Field.firstText(alert, "title", "event_title", "alert_title", "msg_title");
        String transitionField = Field.firstText(alert, "alert_transition", "transition");
        // Only a payload without a transition (the default one) takes its transition and priority from its title,
        // so templates that send the fields are read as they say. Its scope is read from the title whenever no field
        // gives one: without it every group of a multi-alert monitor was one alert, host:a's recovery ending
        // host:b's firing.
        TitlePrefixes titled = TitlePrefixes.of(title);
        TitlePrefixes inTitle = transitionField == null ? titled : TitlePrefixes.NONE;
        String transition = Field.firstOf(transitionField, inTitle.transition());
        String alertType = Field.firstText(alert, "alert_type");
        String priority = Field.firstOf(Field.firstText(alert, "alert_priority", "priority"), inTitle.priority());
        String monitorId = Field.firstText(alert, "alert_id", "monitor_id");
        String scope = Field.firstOf(Field.firstText(alert, "alert_scope", "scope"), titled.scope());
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
                .occurredAt(Field.firstOf(Field.firstTime(alert, TIME_FIELDS), envelopeTime))
                .account(account)
                .region(region)
                .service(labels.serviceTag())
                .environment(labels.environmentTag())
                .name(Titles.withoutBracketPrefixes(Field.firstOf(title, monitorId == null ? null : "Datadog monitor " + monitorId),
                        TitlePrefixes::isDatadogPrefix))
                .title(title)
                .state(state(transition, alertType))
                .severity(severity(isMonitorPriority(priority) ? priority : inTitle.priority(), transition, alertType))
                .labels(labels)
                .identity("monitor_id", monitorId)
                .identity("scope", scope);
    }

    static AlertState state(String transition, String alertType) {
        if (transition != null) {
            String t = baseTransition(transition);
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

    /**
     * The monitor's priority (P1-P5) when set, at most medium for a warning; else what the transition or alert type
     * says. A priority belongs to the monitor, not to the notification: a Warn (or Re-Warn) crossed only the warning
     * threshold, and a P1 monitor's warning counted as critical paged, ahead of its real alert.
     */
    static Severity severity(String priority, String transition, String alertType) {
        boolean warning = transition != null ? baseTransition(transition).startsWith("warn") : "warning".equalsIgnoreCase(alertType);
        if (isMonitorPriority(priority)) {
            Severity byPriority = SeverityWords.of(priority, null);
            if (byPriority != null) {
                return warning && byPriority.compareTo(Severity.MEDIUM) < 0 ? Severity.MEDIUM : byPriority;
            }
        }
        if (warning) {
            return Severity.MEDIUM;
        }
        return SeverityWords.of(alertType, Severity.HIGH);
    }

    /** Only monitor priorities (P1-P5) are severities; event priorities ("normal", "low") are not. */
    private static boolean isMonitorPriority(String priority) {
        return priority != null && priority.length() == 2 && (priority.charAt(0) == 'P' || priority.charAt(0) == 'p')
                && Character.isDigit(priority.charAt(1));
    }

    /** A transition lower-cased and without {@code Re-}: Re-Triggered, Re-Warn and Re-No Data repeat the first. */
    private static String baseTransition(String transition) {
        String t = transition.strip().toLowerCase(Locale.ROOT);
        return t.startsWith("re-") ? t.substring("re-".length()) : t;
    }

    /**
     * What a monitor title's bracketed prefixes say: {@code "[P1] [Recovered on {host:a}] CPU high"} is transition
     * Recovered, scope host:a, priority P1. Only transition words and P1-P5 count: {@code "[staging] ..."} says nothing.
     */
    record TitlePrefixes(String transition, String scope, String priority) {

        static final TitlePrefixes NONE = new TitlePrefixes(null, null, null);

        static TitlePrefixes of(String title) {
            String transition = null;
            String scope = null;
            String priority = null;
            for (String prefix : Titles.bracketPrefixes(title)) {
                int on = prefix.indexOf(" on ");
                String word = on >= 0 ? prefix.substring(0, on).strip() : prefix;
                if (transition == null && TITLE_TRANSITIONS.contains(baseTransition(word))) {
                    transition = word;
                    scope = on >= 0 ? withoutBraces(prefix.substring(on + " on ".length())) : null;
                } else if (priority == null && isMonitorPriority(prefix)) {
                    priority = prefix;
                }
            }
            return new TitlePrefixes(transition, scope, priority);
        }

        /** Whether a bracketed prefix is one Datadog adds: a transition (with its scope) or a monitor priority. */
        static boolean isDatadogPrefix(String prefix) {
            int on = prefix.indexOf(" on ");
            String word = on >= 0 ? prefix.substring(0, on).strip() : prefix;
            return TITLE_TRANSITIONS.contains(baseTransition(word)) || isMonitorPriority(prefix);
        }

        private static String withoutBraces(String scope) {
            String s = scope.strip();
            if (s.startsWith("{") && s.endsWith("}")) {
                s = s.substring(1, s.length() - 1).strip();
            }
            return s.isEmpty() ? null : s;
        }
    }
}
