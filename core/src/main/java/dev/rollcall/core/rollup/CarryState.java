package dev.rollcall.core.rollup;

import java.time.Instant;
import java.util.List;

/**
 * What the rollup of a time-ordered event stream needs to know about everything before {@code at}: per fingerprint
 * its open episode, last page and recent state changes, per service its recent firings. Only what can still
 * matter after {@code at} is kept, so a stream resumed from a carry state computes exactly what the uninterrupted
 * stream would have. Stored between runs so episodes pair across window boundaries.
 */
public record CarryState(Instant at, List<FingerprintCarry> fingerprints, List<ServiceCarry> services) {

    public CarryState {
        fingerprints = List.copyOf(fingerprints);
        services = List.copyOf(services);
    }

    /** Nothing known before {@code at}. */
    public static CarryState empty(Instant at) {
        return new CarryState(at, List.of(), List.of());
    }

    /** The part of this state about fingerprints {@code owned} says are ours; service state is kept whole. */
    public CarryState owned(java.util.function.Predicate<String> owned) {
        return new CarryState(at, fingerprints.stream().filter(f -> owned.test(f.fingerprint())).toList(), services);
    }

    /**
     * One fingerprint's state.
     *
     * @param openedAt      start of its open episode (epoch ms), null when none is open
     * @param openedWith    the dimensions of the firing that opened it
     * @param lastPageAt    its last page when within {@link RollupRules#INTERRUPTION_GAP}, else null
     * @param recentChanges its state changes within the flap window, oldest first
     * @param openingUnclassified whether the firing that opened its open episode still awaits its noise verdict
     *                      (false in snapshots from before verdicts, whose firings are then never classified)
     */
    public record FingerprintCarry(String fingerprint, Long openedAt, AlertDimensions openedWith, Long lastPageAt,
                                   List<StateChange> recentChanges, boolean openingUnclassified) {
        public FingerprintCarry {
            recentChanges = recentChanges == null ? List.of() : List.copyOf(recentChanges);
        }
    }

    /**
     * A state change (an episode opening or closing), whether it was already counted as a flap, and whether it opened
     * an episode with a firing that still awaits its noise verdict.
     */
    public record StateChange(long at, AlertDimensions dimensions, boolean countedAsFlap, boolean opensUnclassified) {
    }

    /**
     * A service's latest firing and the latest firing of a different fingerprint before it, when within the
     * correlation window; the previous pair is null when there is none. {@code service} is the service in one
     * environment (HourlyRollup's correlation key); a snapshot from before environments were told apart restores
     * nothing under it, losing at most one correlation window of state.
     */
    public record ServiceCarry(String service, String latestFingerprint, long latestAt, String previousFingerprint, Long previousAt) {
    }
}
