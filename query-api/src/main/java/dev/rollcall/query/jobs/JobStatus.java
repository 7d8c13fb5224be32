package dev.rollcall.query.jobs;

import java.time.Instant;
import java.util.Map;

/**
 * What is known of a submitted job: its id and name, its state with the reason the runner gave, its times, and for
 * an array job how many children are in each state. {@code request} is null when it cannot be read back.
 */
public record JobStatus(String id, String name, JobState state, String statusReason, Instant createdAt, Instant startedAt,
                        Instant stoppedAt, JobRequest request, Map<JobState, Integer> children) {

    public JobStatus {
        if (id == null || id.isBlank() || state == null) {
            throw new IllegalArgumentException("a job status needs an id and a state");
        }
        children = children == null ? Map.of() : Map.copyOf(children);
    }

    /** A just-submitted job. */
    public static JobStatus submitted(String id, String name, JobRequest request, Instant at) {
        return new JobStatus(id, name, JobState.SUBMITTED, null, at, null, null, request, Map.of());
    }

    /** The job as a list of jobs shows it: Batch's ListJobs gives no per-child counts. */
    public JobStatus listed() {
        return new JobStatus(id, name, state, statusReason, createdAt, startedAt, stoppedAt, request, Map.of());
    }
}
