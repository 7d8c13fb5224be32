package dev.rollcall.core.normalize;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/**
 * Grafana's legacy (dashboard) alerting webhook, sent before Grafana 11 removed it: one alert per body, {@code ruleId},
 * {@code ruleName} and {@code state} at the top and no {@code alerts} list. {@code alerting} fires, {@code ok}
 * resolves, {@code no_data}, {@code paused} and {@code pending} inform. The title carries the state
 * ({@code [Alerting] ...}, {@code [OK] ...}), so the alert is named and fingerprinted by its rule: org and rule id
 * (identity {@code rule_id}), else org and rule name ({@code rule_name}). The body has no id or time of its own: the
 * event id is the hash of the body, as a custom event's would be.
 */
final class GrafanaLegacyAlertNormalizer {

    private GrafanaLegacyAlertNormalizer() {
    }

    /** A rule and a state, and no {@code alerts} list (the unified alerting payload has one). */
    static boolean looksLikeLegacyAlert(JsonNode payload) {
        return (payload.has("ruleId") || payload.has("ruleName")) && payload.path("state").isTextual() && !payload.has("alerts");
    }

    static List<AlertDraft> normalize(JsonNode payload, Inbound inbound) {
        String orgId = Field.textOf(payload.get("orgId"));
        String ruleId = Field.textOf(payload.get("ruleId"));
        String ruleName = Field.textOf(payload.get("ruleName"));
        String state = Field.textOf(payload.get("state"));
        JsonNode tags = payload.get("tags");
        Labels labels = new Labels()
                .putTags("", tags)
                .put("rule_id", ruleId)
                .put("org_id", orgId)
                .put("dashboard_id", Field.textOf(payload.get("dashboardId")))
                .put("panel_id", Field.textOf(payload.get("panelId")))
                .put("grafana_state", state)
                .put("rule_url", Field.textOf(payload.get("ruleUrl")));
        return List.of(AlertDraft.builder(AlertmanagerNormalizer.GRAFANA)
                .eventId(AlertmanagerNormalizer.GRAFANA + ":" + ContentHash.ofDelivery(inbound))
                .name(Field.firstOf(ruleName, Field.textOf(payload.get("title"))))
                .title(Field.firstOf(Field.textOf(payload.get("title")), ruleName))
                .state(state(state))
                .severity(SeverityWords.of(labels.first("severity", "priority"), Severity.HIGH))
                .labelsWithTaggedPlace(labels)
                .identity("rule_id", inOrg(orgId, ruleId))
                .identity("rule_name", inOrg(orgId, ruleName))
                .build());
    }

    static AlertState state(String state) {
        if (state == null) {
            return AlertState.INFO;
        }
        return switch (state.strip().toLowerCase(Locale.ROOT)) {
            case "alerting" -> AlertState.FIRING;
            case "ok" -> AlertState.RESOLVED;
            default -> AlertState.INFO;
        };
    }

    /** Rule ids are numbered per Grafana organization: the org keeps two orgs' rule 1 apart. */
    private static String inOrg(String orgId, String rule) {
        return rule == null || orgId == null ? rule : orgId + "/" + rule;
    }
}
