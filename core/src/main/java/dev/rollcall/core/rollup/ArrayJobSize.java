package dev.rollcall.core.rollup;

/**
 * How the children of an aggregation array job learn how many they are: AWS Batch sets each child's
 * {@code AWS_BATCH_JOB_ARRAY_INDEX} and this variable itself (and refuses job definitions or overrides that name a
 * variable {@code AWS_BATCH_*}), so the schedules and the query API must not pass it; local mode, which runs array
 * jobs the way Batch does, sets both. A child with an index but no size refuses to run.
 */
public final class ArrayJobSize {

    /** The environment variable with the array's size, a whole number from 1. */
    public static final String VARIABLE = "AWS_BATCH_JOB_ARRAY_SIZE";

    /**
     * The most children that get work: the job splits fingerprints over this many fixed partitions (so that state
     * written under one array size is readable under another), and a child past them owns nothing.
     */
    public static final int MOST_CHILDREN = 64;

    private ArrayJobSize() {
    }
}
