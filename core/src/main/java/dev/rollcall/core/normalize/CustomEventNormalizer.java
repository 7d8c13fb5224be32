package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Everything no other normalizer knows, kept as one {@code custom} alert with its payload intact, never dropped.
 * An EventBridge event keeps its id, account, region and time; other payloads are read for the usual field names
 * ({@code id}, {@code name}/{@code title}, {@code status}, {@code severity}, {@code time}, {@code tags}, ...), and
 * without an id their event id is the SHA-256 of the bytes received.
 */
final class CustomEventNormalizer {

    static final String SOURCE = "custom";

    private CustomEventNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        return fromEventBridge(event, null);
    }

    /**
     * An EventBridge-shaped event kept as custom, with the webhook source it came by when there was one. An
     * application's own event (a source not an AWS service's) is read from its {@code detail} as any custom payload
     * is: its status, severity, service, environment, name and time, so that an application's alert put on the bus
     * fires, pages and resolves as the same body sent to the queue does. An AWS service's event no normalizer knows is
     * kept as an info event named by its detail type.
     */
    static List<AlertDraft> fromEventBridge(EventBridgeEvent event, String sourceHint) {
        Labels labels = new Labels();
        JsonNode detail = event.detail();
        boolean application = !event.source().startsWith(SourceDispatch.AWS_SOURCE_PREFIX) && detail != null && detail.isObject();
        if (application) {
            labels.putTags("", detail.has("tags") ? detail.get("tags") : detail.get("labels"));
        }
        // Set, not put: a producer's own tag of these names must not move its alerts to another fingerprint.
        labels.set("source_hint", sourceHint)
                .set("event_source", event.source())
                .set("detail_type", event.detailType())
                .set("resource", event.firstResource());
        AlertDraft.Builder draft = AlertDraft.builder(SOURCE)
                .eventId(event.id())
                .occurredAt(event.eventTime())
                .account(event.account())
                .region(event.region())
                .name(event.detailType())
                .title(event.source() + ": " + event.detailType())
                .labels(labels);
        if (application) {
            String name = Field.firstOf(Field.firstText(detail, NAME_FIELDS), event.detailType());
            draft.name(name)
                    .title(Titles.firstLine(Field.firstText(detail, TITLE_FIELDS), name))
                    .occurredAt(Field.firstOf(Field.firstTime(detail, TIME_FIELDS), event.eventTime()))
                    .service(Field.firstText(detail, SERVICE_FIELDS))
                    .environment(Field.firstText(detail, ENVIRONMENT_FIELDS))
                    .state(state(Field.firstText(detail, STATE_FIELDS)))
                    .severity(SeverityWords.of(Field.firstText(detail, SEVERITY_FIELDS), Severity.INFO));
        }
        return List.of(draft.build());
    }

    // The usual field names of a custom payload, first found first; the same for a body and for an event's detail.
    private static final String[] NAME_FIELDS = {"name", "alertname", "alert_name", "title", "event", "event_type", "type"};
    private static final String[] TITLE_FIELDS = {"title", "summary", "message", "description", "text"};
    private static final String[] TIME_FIELDS = {"time", "timestamp", "occurred_at", "occurredAt", "date", "created_at", "createdAt"};
    private static final String[] SERVICE_FIELDS = {"service", "app", "application"};
    private static final String[] ENVIRONMENT_FIELDS = {"environment", "env"};
    private static final String[] STATE_FIELDS = {"status", "state"};
    private static final String[] SEVERITY_FIELDS = {"severity", "level", "priority"};

    static List<AlertDraft> fromAnything(Inbound inbound) {
        JsonNode payload = inbound.payload();
        Labels labels = new Labels().put("source_hint", inbound.sourceHint());
        if (!payload.isObject()) {
            String text = Field.textOf(payload);
            return List.of(AlertDraft.builder(SOURCE)
                    .eventId(eventId(inbound))
                    .occurredAt(Timestamps.parse(inbound.snsTimestamp()).orElse(null))
                    .name(Field.firstOf(inbound.snsSubject(), "custom event"))
                    .title(Titles.firstLine(text, inbound.snsSubject()))
                    .labels(labels)
                    .build());
        }
        labels.putTags("", payload.has("tags") ? payload.get("tags") : payload.get("labels"));
        // The path is part of the fingerprint: a producer's own tag of that name must not move its alerts to another.
        labels.set("source_hint", inbound.sourceHint());
        String name = Field.firstText(payload, NAME_FIELDS);
        Instant occurredAt = Field.firstOf(Field.firstTime(payload, TIME_FIELDS), Timestamps.parse(inbound.snsTimestamp()).orElse(null));
        AlertState state = state(Field.firstText(payload, STATE_FIELDS));
        String ownId = Field.firstText(payload, "id", "event_id", "eventId", "uuid");
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(ownId == null ? eventId(inbound) : ownEventId(ownId, inbound.sourceHint(), state, occurredAt, firstSent(inbound)))
                .occurredAt(occurredAt)
                .account(Field.firstText(payload, "account", "account_id", "accountId"))
                .region(AwsRegions.code(Field.firstText(payload, "region")))
                .service(Field.firstText(payload, SERVICE_FIELDS))
                .environment(Field.firstText(payload, ENVIRONMENT_FIELDS))
                .name(Field.firstOf(name, inbound.snsSubject(), "custom event"))
                .title(Titles.firstLine(Field.firstText(payload, TITLE_FIELDS), name))
                .state(state)
                .severity(SeverityWords.of(Field.firstText(payload, SEVERITY_FIELDS), Severity.INFO))
                .labels(labels)
                .build());
    }

    /**
     * A payload's own id qualified by the source it came by, its state and its time: producers commonly send one
     * alert's firing and resolution under one id (an alias, a dedup key), and fire it again later; two tools' ids
     * may be the same small numbers; by the bare id each of those was a duplicate and dropped. Without a time of its
     * own the payload is timed by when it was first sent through the queue, which a redelivery repeats: so a
     * redelivery is still stored once, while a sender's retry of a failed delivery is a second event.
     */
    static String ownEventId(String ownId, String sourceHint, AlertState state, Instant occurredAt, Instant firstSent) {
        // The hint (none: empty) ends at the first ':' after the source, which no hint holds, so no own id can pose
        // as another source's.
        StringBuilder id = new StringBuilder(SOURCE).append(':');
        if (sourceHint != null) {
            id.append(sourceHint.replace(':', '_'));
        }
        id.append(':').append(ownId).append(':').append(state.wire());
        if (occurredAt != null) {
            id.append(':').append(occurredAt);
        } else if (firstSent != null) {
            id.append(":sent:").append(firstSent.toEpochMilli());
        }
        return id.toString();
    }

    /**
     * The id of an EventBridge-shaped body that came through a webhook: its own id within custom's and the path's
     * namespace, as {@link #ownEventId} keeps other payloads' ids, so that no webhook can take another source's id.
     */
    static String webhookEventId(String sourceHint, String id) {
        return SOURCE + ':' + (sourceHint == null ? "" : sourceHint.replace(':', '_')) + ":eventbridge:" + id;
    }

    /** When the delivery was first handed to Rollcall, for the doors whose redeliveries repeat it (SQS, webhooks). */
    private static Instant firstSent(Inbound inbound) {
        IncomingEvent.Door door = inbound.event().door();
        return door == IncomingEvent.Door.SQS || door == IncomingEvent.Door.WEBHOOK ? inbound.event().sentAt() : null;
    }

    /** For a payload without an id of its own: the SNS message id; else the delivery's hash (see {@link ContentHash#ofDelivery}). */
    private static String eventId(Inbound inbound) {
        if (inbound.snsMessageId() != null) {
            return SOURCE + ":sns:" + inbound.snsMessageId();
        }
        return SOURCE + ":" + ContentHash.ofDelivery(inbound);
    }


    static AlertState state(String status) {
        if (status == null) {
            return AlertState.INFO;
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "firing", "triggered", "alarm", "alert", "alerting", "open", "error", "failed", "failure", "critical", "problem" ->
                    AlertState.FIRING;
            case "resolved", "ok", "closed", "recovered", "success", "succeeded", "normal" -> AlertState.RESOLVED;
            default -> AlertState.INFO;
        };
    }
}
