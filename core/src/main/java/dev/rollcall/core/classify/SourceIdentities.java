package dev.rollcall.core.classify;

import java.util.Set;

/**
 * The names of the source-specific identities normalizers give alerts ({@link AlertFacts#identities()}), which a rules
 * file's fingerprints may use: one list, so that a misspelt field in a rules file is refused rather than left an empty
 * part of every fingerprint, and a normalizer cannot set one the rules file would refuse.
 */
public final class SourceIdentities {

    /** Every identity name a normalizer may set. */
    public static final Set<String> NAMES = Set.of("alarm_arn", "alert_fingerprint", "alert_rule_id", "event_arn", "finding_arn",
            "finding_id", "incident_id", "instance_id", "issue_id", "label_set", "monitor_id", "rule_id", "rule_name", "scope",
            "source_identifier");

    private SourceIdentities() {
    }
}
