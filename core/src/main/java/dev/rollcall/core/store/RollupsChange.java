package dev.rollcall.core.store;

/**
 * The document in {@code <prefix>-state} whose token the aggregation job replaces before it writes rollups and again
 * when a run ends. A reader that remembers an answer along with the token it read first knows, while the token is
 * unchanged, that no run has written since: the query API answers repeated requests from memory this way.
 */
public final class RollupsChange {

    /** The document's id in the state index. */
    public static final String ID = "rollups-change";
    /** A new random value at every change. */
    public static final String TOKEN = "token";

    private RollupsChange() {
    }
}
