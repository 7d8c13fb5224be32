package dev.rollcall.core.rollup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A rollup interval; buckets are aligned in UTC (hours, days, calendar months). */
public enum Interval {
    HOUR, DAY, MONTH;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code hour}, {@code day} or {@code month}; the message lists what is allowed. */
    @JsonCreator
    public static Interval fromWire(String value) {
        if (value != null) {
            for (Interval i : values()) {
                if (i.wire().equalsIgnoreCase(value.trim())) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("interval '" + value + "' is not one of: hour, day, month");
    }

    /** The start of the bucket that contains {@code t}. */
    public Instant bucketStart(Instant t) {
        return switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> {
                LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
                yield d.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        };
    }

    /** The start of the bucket after the one starting at {@code bucketStart}. */
    public Instant next(Instant bucketStart) {
        ZonedDateTime z = bucketStart.atZone(ZoneOffset.UTC);
        return switch (this) {
            case HOUR -> z.plusHours(1).toInstant();
            case DAY -> z.plusDays(1).toInstant();
            case MONTH -> z.plusMonths(1).toInstant();
        };
    }

    /** The interval whose buckets this one's buckets are made of (a day of hours, a month of days); null for hour. */
    public Interval finer() {
        return switch (this) {
            case HOUR -> null;
            case DAY -> HOUR;
            case MONTH -> DAY;
        };
    }
}
