package dev.rollcall.core.normalize;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Amazon Inspector "Inspector2 Finding" events, identified by the finding update (see {@link FindingUpdateIds}): a
 * delegated administrator receives each member's events as well as the member. ACTIVE findings fire; CLOSED and
 * SUPPRESSED ones are resolved.
 * The name is the vulnerability id (a CVE) where there is one, so the same CVE groups across resources; the
 * fingerprint is the finding ARN (one resource, one vulnerability).
 */
final class InspectorFindingNormalizer {

    static final String SOURCE = "inspector";
    static final String DETAIL_TYPE = "Inspector2 Finding";

    private static final Field FINDING_ARN = Field.of("findingArn");
    private static final Field AWS_ACCOUNT_ID = Field.of("awsAccountId");
    private static final Field TITLE = Field.of("title");
    private static final Field TYPE = Field.of("type");
    private static final Field SEVERITY = Field.of("severity");
    private static final Field STATUS = Field.of("status");
    private static final Field UPDATED_AT = Field.of("updatedAt");
    private static final Field LAST_OBSERVED_AT = Field.of("lastObservedAt");
    private static final Field INSPECTOR_SCORE = Field.of("inspectorScore");
    private static final Field FIX_AVAILABLE = Field.of("fixAvailable");
    private static final Field EXPLOIT_AVAILABLE = Field.of("exploitAvailable");
    private static final Field RESOURCES = Field.of("resources");
    private static final Field ID = Field.of("id");
    private static final Field REGION = Field.of("region");
    private static final Field TAGS = Field.of("tags");
    private static final Field PACKAGE_VULNERABILITY_DETAILS = Field.of("packageVulnerabilityDetails");
    private static final Field VULNERABILITY_ID = Field.of("vulnerabilityId");
    private static final Field VULNERABLE_PACKAGES = Field.of("vulnerablePackages");
    private static final Field NAME = Field.of("name");

    private InspectorFindingNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode finding = event.detail();
        JsonNode resource = RESOURCES.in(finding).path(0);
        JsonNode vulnerability = PACKAGE_VULNERABILITY_DETAILS.in(finding);
        String findingArn = FINDING_ARN.text(finding);
        String vulnerabilityId = VULNERABILITY_ID.text(vulnerability);
        String status = STATUS.text(finding);
        Labels labels = new Labels()
                .putTags("", TAGS.in(resource))
                .put("finding_arn", findingArn)
                .put("finding_type", TYPE.text(finding))
                .put("status", status)
                .put("resource_type", TYPE.text(resource))
                .put("resource_id", ID.text(resource))
                .put("vulnerability_id", vulnerabilityId)
                .put("package", NAME.text(VULNERABLE_PACKAGES.in(vulnerability).path(0)))
                .put("inspector_score", INSPECTOR_SCORE.text(finding))
                .put("fix_available", FIX_AVAILABLE.text(finding))
                .put("exploit_available", EXPLOIT_AVAILABLE.text(finding));
        String title = TITLE.text(finding);
        AlertState state = "CLOSED".equals(status) || "SUPPRESSED".equals(status) ? AlertState.RESOLVED : AlertState.FIRING;
        // UNTRIAGED findings have no score yet: tell, do not alarm.
        Severity severity = SeverityWords.of(SEVERITY.text(finding), Severity.INFO);
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(FindingUpdateIds.of(SOURCE, null, findingArn, UPDATED_AT.text(finding), state, severity, event.id()))
                .occurredAt(Timestamps.parse(UPDATED_AT.in(finding))
                        .or(() -> Timestamps.parse(LAST_OBSERVED_AT.in(finding)))
                        .orElse(event.eventTime()))
                .account(Field.firstOf(AWS_ACCOUNT_ID.text(finding), event.account()))
                .region(Field.firstOf(REGION.text(resource), event.region()))
                .name(Field.firstOf(vulnerabilityId, title, TYPE.text(finding)))
                .title(title)
                .state(state)
                .severity(severity)
                .labelsWithTaggedPlace(labels)
                .identity("finding_arn", findingArn)
                .build());
    }
}
