package dev.rollcall.core.rollup;

/**
 * The aggregation job's last log line, one JSON object, as the deployment's CloudWatch metric filters read it: the
 * job writes these names and the CDK stack matches them, so both take them from here.
 */
public final class JobDoneLine {

    /** The field every job log line names its event in. */
    public static final String EVENT = "event";
    /** The event of the line a run that got to its end writes last (a failed run writes {@code failed} instead). */
    public static final String DONE = "done";
    /** {@code true} when this run moved the watermark: what "the rollups are current" rests on. */
    public static final String WATERMARK_MOVED = "watermark_moved";
    /**
     * Seconds the watermark this run moved trails the clock by, a number; only when it moved it. Runs that move it
     * by less than the clock moves (catching up after an outage, a capped window) leave it growing.
     */
    public static final String COMPUTED_UNTIL_LAG_S = "computed_until_lag_s";
    /** Events the run read, a number: replayed ones included, and in an array child every child's firings. */
    public static final String EVENTS_READ = "events_read";
    /** Events of the run's window it rolled up, a number; summed over an array job's children, the window's events. */
    public static final String EVENTS_ROLLED_UP = "events_rolled_up";
    /** {@code true} for {@code --dry-run}, which writes nothing. */
    public static final String DRY_RUN = "dry_run";

    private JobDoneLine() {
    }
}
