package dev.rollcall.core.rollup;

/**
 * How the children of an aggregation array job learn how many they are: AWS Batch gives each child its
 * {@code AWS_BATCH_JOB_ARRAY_INDEX} but not the array's size, so whoever submits an array job (the schedules, the
 * query API, local mode) passes it in this variable, and a child without it refuses to run.
 */
public final class ArrayJobSize {

    /** The environment variable with the array's size, a whole number from 1. */
    public static final String VARIABLE = "AWS_BATCH_JOB_ARRAY_SIZE";

    private ArrayJobSize() {
    }
}
