package dev.rollcall.core.store;

/**
 * The document in {@code <prefix>-state} whose token the aggregation job replaces before it writes rollups and again
 * when a run ends. A reader that remembers an answer along with the token it read first knows, while the token is
 * unchanged and its phase {@link #DONE}, that no run has written since: the query API answers repeated requests from
 * memory this way.
 */
public final class RollupsChange {

    /** The document's id in the state index. */
    public static final String ID = "rollups-change";
    /** A new random value at every change. */
    public static final String TOKEN = "token";
    /** Why the token last changed: {@link #WRITING}, {@link #DONE} or {@link #FAILED}. */
    public static final String PHASE = "phase";
    /**
     * A run began writing, or an array child ended while its siblings may still write. Rollups may change under an
     * unchanged token (a killed run never marks its end), so nothing may be remembered under it.
     */
    public static final String WRITING = "writing";
    /** A run, and every child of its array job, ended with its rollups refreshed: answers may be remembered. */
    public static final String DONE = "done";
    /** A run failed; rollups it wrote become visible at the next periodic refresh, so nothing is remembered. */
    public static final String FAILED = "failed";

    private RollupsChange() {
    }
}
