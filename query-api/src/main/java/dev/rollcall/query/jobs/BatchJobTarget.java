package dev.rollcall.query.jobs;

import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;


/**
 * Where aggregation jobs go in AWS Batch: {@code ROLLCALL_BATCH_JOB_QUEUE} and {@code ROLLCALL_BATCH_JOB_DEFINITION}
 * (names or ARNs; the definition may carry a {@code :revision}).
 */
public record BatchJobTarget(String jobQueue, String jobDefinition) {

    public BatchJobTarget {
        if (jobQueue == null || jobQueue.isBlank() || jobDefinition == null || jobDefinition.isBlank()) {
            throw new IllegalArgumentException("a Batch job target needs a job queue and a job definition");
        }
    }

    /** Reads both variables; a missing one fails naming it. */
    public static BatchJobTarget fromEnvironment(Map<String, String> env) {
        return new BatchJobTarget(
                EnvironmentValues.required(env, "ROLLCALL_BATCH_JOB_QUEUE", "rollcall-aggregation"),
                EnvironmentValues.required(env, "ROLLCALL_BATCH_JOB_DEFINITION", "rollcall-aggregate-job"));
    }
}
