package dev.rollcall.query.jobs;

/** Where a job is, in AWS Batch's words, so Batch's own statuses and a local runner's mean the same. */
public enum JobState {
    SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED, FAILED
}
