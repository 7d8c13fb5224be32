package dev.rollcall.core.normalize;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * Security Hub "Security Hub Findings - Imported" events (AWS Security Finding Format): one alert per entry of
 * {@code detail.findings}, identified by the finding update (see {@link FindingUpdateIds}), except GuardDuty's and
 * Inspector's, which arrive through their own rules (see {@link #reportedByItsOwnRule}). A finding is resolved when its
 * record is archived, its workflow resolved or suppressed, or its compliance check passed; a check that could not run
 * or decide is information (see {@link #state}); otherwise it fires.
 * Severity comes from {@code Severity.Label}, else from {@code Severity.Normalized} (0-100). The name is the control
 * id, else the generator, unless that is an ARN (see {@link #name}).
 */
final class SecurityHubFindingNormalizer {

    static final String SOURCE = "securityhub";
    static final String DETAIL_TYPE = "Security Hub Findings - Imported";

    private static final Field FINDINGS = Field.of("findings");
    private static final Field ID = Field.of("id");
    private static final Field PRODUCT_ARN = Field.of("productArn");
    private static final Field TITLE = Field.of("title");
    private static final Field AWS_ACCOUNT_ID = Field.of("awsAccountId");
    private static final Field REGION = Field.of("region");
    private static final Field UPDATED_AT = Field.of("updatedAt");
    private static final Field LAST_OBSERVED_AT = Field.of("lastObservedAt");
    private static final Field SEVERITY = Field.of("severity");
    private static final Field LABEL = Field.of("label");
    private static final Field NORMALIZED = Field.of("normalized");
    private static final Field FINDING_PROVIDER_FIELDS = Field.of("findingProviderFields");
    private static final Field COMPLIANCE = Field.of("compliance");
    private static final Field STATUS = Field.of("status");
    private static final Field SECURITY_CONTROL_ID = Field.of("securityControlId");
    private static final Field WORKFLOW = Field.of("workflow");
    private static final Field RECORD_STATE = Field.of("recordState");
    private static final Field PRODUCT_FIELDS = Field.of("productFields");
    private static final Field PRODUCT_NAME = Field.of("productName");
    private static final Field GENERATOR_ID = Field.of("generatorId");
    private static final Field TYPES = Field.of("types");
    private static final Field RESOURCES = Field.of("resources");
    private static final Field TYPE = Field.of("type");
    /** Products whose findings have a rule of their own (EventPatterns: guardduty-finding, inspector2-finding). */
    // AWS Health sends its events to Security Hub too (product aws/health), and the Health rule delivers them itself.
    private static final java.util.Set<String> DIRECTLY_ROUTED_PRODUCTS = java.util.Set.of("guardduty", "inspector", "health");

    private SecurityHubFindingNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode findings = FINDINGS.in(event.detail());
        if (!findings.isArray()) {
            return List.of();
        }
        List<AlertDraft> drafts = new ArrayList<>(findings.size());
        int index = 0;
        for (JsonNode finding : findings) {
            if (!reportedByItsOwnRule(finding)) {
                drafts.add(fromFinding(event, finding, index));
            }
            index++;
        }
        return drafts;
    }

    /**
     * GuardDuty and Inspector send every finding to Security Hub as well as to EventBridge, where Rollcall's own
     * rules take them: kept from both, each finding would count (and page) twice.
     */
    static boolean reportedByItsOwnRule(JsonNode finding) {
        return reportedByItsOwnRule(Field.firstOf(PRODUCT_NAME.text(finding),
                Field.textOf(PRODUCT_FIELDS.in(finding).get("aws/securityhub/ProductName"))));
    }

    /** Whether a product (its name, or the last segment of its ARN) is one whose findings have a rule of their own. */
    static boolean reportedByItsOwnRule(String product) {
        return product != null && DIRECTLY_ROUTED_PRODUCTS.contains(product.strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static AlertDraft fromFinding(EventBridgeEvent event, JsonNode finding, int index) {
        JsonNode productFields = PRODUCT_FIELDS.in(finding);
        JsonNode compliance = COMPLIANCE.in(finding);
        JsonNode resource = RESOURCES.in(finding).path(0);
        String findingId = ID.text(finding);
        String controlId = Field.firstOf(SECURITY_CONTROL_ID.text(compliance), Field.textOf(productFields.get("ControlId")));
        String complianceStatus = STATUS.text(compliance);
        String workflowStatus = STATUS.text(WORKFLOW.in(finding));
        String recordState = RECORD_STATE.text(finding);
        Labels labels = new Labels()
                .put("finding_id", findingId)
                .put("product_name", Field.firstOf(PRODUCT_NAME.text(finding), Field.textOf(productFields.get("aws/securityhub/ProductName"))))
                .put("generator_id", GENERATOR_ID.text(finding))
                .put("control_id", controlId)
                .put("finding_type", Field.textOf(TYPES.in(finding).path(0)))
                .put("compliance_status", complianceStatus)
                .put("workflow_status", workflowStatus)
                .put("record_state", recordState)
                .put("resource_type", TYPE.text(resource))
                .put("resource_id", ID.text(resource));
        String title = TITLE.text(finding);
        AlertState state = state(recordState, workflowStatus, complianceStatus);
        Severity severity = severity(finding);
        return AlertDraft.builder(SOURCE)
                .eventId(FindingUpdateIds.of(SOURCE, PRODUCT_ARN.text(finding), findingId, UPDATED_AT.text(finding), state, severity,
                        event.id() + ":" + index))
                .occurredAt(whenItHappened(Timestamps.parse(UPDATED_AT.in(finding))
                        .or(() -> Timestamps.parse(LAST_OBSERVED_AT.in(finding)))
                        .orElse(event.eventTime()), event.eventTime(),
                        // A control that passed moved UpdatedAt itself (Security Hub resolves its workflow then).
                        "ACTIVE".equalsIgnoreCase(recordState) && isUserWorkflowClose(workflowStatus)
                                && !"PASSED".equalsIgnoreCase(complianceStatus)))
                .account(Field.firstOf(AWS_ACCOUNT_ID.text(finding), event.account()))
                .region(Field.firstOf(REGION.text(finding), event.region()))
                .name(name(controlId, GENERATOR_ID.text(finding), Field.textOf(TYPES.in(finding).path(0)), title))
                .title(title)
                .state(state)
                .severity(severity)
                .labels(labels)
                .identity("finding_id", findingId)
                .build();
    }

    /**
     * The alert's name: the control id, else the generator id; but a generator that is an ARN names a detector or
     * analyzer, not a kind of finding (GuardDuty's is {@code arn:aws:guardduty:...:detector/...} for every finding
     * type), so the first of {@code Types} names it then, else the title.
     */
    static String name(String controlId, String generatorId, String type, String title) {
        if (controlId != null) {
            return controlId;
        }
        if (generatorId == null || !generatorId.startsWith("arn:")) {
            return Field.firstOf(generatorId, title);
        }
        return Field.firstOf(type, title, generatorId);
    }

    /** Workflow states a user sets (BatchUpdateFindings), which close a finding without its provider updating it. */
    static boolean isUserWorkflowClose(String workflowStatus) {
        return "SUPPRESSED".equalsIgnoreCase(workflowStatus) || "RESOLVED".equalsIgnoreCase(workflowStatus);
    }

    /**
     * When a finding update happened: its provider's update time, except that a user's suppression or resolution
     * leaves that time as it was ("Updates from BatchUpdateFindings do not affect the value of UpdatedAt"), so that one
     * is dated by the event Security Hub sent for it. Dated at the provider's last update, it fell at the firing's
     * own millisecond, or days back, and the episode read as resolved at once or not at all.
     */
    static Instant whenItHappened(Instant updated, Instant envelopeTime, boolean closedByUser) {
        return closedByUser && envelopeTime != null && envelopeTime.isAfter(updated) ? envelopeTime : updated;
    }

    /**
     * Resolved when the record is archived, its workflow resolved or suppressed, or its check passed. A check that
     * could not run (NOT_AVAILABLE: a service outage, a deleted resource, a Config result of NOT_APPLICABLE) or could
     * not decide (WARNING) says nothing about the control: Security Hub sets such a finding's workflow back to NEW,
     * and as a firing it reopened a control that had passed, paged for a severe one, and stood open until the
     * finding was archived days later. It is kept as information, opening and closing nothing.
     */
    static AlertState state(String recordState, String workflowStatus, String complianceStatus) {
        if ("ARCHIVED".equals(recordState) || "RESOLVED".equals(workflowStatus) || "SUPPRESSED".equals(workflowStatus)
                || "PASSED".equals(complianceStatus)) {
            return AlertState.RESOLVED;
        }
        return "NOT_AVAILABLE".equals(complianceStatus) || "WARNING".equals(complianceStatus) ? AlertState.INFO : AlertState.FIRING;
    }

    private static Severity severity(JsonNode finding) {
        JsonNode severity = SEVERITY.in(finding);
        String label = Field.firstOf(LABEL.text(severity), LABEL.text(SEVERITY.in(FINDING_PROVIDER_FIELDS.in(finding))));
        if (label != null) {
            return SeverityWords.of(label, Severity.MEDIUM);
        }
        JsonNode normalized = NORMALIZED.in(severity);
        if (!normalized.isNumber()) {
            return Severity.MEDIUM;
        }
        // ASFF's documented mapping of Normalized to Label.
        BigDecimal value = normalized.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(90)) >= 0) {
            return Severity.CRITICAL;
        }
        if (value.compareTo(BigDecimal.valueOf(70)) >= 0) {
            return Severity.HIGH;
        }
        if (value.compareTo(BigDecimal.valueOf(40)) >= 0) {
            return Severity.MEDIUM;
        }
        return value.signum() > 0 ? Severity.LOW : Severity.INFO;
    }
}
