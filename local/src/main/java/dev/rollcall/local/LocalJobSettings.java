package dev.rollcall.local;

import java.time.Duration;
import java.util.Map;

/**
 * How the local runner runs aggregation jobs, as the stack's Batch job definition does: {@code timeout} per attempt
 * (the stack's {@code jobTimeoutMinutes}), after which the child gets SIGTERM and, {@code stopGrace} later, SIGKILL
 * (the container stop timeout Batch leaves between the two). A stop of local mode gives running children the same.
 * Unlike Batch, which forgets jobs after days and keeps logs in CloudWatch, local mode keeps only the last
 * {@code finishedJobsKept} finished jobs (and their log files) and at most {@code logBytesPerJob} of each log, so a
 * demo left running for weeks does not fill memory or the disk. {@code environment} holds variables every job gets
 * beyond those of OpenSearch and Batch, as the job definition's environment does.
 */
public record LocalJobSettings(Duration timeout, Duration stopGrace, int finishedJobsKept, long logBytesPerJob,
                               Map<String, String> environment) {

    /** The stack's default attempt timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);
    /** Batch's (ECS's) default time between SIGTERM and SIGKILL when it stops a container. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
    /** Hundreds of scheduled runs a day would otherwise pile up; a hundred is days of them at the default interval. */
    public static final int DEFAULT_FINISHED_JOBS_KEPT = 100;
    /** A run logs a progress line every 10 s: an hour-long run writes well under this. */
    public static final long DEFAULT_LOG_BYTES_PER_JOB = 1024 * 1024;

    public LocalJobSettings {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || stopGrace == null || stopGrace.isNegative()) {
            throw new IllegalArgumentException("a job needs a positive timeout and a stop grace of zero or more");
        }
        if (finishedJobsKept < 1 || logBytesPerJob < 1) {
            throw new IllegalArgumentException("local mode keeps at least one finished job and one byte of its log");
        }
        // Not containsKey(null): the immutable maps throw on it.
        if (environment == null || environment.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException("a job's environment holds names and values, none of them null");
        }
        environment = Map.copyOf(environment);
    }

    public LocalJobSettings(Duration timeout, Duration stopGrace, int finishedJobsKept, long logBytesPerJob) {
        this(timeout, stopGrace, finishedJobsKept, logBytesPerJob, Map.of());
    }

    /** These settings, every job also getting {@code variable}. */
    public LocalJobSettings with(String variable, String value) {
        Map<String, String> more = new java.util.HashMap<>(environment);
        more.put(variable, value);
        return new LocalJobSettings(timeout, stopGrace, finishedJobsKept, logBytesPerJob, more);
    }

    /** The stack's timeout and Batch's grace, with the default bounds. */
    public static LocalJobSettings of(Duration timeout, Duration stopGrace) {
        return new LocalJobSettings(timeout, stopGrace, DEFAULT_FINISHED_JOBS_KEPT, DEFAULT_LOG_BYTES_PER_JOB);
    }
}
