package dev.rollcall.query.jobs;

import java.time.Instant;
import java.util.List;

/**
 * An aggregation job to run: the window {@code [from, to)}, the rollups to compute, and how many array children
 * share the window (1 for a plain job). The job's own arguments are {@link #arguments()}.
 */
public record JobRequest(Instant from, Instant to, JobInterval interval, int arraySize) {

    public JobRequest {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("a job needs from before to, got " + from + " and " + to);
        }
        if (interval == null || arraySize < 1) {
            throw new IllegalArgumentException("a job needs an interval and an array size of 1 or more");
        }
    }

    /** The command-line arguments of the aggregation job for this request. */
    public List<String> arguments() {
        return List.of("--from", from.toString(), "--to", to.toString(), "--interval", interval.wire());
    }

    /**
     * Reads back {@link #arguments()} (e.g. from a described job's command); null when they are not there, and
     * {@code arraySize} is what the caller knows of the job.
     */
    public static JobRequest fromArguments(List<String> arguments, int arraySize) {
        try {
            Instant from = Instant.parse(argument(arguments, "--from"));
            Instant to = Instant.parse(argument(arguments, "--to"));
            return new JobRequest(from, to, JobInterval.fromWire(argument(arguments, "--interval")), Math.max(1, arraySize));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String argument(List<String> arguments, String flag) {
        int i = arguments.indexOf(flag);
        if (i < 0 || i + 1 >= arguments.size()) {
            throw new IllegalArgumentException("no " + flag);
        }
        return arguments.get(i + 1);
    }
}
