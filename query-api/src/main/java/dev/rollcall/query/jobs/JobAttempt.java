package dev.rollcall.query.jobs;

import java.time.Instant;

/**
 * One attempt of a job's container: when it ran, how it ended, and where its log is, so that a failed job says why
 * without the Batch console.
 *
 * @param arrayIndex the array child it belongs to where one status holds several children's attempts (local mode);
 *                   null where the status is the attempt's own job's (Batch gives an array job's attempts on its
 *                   children, {@code <id>:<index>})
 * @param exitCode   null when the container never ran to an exit (could not start, or still running)
 * @param reason     why it stopped, as the runner says it (Batch's container reason, else the attempt's status reason)
 * @param log        the CloudWatch Logs stream (Batch) or the log file (local mode); null when unknown
 */
public record JobAttempt(Integer arrayIndex, Instant startedAt, Instant stoppedAt, Integer exitCode, String reason, String log) {
}
