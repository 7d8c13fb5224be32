package dev.rollcall.core.normalize;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * GuardDuty findings ("GuardDuty Finding" events; camelCase as EventBridge sends them or PascalCase as SDK dumps
 * forward them). A repeated finding arrives again with a higher {@code service.count} and a new {@code updatedAt}:
 * each update is its own document, identified by the update (see {@link FindingUpdateIds}; the administrator account
 * receives its members' findings too), and all of them share the fingerprint made of the finding id. Severity
 * 0.1-8.9+ maps to low (&lt;4), medium (&lt;7), high (&lt;9) and critical (9 and above); archived findings are resolved.
 */
final class GuardDutyFindingNormalizer {

    static final String SOURCE = "guardduty";
    static final String DETAIL_TYPE = "GuardDuty Finding";
    private static final BigDecimal CRITICAL = BigDecimal.valueOf(9);
    private static final BigDecimal HIGH = BigDecimal.valueOf(7);
    private static final BigDecimal MEDIUM = BigDecimal.valueOf(4);

    private static final Field ID = Field.of("id");
    private static final Field ARN = Field.of("arn");
    private static final Field TYPE = Field.of("type");
    private static final Field TITLE = Field.of("title");
    private static final Field SEVERITY = Field.of("severity");
    private static final Field ACCOUNT_ID = Field.of("accountId");
    private static final Field REGION = Field.of("region");
    private static final Field UPDATED_AT = Field.of("updatedAt");
    private static final Field SERVICE = Field.of("service");
    private static final Field COUNT = Field.of("count");
    private static final Field ARCHIVED = Field.of("archived");
    private static final Field EVENT_LAST_SEEN = Field.of("eventLastSeen");
    private static final Field RESOURCE_ROLE = Field.of("resourceRole");
    private static final Field ACTION = Field.of("action");
    private static final Field ACTION_TYPE = Field.of("actionType");
    private static final Field RESOURCE = Field.of("resource");
    private static final Field RESOURCE_TYPE = Field.of("resourceType");
    private static final Field INSTANCE_DETAILS = Field.of("instanceDetails");
    private static final Field INSTANCE_ID = Field.of("instanceId");
    private static final Field TAGS = Field.of("tags");
    private static final Field ACCESS_KEY_DETAILS = Field.of("accessKeyDetails");
    private static final Field USER_NAME = Field.of("userName");
    private static final Field DETECTOR_ID = Field.of("detectorId");

    private GuardDutyFindingNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode finding = event.detail();
        JsonNode service = SERVICE.in(finding);
        JsonNode resource = RESOURCE.in(finding);
        JsonNode instance = INSTANCE_DETAILS.in(resource);
        String findingId = ID.text(finding);
        String severityScore = SEVERITY.text(finding);
        Labels labels = new Labels()
                .putTags("", TAGS.in(instance))
                .put("finding_id", findingId)
                .put("finding_type", TYPE.text(finding))
                .put("severity_score", severityScore)
                .put("count", COUNT.text(service))
                .put("detector_id", DETECTOR_ID.text(service))
                .put("resource_type", RESOURCE_TYPE.text(resource))
                .put("resource_role", RESOURCE_ROLE.text(service))
                .put("action_type", ACTION_TYPE.text(ACTION.in(service)))
                .put("instance_id", INSTANCE_ID.text(instance))
                .put("access_key_user", USER_NAME.text(ACCESS_KEY_DETAILS.in(resource)));
        AlertState state = ARCHIVED.in(service).asBoolean(false) ? AlertState.RESOLVED : AlertState.FIRING;
        Severity severity = severity(severityScore);
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(FindingUpdateIds.of(SOURCE, null, Field.firstOf(ARN.text(finding), findingId), UPDATED_AT.text(finding),
                        state, severity, event.id()))
                // The envelope time of early GuardDuty events is the epoch; the finding's own time is right.
                .occurredAt(Timestamps.parse(UPDATED_AT.in(finding))
                        .or(() -> Timestamps.parse(EVENT_LAST_SEEN.in(service)))
                        .orElse(event.eventTime()))
                .account(Field.firstOf(ACCOUNT_ID.text(finding), event.account()))
                .region(Field.firstOf(REGION.text(finding), event.region()))
                .name(Field.firstOf(TYPE.text(finding), "GuardDuty finding"))
                .title(TITLE.text(finding))
                .state(state)
                .severity(severity)
                .labelsWithTaggedPlace(labels)
                .identity("finding_id", findingId)
                .build());
    }

    /** GuardDuty's documented bands, with 9 and above (used for attack sequences) as critical. */
    static Severity severity(String score) {
        if (score == null) {
            return Severity.MEDIUM;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(score.trim());
        } catch (NumberFormatException e) {
            return SeverityWords.of(score, Severity.MEDIUM);
        }
        if (value.compareTo(CRITICAL) >= 0) {
            return Severity.CRITICAL;
        }
        if (value.compareTo(HIGH) >= 0) {
            return Severity.HIGH;
        }
        return value.compareTo(MEDIUM) >= 0 ? Severity.MEDIUM : Severity.LOW;
    }
}
