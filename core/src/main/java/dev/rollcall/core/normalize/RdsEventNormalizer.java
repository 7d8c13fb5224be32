package dev.rollcall.core.normalize;

import java.util.List;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * RDS events ("RDS DB Instance Event", "RDS DB Cluster Event", snapshot and parameter group events), kept as
 * {@code info}. The name is the RDS event id ({@code RDS-EVENT-0049}), which says what happened.
 */
final class RdsEventNormalizer {

    static final String SOURCE = "rds";
    static final String DETAIL_TYPE_PREFIX = "RDS DB ";

    private static final Field EVENT_ID = new Field("eventID", "EventID");
    private static final Field MESSAGE = Field.of("message");
    private static final Field SOURCE_IDENTIFIER = Field.of("sourceIdentifier");
    private static final Field SOURCE_TYPE = Field.of("sourceType");
    private static final Field SOURCE_ARN = Field.of("sourceArn");
    private static final Field EVENT_CATEGORIES = Field.of("eventCategories");
    private static final Field DATE = Field.of("date");

    private RdsEventNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode detail = event.detail();
        String sourceIdentifier = SOURCE_IDENTIFIER.text(detail);
        StringJoiner categories = new StringJoiner(",");
        EVENT_CATEGORIES.in(detail).forEach(c -> categories.add(c.asText()));
        Labels labels = new Labels()
                .put("rds_event_id", EVENT_ID.text(detail))
                .put("source_identifier", sourceIdentifier)
                .put("source_type", SOURCE_TYPE.text(detail))
                .put("source_arn", SOURCE_ARN.text(detail))
                .put("event_categories", categories.length() == 0 ? null : categories.toString());
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(event.id())
                .occurredAt(Timestamps.parse(DATE.in(detail)).orElse(event.eventTime()))
                .account(event.account())
                .region(event.region())
                .name(Field.firstOf(EVENT_ID.text(detail), event.detailType()))
                .title(Titles.firstLine(MESSAGE.text(detail), event.detailType()))
                .state(AlertState.INFO)
                .severity(Severity.INFO)
                .labels(labels)
                .identity("source_identifier", sourceIdentifier)
                .build());
    }
}
