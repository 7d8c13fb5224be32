package dev.rollcall.query.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What is known of a submitted job: its id and name, its state with the reason the runner gave, its times, for
 * an array job how many children are in each state, and its container attempts so far. {@code request} is null when
 * it cannot be read back.
 */
public record JobStatus(String id, String name, JobState state, String statusReason, Instant createdAt, Instant startedAt,
                        Instant stoppedAt, JobRequest request, Map<JobState, Integer> children, List<JobAttempt> attempts) {

    public JobStatus {
        if (id == null || id.isBlank() || state == null) {
            throw new IllegalArgumentException("a job status needs an id and a state");
        }
        children = children == null ? Map.of() : Map.copyOf(children);
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A just-submitted job. */
    public static JobStatus submitted(String id, String name, JobRequest request, Instant at) {
        return new JobStatus(id, name, JobState.SUBMITTED, null, at, null, null, request, Map.of(), List.of());
    }

    /** The job as a list of jobs shows it: Batch's ListJobs gives no per-child counts nor attempts. */
    public JobStatus listed() {
        return new JobStatus(id, name, state, statusReason, createdAt, startedAt, stoppedAt, request, Map.of(), List.of());
    }
}
