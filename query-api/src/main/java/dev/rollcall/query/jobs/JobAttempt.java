package dev.rollcall.query.jobs;

import java.time.Instant;

/**
 * One attempt of a job's container: when it ran, how it ended, and where its log is, so that a failed job says why
 * without the Batch console.
 *
 * @param arrayIndex the array child it belongs to where one status holds several children's attempts (an array
 *                   job's); null where the status is the attempt's own job's (a single job, or one child
 *                   {@code <id>:<index>})
 * @param exitCode   null when the container never ran to an exit (could not start, or still running)
 * @param reason     why it stopped, as the runner says it (Batch's container reason, else the attempt's status reason)
 * @param log        the CloudWatch Logs stream (Batch) or the log file (local mode); null when unknown
 */
public record JobAttempt(Integer arrayIndex, Instant startedAt, Instant stoppedAt, Integer exitCode, String reason, String log) {

    /** The same attempt, shown on its array job as child {@code index}'s. */
    public JobAttempt ofChild(int index) {
        return new JobAttempt(index, startedAt, stoppedAt, exitCode, reason, log);
    }
}
