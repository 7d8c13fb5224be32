package dev.rollcall.query.jobs;

import java.util.List;
import java.util.Optional;

/**
 * Runs aggregation jobs: AWS Batch in the cloud ({@link BatchAggregationJobs}), a child process in local mode.
 * Implementations signal an unreachable or refusing runner with {@link dev.rollcall.query.http.ApiError}
 * (503 / 502), never with a client error.
 */
public interface AggregationJobs {

    /** Starts the job and answers its id and initial status. */
    JobStatus submit(JobRequest request);

    /** The job's status; empty when no job has that id. */
    Optional<JobStatus> describe(String id);

    /** The most recent jobs of the runner, newest first, at most {@code limit} of them. */
    List<JobStatus> recent(int limit);
}
