package dev.rollcall.query.jobs;

import java.util.List;
import java.util.Locale;

/** Which rollups a job computes: one interval, or all three ({@code --interval all}). */
public enum JobInterval {
    HOUR, DAY, MONTH, ALL;

    public static final List<String> WIRE = List.of("hour", "day", "month", "all");

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobInterval fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
