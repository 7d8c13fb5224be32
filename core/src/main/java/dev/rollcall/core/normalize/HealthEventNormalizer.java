package dev.rollcall.core.normalize;

import java.util.List;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * AWS Health events (issue, scheduledChange, accountNotification, investigation; also abuse events).
 * {@code statusCode} open is firing, closed resolved, upcoming info; events without one (older payloads) fire when
 * they are issues and inform otherwise. Pages after the first of a paginated event inform (see {@link #state}). The
 * fingerprint is the event ARN, which AWS keeps for the whole event. The account is the affected account where an
 * organizational view names it.
 */
final class HealthEventNormalizer {

    static final String SOURCE = "health";
    static final String ABUSE_DETAIL_TYPE = "AWS Health Abuse Event";

    private static final Field EVENT_ARN = Field.of("eventArn");
    private static final Field SERVICE = Field.of("service");
    private static final Field EVENT_TYPE_CODE = Field.of("eventTypeCode");
    private static final Field EVENT_TYPE_CATEGORY = Field.of("eventTypeCategory");
    private static final Field EVENT_SCOPE_CODE = Field.of("eventScopeCode");
    private static final Field STATUS_CODE = Field.of("statusCode");
    private static final Field EVENT_REGION = Field.of("eventRegion");
    private static final Field AFFECTED_ACCOUNT = Field.of("affectedAccount");
    private static final Field START_TIME = Field.of("startTime");
    private static final Field END_TIME = Field.of("endTime");
    private static final Field LAST_UPDATED_TIME = Field.of("lastUpdatedTime");
    private static final Field EVENT_DESCRIPTION = Field.of("eventDescription");
    private static final Field LATEST_DESCRIPTION = Field.of("latestDescription");
    private static final Field AFFECTED_ENTITIES = Field.of("affectedEntities");
    private static final Field ENTITY_VALUE = Field.of("entityValue");
    private static final Field TAGS = Field.of("tags");
    private static final Field PAGE = Field.of("page");
    private static final Field TOTAL_PAGES = Field.of("totalPages");

    private HealthEventNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode detail = event.detail();
        String eventArn = EVENT_ARN.text(detail);
        String category = EVENT_TYPE_CATEGORY.text(detail);
        String status = STATUS_CODE.text(detail);
        String typeCode = EVENT_TYPE_CODE.text(detail);
        String page = PAGE.text(detail);
        Labels labels = new Labels();
        JsonNode entities = AFFECTED_ENTITIES.in(detail);
        StringJoiner entityValues = new StringJoiner(",");
        if (entities.isArray()) {
            for (JsonNode entity : entities) {
                String value = ENTITY_VALUE.text(entity);
                if (value != null) {
                    entityValues.add(value);
                }
                labels.putTags("", TAGS.in(entity));
            }
        }
        labels.put("event_arn", eventArn)
                .put("aws_service", SERVICE.text(detail))
                .put("event_type_code", typeCode)
                .put("event_type_category", category)
                .put("event_scope", EVENT_SCOPE_CODE.text(detail))
                .put("status_code", status)
                .put("start_time", START_TIME.text(detail))
                .put("end_time", END_TIME.text(detail))
                .put("affected_entities", entityValues.length() == 0 ? null : entityValues.toString())
                .put("page", page)
                .put("total_pages", TOTAL_PAGES.text(detail));
        String account = Field.firstOf(AFFECTED_ACCOUNT.text(detail), event.account());
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(eventId(event, account, eventArn, LAST_UPDATED_TIME.text(detail), status, page))
                .occurredAt(Timestamps.parse(LAST_UPDATED_TIME.in(detail))
                        .or(() -> Timestamps.parse(START_TIME.in(detail)))
                        .orElse(event.eventTime()))
                .account(account)
                // The envelope region is where the event was delivered; the event's region is what it affects.
                .region(Field.firstOf(EVENT_REGION.text(detail), regionOfArn(eventArn), event.region()))
                .name(Field.firstOf(typeCode, event.detailType()))
                .title(Titles.firstLine(description(detail), typeCode))
                .state(state(status, category, page))
                .severity(ABUSE_DETAIL_TYPE.equals(event.detailType()) ? Severity.HIGH : severity(category))
                .service(labels.serviceTag())
                .environment(labels.environmentTag())
                .labels(labels)
                .identity("event_arn", eventArn)
                .build());
    }

    /**
     * One update of one event for one account, whichever copy carries it: AWS Health sends public events to the
     * affected Region and to a backup Region (us-west-2) at once, and an organizational view sends the management or
     * delegated administrator account a copy too, each with an EventBridge id of its own; by that id each copy paged
     * again. Without an ARN or an update time the envelope's id is all there is.
     */
    static String eventId(EventBridgeEvent event, String account, String eventArn, String lastUpdatedTime, String status, String page) {
        if (eventArn == null || lastUpdatedTime == null) {
            return event.id();
        }
        return ContentHash.eventId(SOURCE, account, eventArn, ContentHash.timePart(lastUpdatedTime), status, page);
    }

    /**
     * The state of one page of an event. An update whose affected entities exceed 256 KB arrives as several events
     * with the same ARN and {@code page} "1", "2", ... (AWS Health User Guide, "Pagination of AWS Health events"); only
     * the first is the transition, the others carry more entities and would otherwise fire the issue again.
     */
    static AlertState state(String statusCode, String category, String page) {
        if (page != null && !"1".equals(page.strip())) {
            return AlertState.INFO;
        }
        return state(statusCode, category);
    }

    static AlertState state(String statusCode, String category) {
        if (statusCode == null) {
            return "issue".equals(category) ? AlertState.FIRING : AlertState.INFO;
        }
        return switch (statusCode) {
            case "open" -> AlertState.FIRING;
            case "closed" -> AlertState.RESOLVED;
            default -> AlertState.INFO;
        };
    }

    static Severity severity(String category) {
        if (category == null) {
            return Severity.INFO;
        }
        return switch (category) {
            case "issue" -> Severity.HIGH;
            case "investigation", "scheduledChange" -> Severity.MEDIUM;
            case "accountNotification" -> Severity.LOW;
            default -> Severity.INFO;
        };
    }

    /** Health event ARNs carry the region ({@code arn:aws:health:us-west-2::event/...}) or "global". */
    private static String regionOfArn(String eventArn) {
        String region = AwsRegions.fromArn(eventArn);
        return region != null ? region : ("global".equals(arnRegionField(eventArn)) ? "global" : null);
    }

    private static String arnRegionField(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 5);
        return parts.length > 3 ? parts[3] : null;
    }

    private static String description(JsonNode detail) {
        JsonNode descriptions = EVENT_DESCRIPTION.in(detail);
        if (descriptions.isArray()) {
            for (JsonNode description : descriptions) {
                String text = LATEST_DESCRIPTION.text(description);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}
