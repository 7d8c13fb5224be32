package dev.rollcall.core.rollup;

import java.time.Instant;

/**
 * What a rollup is keyed by besides its interval and bucket: the alert's dimensions, with missing values as
 * {@value RollupKey#UNKNOWN} exactly as {@link RollupKey} stores them.
 */
public record AlertDimensions(String service, String source, String urgency, String severity, String account,
                              String environment, String name, String fingerprint) {

    public AlertDimensions {
        service = orUnknown(service);
        source = orUnknown(source);
        urgency = orUnknown(urgency);
        severity = orUnknown(severity);
        account = orUnknown(account);
        environment = orUnknown(environment);
        name = orUnknown(name);
        fingerprint = orUnknown(fingerprint);
    }

    public static AlertDimensions of(RollupKey key) {
        return new AlertDimensions(key.service(), key.source(), key.urgency(), key.severity(), key.account(),
                key.environment(), key.name(), key.fingerprint());
    }

    /** The rollup key of these dimensions in the {@code interval} bucket starting at {@code bucketStart}. */
    public RollupKey key(Interval interval, Instant bucketStart) {
        return new RollupKey(interval, bucketStart, service, source, urgency, severity, account, environment, name, fingerprint);
    }

    /** Urgency {@code high}: a firing pages someone. */
    public boolean pages() {
        return "high".equals(urgency);
    }

    /** Urgency {@code ignore}: noise by classification. */
    public boolean ignored() {
        return "ignore".equals(urgency);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? RollupKey.UNKNOWN : value;
    }
}
