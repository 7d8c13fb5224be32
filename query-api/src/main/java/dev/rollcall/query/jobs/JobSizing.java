package dev.rollcall.query.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.rollup.ArrayJobSize;

/**
 * How a job window becomes work: one array child per {@code shard} of the window (at most {@code maxArraySize}),
 * and windows up to {@code maxWindow}.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_JOB_SHARD_DAYS</td><td>days of the window per array child; default 7</td></tr>
 * <tr><td>ROLLCALL_JOB_MAX_ARRAY_SIZE</td><td>most array children of one job, 1 to 64 (the job's fingerprint partitions); default 64</td></tr>
 * <tr><td>ROLLCALL_JOB_MAX_WINDOW_DAYS</td><td>the longest window one request may submit; default 3660</td></tr>
 * </table>
 */
public record JobSizing(Duration shard, int maxArraySize, Duration maxWindow) {

    /** More children than the job's fingerprint partitions would start tasks with nothing to do. */
    public static final int BATCH_MAX_ARRAY_SIZE = ArrayJobSize.MOST_CHILDREN;

    public JobSizing {
        if (shard.isZero() || shard.isNegative()) {
            throw new IllegalArgumentException("ROLLCALL_JOB_SHARD_DAYS must be 1 or more, got " + shard.toDays());
        }
        if (maxArraySize < 1 || maxArraySize > BATCH_MAX_ARRAY_SIZE) {
            throw new IllegalArgumentException("ROLLCALL_JOB_MAX_ARRAY_SIZE must be from 1 to " + BATCH_MAX_ARRAY_SIZE + ", got " + maxArraySize);
        }
        if (maxWindow.isZero() || maxWindow.isNegative()) {
            throw new IllegalArgumentException("ROLLCALL_JOB_MAX_WINDOW_DAYS must be 1 or more, got " + maxWindow.toDays());
        }
    }

    public static JobSizing defaults() {
        return new JobSizing(Duration.ofDays(7), BATCH_MAX_ARRAY_SIZE, Duration.ofDays(3660));
    }

    public static JobSizing fromEnvironment(Map<String, String> env) {
        JobSizing d = defaults();
        return new JobSizing(
                Duration.ofDays(EnvironmentValues.integer(env, "ROLLCALL_JOB_SHARD_DAYS", (int) d.shard().toDays())),
                EnvironmentValues.integer(env, "ROLLCALL_JOB_MAX_ARRAY_SIZE", d.maxArraySize()),
                Duration.ofDays(EnvironmentValues.integer(env, "ROLLCALL_JOB_MAX_WINDOW_DAYS", (int) d.maxWindow().toDays())));
    }

    /** Children for {@code [from, to)}: one per started shard, from 1 to {@link #maxArraySize}. */
    public int arraySize(Instant from, Instant to) {
        long window = Duration.between(from, to).toMillis();
        long shards = (window + shard.toMillis() - 1) / shard.toMillis();
        return (int) Math.max(1, Math.min(maxArraySize, shards));
    }
}
