package dev.rollcall.core.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Names of Rollcall's indices, all under one prefix: monthly raw event indices ({@code rollcall-events-2026.11}),
 * rollups per interval ({@code rollcall-rollups-hour}) and a small state index for watermarks.
 */
public record IndexNames(String prefix) {

    public static final String DEFAULT_PREFIX = "rollcall";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,40}");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);

    public IndexNames {
        if (prefix == null || !VALID.matcher(prefix).matches()) {
            throw new IllegalArgumentException("index prefix '" + prefix
                    + "' must be 1-41 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        }
    }

    public static IndexNames defaults() {
        return new IndexNames(DEFAULT_PREFIX);
    }

    /** The monthly events index an event belongs to, by the time it occurred (so redelivery hits the same index). */
    public String eventsIndex(Instant occurredAt) {
        return prefix + "-events-" + MONTH.format(occurredAt);
    }

    public String eventsPattern() {
        return prefix + "-events-*";
    }

    public String rollupsIndex(String interval) {
        return prefix + "-rollups-" + interval;
    }

    public String rollupsPattern() {
        return prefix + "-rollups-*";
    }

    public String stateIndex() {
        return prefix + "-state";
    }
}
