package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Security Hub "Findings Imported V2" events (findings in the Open Cybersecurity Schema Framework, OCSF): one alert
 * per entry of {@code detail.findings}, source {@code securityhub} like the ASFF findings, identified by the finding
 * update (see {@link FindingUpdateIds}) and fingerprinted by {@code finding_info.uid}. GuardDuty's and Inspector's are
 * left to their own rules, as in {@link SecurityHubFindingNormalizer}. Status Suppressed, Resolved, Archived or Deleted,
 * or a passed compliance check, resolves; a compliance check in Warning (it could not run or decide) is information;
 * any other status fires. Severity comes from {@code severity_id} (OCSF's 1-6),
 * else from the {@code severity} word. The name is the control id, else the first finding type, else the title.
 */
final class SecurityHubOcsfFindingNormalizer {

    static final String DETAIL_TYPE = "Findings Imported V2";

    /** OCSF finding statuses that close a finding: Suppressed (3), Resolved (4), Archived (5), Deleted (6). */
    private static final Set<String> CLOSED_STATUSES = Set.of("suppressed", "resolved", "archived", "deleted");
    private static final Set<Integer> CLOSED_STATUS_IDS = Set.of(3, 4, 5, 6);

    /**
     * Security Hub CSPM's own product ({@code ::productv2/aws/securityhub}): its control findings come as ASFF too
     * whenever CSPM is on (the only way they exist), through the same rule, with update times AWS does not promise to
     * match, so counting the OCSF copy as well would page twice. Exposure findings ({@code securityhub-risk}) are
     * the new Security Hub's own and come only here.
     */
    private static final String CSPM_PRODUCT = "securityhub";

    private SecurityHubOcsfFindingNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode findings = event.detail().path("findings");
        if (!findings.isArray()) {
            return List.of();
        }
        List<AlertDraft> drafts = new ArrayList<>(findings.size());
        int index = 0;
        for (JsonNode finding : findings) {
            JsonNode product = finding.path("metadata").path("product");
            String productId = lastSegment(Field.textOf(product.get("uid")));
            if (!SecurityHubFindingNormalizer.reportedByItsOwnRule(Field.textOf(product.get("name")))
                    && !SecurityHubFindingNormalizer.reportedByItsOwnRule(productId) && !CSPM_PRODUCT.equals(productId)) {
                drafts.add(fromFinding(event, finding, index));
            }
            index++;
        }
        return drafts;
    }

    private static AlertDraft fromFinding(EventBridgeEvent event, JsonNode finding, int index) {
        JsonNode info = finding.path("finding_info");
        JsonNode product = finding.path("metadata").path("product");
        JsonNode compliance = finding.path("compliance");
        JsonNode resource = finding.path("resources").path(0);
        JsonNode cloud = finding.path("cloud");
        String findingId = Field.textOf(info.get("uid"));
        String controlId = Field.textOf(compliance.get("control"));
        String type = Field.textOf(info.path("types").path(0));
        String title = Field.textOf(info.get("title"));
        String status = Field.textOf(finding.get("status"));
        String complianceStatus = Field.textOf(compliance.get("status"));
        Labels labels = new Labels()
                .putTags("", resource.get("tags"))
                .put("finding_id", findingId)
                .put("product_name", Field.textOf(product.get("name")))
                .put("control_id", controlId)
                .put("finding_type", type)
                .put("finding_class", Field.textOf(finding.get("class_name")))
                .put("status", status)
                .put("compliance_status", complianceStatus)
                .put("resource_type", Field.textOf(resource.get("type")))
                .put("resource_id", Field.textOf(resource.get("uid")));
        AlertState state = closed(status, finding.get("status_id")) || "pass".equalsIgnoreCase(complianceStatus)
                ? AlertState.RESOLVED
                // OCSF's Warning is ASFF's WARNING and NOT_AVAILABLE: a check that could not decide, not a failure.
                : "warning".equalsIgnoreCase(complianceStatus) ? AlertState.INFO : AlertState.FIRING;
        Severity severity = severity(finding.get("severity_id"), Field.textOf(finding.get("severity")));
        Instant updated = Field.firstTime(info, "modified_time_dt", "modified_time");
        if (updated == null) {
            updated = Field.firstTime(finding, "time_dt", "time");
        }
        return AlertDraft.builder(SecurityHubFindingNormalizer.SOURCE)
                .eventId(FindingUpdateIds.of(SecurityHubFindingNormalizer.SOURCE, Field.textOf(product.get("uid")),
                        findingId, updated == null ? null : updated.toString(), state, severity, event.id() + ":" + index))
                .occurredAt(updated == null ? event.eventTime() : SecurityHubFindingNormalizer.whenItHappened(updated, event.eventTime(),
                        state == AlertState.RESOLVED && SecurityHubFindingNormalizer.isUserWorkflowClose(status)
                                && !"pass".equalsIgnoreCase(complianceStatus)))
                .account(Field.firstOf(Field.textOf(cloud.path("account").get("uid")), event.account()))
                .region(Field.firstOf(Field.textOf(cloud.get("region")), Field.textOf(resource.get("region")), event.region()))
                .name(Field.firstOf(controlId, type, title))
                .title(title)
                .state(state)
                .severity(severity)
                .labelsWithTaggedPlace(labels)
                .identity("finding_id", findingId)
                .build();
    }

    static boolean closed(String status, JsonNode statusId) {
        if (status != null) {
            return CLOSED_STATUSES.contains(status.strip().toLowerCase(Locale.ROOT));
        }
        return statusId != null && statusId.canConvertToInt() && CLOSED_STATUS_IDS.contains(statusId.intValue());
    }

    /** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal; 0 and 99 say nothing. */
    static Severity severity(JsonNode severityId, String word) {
        int id = severityId != null && severityId.canConvertToInt() ? severityId.intValue() : 0;
        return switch (id) {
            case 1 -> Severity.INFO;
            case 2 -> Severity.LOW;
            case 3 -> Severity.MEDIUM;
            case 4 -> Severity.HIGH;
            case 5, 6 -> Severity.CRITICAL;
            default -> SeverityWords.of(word, Severity.MEDIUM);
        };
    }

    private static String lastSegment(String uid) {
        return uid == null ? null : uid.substring(uid.lastIndexOf('/') + 1);
    }
}
