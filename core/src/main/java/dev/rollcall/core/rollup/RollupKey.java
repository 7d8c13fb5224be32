package dev.rollcall.core.rollup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What a rollup document is about: an interval, a bucket, and the alert's dimensions. Its {@link #id()} is derived
 * from exactly these values, so re-running a job over the same window overwrites documents, never duplicates them.
 * Missing dimension values are stored as {@value #UNKNOWN} so they can be grouped and filtered like any other.
 */
public record RollupKey(Interval interval, Instant bucketStart, String service, String source, String urgency,
                        String severity, String account, String environment, String name, String fingerprint) {

    public static final String UNKNOWN = "unknown";

    /** The dimensions a query may group or filter by, in their document field names. */
    public static final List<String> DIMENSIONS = List.of("service", "source", "urgency", "severity", "account", "environment", "name", "fingerprint");

    public RollupKey {
        if (interval == null || bucketStart == null) {
            throw new IllegalArgumentException("a rollup key needs an interval and a bucket start");
        }
        if (!interval.bucketStart(bucketStart).equals(bucketStart)) {
            throw new IllegalArgumentException("bucket start " + bucketStart + " is not aligned to a " + interval.wire());
        }
        service = orUnknown(service);
        source = orUnknown(source);
        urgency = orUnknown(urgency);
        severity = orUnknown(severity);
        account = orUnknown(account);
        environment = orUnknown(environment);
        name = orUnknown(name);
        fingerprint = orUnknown(fingerprint);
    }

    public Instant bucketEnd() {
        return interval.next(bucketStart);
    }

    /** The same dimensions in another bucket (e.g. the day an hour belongs to). */
    public RollupKey in(Interval otherInterval) {
        return new RollupKey(otherInterval, otherInterval.bucketStart(bucketStart), service, source, urgency, severity,
                account, environment, name, fingerprint);
    }

    /** The document id: a SHA-256 over every field of the key, unambiguous whatever the values contain. */
    public String id() {
        StringBuilder key = new StringBuilder(192);
        key.append(interval.wire()).append('\u0000').append(bucketStart.toEpochMilli());
        for (String value : List.of(service, source, urgency, severity, account, environment, name, fingerprint)) {
            key.append('\u0000').append(value.length()).append(':').append(value);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return interval.wire() + "-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dimension value as stored: blank or missing becomes {@value #UNKNOWN}, so it can be grouped and filtered. */
    static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
