package dev.rollcall.aggregate;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.rollup.Interval;

/**
 * The command line: which window to aggregate and which intervals to write.
 *
 * @param from      start of an explicit window (inclusive), null otherwise
 * @param to        end of an explicit window (exclusive), null otherwise
 * @param intervals the rollup intervals written; all three unless {@code --interval} says otherwise
 */
public record JobArguments(Mode mode, Instant from, Instant to, Set<Interval> intervals, boolean dryRun) {

    /** How the window is chosen. */
    public enum Mode {
        /** {@code --from} / {@code --to}. */
        WINDOW,
        /** From the stored watermark up to now minus the settle delay; moves the watermark. */
        INCREMENTAL,
        /** The previous UTC day, again: picks up what arrived late. */
        PREVIOUS_DAY
    }

    public static final String USAGE = """
            usage: aggregation-job (--from INSTANT --to INSTANT | --incremental | --previous-day)
                                   [--interval hour|day|month|all] [--dry-run]
              --from, --to     ISO-8601 instants (2026-11-01T00:00:00Z) or dates (2026-11-01, UTC midnight);
                               widened to whole hours
              --incremental    from the stored watermark up to now minus ROLLCALL_JOB_SETTLE_DELAY
              --previous-day   the previous UTC day
              --interval       which rollups to write (default all)
              --dry-run        compute and report, write nothing""";

    public JobArguments {
        intervals = Set.copyOf(intervals);
    }

    /** Parses the arguments; a {@link UsageException} names the argument that is wrong. */
    public static JobArguments parse(String... args) {
        Mode mode = null;
        Instant from = null;
        Instant to = null;
        Set<Interval> intervals = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "--from", "--to", "--interval" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (name.equals("--interval")) {
                        intervals = intervals(value);
                    } else if (name.equals("--from")) {
                        from = instant(name, value);
                    } else {
                        to = instant(name, value);
                    }
                }
                case "--incremental", "--previous-day", "--dry-run" -> {
                    if (inline != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    if (name.equals("--dry-run")) {
                        dryRun = true;
                    } else {
                        Mode chosen = name.equals("--incremental") ? Mode.INCREMENTAL : Mode.PREVIOUS_DAY;
                        if (mode != null && mode != chosen) {
                            throw new UsageException(name + " cannot be combined with --" + wire(mode));
                        }
                        mode = chosen;
                    }
                }
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (from != null || to != null) {
            if (mode != null) {
                throw new UsageException((from != null ? "--from" : "--to") + " cannot be combined with --" + wire(mode));
            }
            if (from == null) {
                throw new UsageException("--from is required with --to");
            }
            if (to == null) {
                throw new UsageException("--to is required with --from");
            }
            if (!from.isBefore(to)) {
                throw new UsageException("--from (" + from + ") must be before --to (" + to + ")");
            }
            mode = Mode.WINDOW;
        }
        if (mode == null) {
            throw new UsageException("one of --from/--to, --incremental or --previous-day is required");
        }
        if (intervals == null) {
            intervals = EnumSet.allOf(Interval.class);
        } else if (mode == Mode.INCREMENTAL && intervals.size() < Interval.values().length) {
            throw new UsageException("--interval must be all with --incremental: the watermark stands for every interval");
        }
        return new JobArguments(mode, from, to, intervals, dryRun);
    }

    private static String wire(Mode mode) {
        return mode == Mode.INCREMENTAL ? "incremental" : mode == Mode.PREVIOUS_DAY ? "previous-day" : "from/--to";
    }

    private static Set<Interval> intervals(String value) {
        if (value.trim().equalsIgnoreCase("all")) {
            return EnumSet.allOf(Interval.class);
        }
        try {
            return EnumSet.of(Interval.fromWire(value));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--interval '" + value + "' is not one of: hour, day, month, all");
        }
    }

    /**
     * An ISO-8601 date, or date and time (RFC 3339's space allowed; UTC without an offset). Only ISO: the lenient
     * reading of event times took {@code 20261101}, the basic form of a date, for epoch seconds in 1970 and ran a
     * window no one asked for.
     */
    private static Instant instant(String name, String value) {
        String text = value.trim();
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException notADate) {
            return Timestamps.parseIsoDateTime(text).orElseThrow(() ->
                    new UsageException(name + " '" + value + "' is not an ISO-8601 instant (e.g. 2026-11-01T00:00:00Z) or date (2026-11-01)"));
        }
    }
}
