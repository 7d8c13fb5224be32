package dev.rollcall.local;

import java.time.Duration;

/**
 * How the local runner runs aggregation jobs, as the stack's Batch job definition does: {@code timeout} per attempt
 * (the stack's {@code jobTimeoutMinutes}), after which the child gets SIGTERM and, {@code stopGrace} later, SIGKILL
 * (the container stop timeout Batch leaves between the two). A stop of local mode gives running children the same.
 */
public record LocalJobSettings(Duration timeout, Duration stopGrace) {

    /** The stack's default attempt timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);
    /** Batch's (ECS's) default time between SIGTERM and SIGKILL when it stops a container. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);

    public LocalJobSettings {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || stopGrace == null || stopGrace.isNegative()) {
            throw new IllegalArgumentException("a job needs a positive timeout and a stop grace of zero or more");
        }
    }
}
