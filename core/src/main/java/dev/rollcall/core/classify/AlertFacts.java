package dev.rollcall.core.classify;

import java.util.Map;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/**
 * What classification rules and fingerprints read of a normalized alert before it is final. Any value but
 * {@code source}, {@code name}, {@code state} and {@code severity} may be null.
 */
public interface AlertFacts {

    String source();

    String name();

    String title();

    String account();

    String region();

    String service();

    String environment();

    AlertState state();

    Severity severity();

    /** Flattened tags and dimensions. */
    Map<String, String> labels();

    /**
     * Source-specific identities a fingerprint may be made of, beyond the fields above: {@code finding_id},
     * {@code event_arn}, {@code issue_id}, {@code alert_fingerprint}, {@code label_set}, ...
     */
    Map<String, String> identities();
}
