package dev.rollcall.core.rollup;

import java.time.Instant;

/**
 * What a rollup is keyed by besides its interval and bucket: the alert's dimensions, with missing values as
 * {@value RollupKey#UNKNOWN} exactly as {@link RollupKey} stores them.
 */
public record AlertDimensions(String service, String source, String urgency, String severity, String account,
                              String environment, String name, String fingerprint) {

    public AlertDimensions {
        service = RollupKey.orUnknown(service);
        source = RollupKey.orUnknown(source);
        urgency = RollupKey.orUnknown(urgency);
        severity = RollupKey.orUnknown(severity);
        account = RollupKey.orUnknown(account);
        environment = RollupKey.orUnknown(environment);
        name = RollupKey.orUnknown(name);
        fingerprint = RollupKey.orUnknown(fingerprint);
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
}
