package dev.rollcall.core.rollup;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.rollcall.core.alert.AlertState;

/**
 * Turns a stream of alert events in {@link RollupEvent#STREAM_ORDER} into hourly {@link RollupMetrics} per
 * {@link AlertDimensions}, as the Javadoc of {@link RollupMetrics} defines them. No I/O: events go in, completed hours
 * come out, in order.
 *
 * <p>State runs from a {@link CarryState} (what happened before the stream) and can be taken out again at any hour
 * boundary, so a window computed in pieces equals the window computed at once. Episode-derived metrics (episodes,
 * resolve times, transients, standing, firing time, flaps) belong to the dimensions of the firing that opened the
 * episode (a page escalating the episode of a warning, which paged nobody, opens one of its own), and so does the
 * resolution that ends it; per-event metrics of every other event to the event's own dimensions. Events of
 * fingerprints this instance does not own (another shard's) only feed the per-service correlation state.
 *
 * <p>A fingerprint's events of one millisecond count firings first when its alert is closed as they begin and
 * resolutions first when it is open (see {@link #accept}), so an alert recovered and re-triggered in one second
 * stays open, and one fired and resolved in one millisecond is a zero-length episode.
 *
 * <p>Every firing is classified once: it is noise when it is ignored (urgency {@code ignore}), a duplicate, correlated,
 * or opens an episode that turns out flapping (its opening change belongs to a flapping run), transient or standing;
 * otherwise it is actionable. One firing in several categories is still one noisy firing. The first three are known
 * when it fires; the others only once its flap window has passed and its episode has resolved (or crossed the
 * standing threshold), so {@code classified} and {@code actionable} are counted in the bucket where the verdict
 * became final, under the firing's dimensions: a complete hour never changes, and per bucket {@code actionable}
 * is at most {@code classified}.
 */
public final class HourlyRollup {

    /** Receives every hour as it completes, in order, including hours without any rollup (an empty map). */
    public interface HourSink {
        void hourCompleted(Instant hourStart, Map<AlertDimensions, RollupMetrics> rollups);
    }

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final long NONE = Long.MIN_VALUE;
    /**
     * Suffix of the correlation key under which a service's pages are tracked apart from its other firings; carried
     * in snapshots like any key (a snapshot from before has none: at most one correlation window of pages is lost).
     */
    private static final String PAGES_KEY = "\u001fpages";

    private final int flapChanges;
    private final long flapWindow;
    private final long transientMs;
    private final long standingMs;
    private final long correlationMs;
    private final long maxAgeMs;
    private final long interruptionGap = RollupRules.INTERRUPTION_GAP.toMillis();
    private final Predicate<String> owns;
    private final HourSink sink;

    private final Map<String, FingerprintState> fingerprints = new HashMap<>();
    // Per correlation key, the latest firings of any urgency, and under the key with PAGES_KEY the latest pages.
    private final Map<String, ServiceFirings> services = new HashMap<>();
    private final Set<Episode> open = new HashSet<>();
    // Both are in opening order: episodes open in stream order and the thresholds are constants.
    private final ArrayDeque<Episode> awaitingStanding = new ArrayDeque<>();
    private final ArrayDeque<Episode> awaitingExpiry = new ArrayDeque<>();
    // In firing order, for the same reason: whose flap window has passed without a flapping run.
    private final ArrayDeque<Verdict> awaitingFlapWindow = new ArrayDeque<>();
    private Map<AlertDimensions, MetricsAccumulator> hour = new HashMap<>();
    private long hourStart;
    private long nextPrune;
    private long lastEventAt = NONE;
    private RollupEvent lastEvent;
    // Firings of lastEvent's fingerprint in its millisecond, waiting for its resolutions there (see accept).
    private final List<RollupEvent> heldFirings = new ArrayList<>(2);

    public HourlyRollup(RollupRules rules, CarryState start, Predicate<String> ownsFingerprint, HourSink sink) {
        this.flapChanges = rules.flapChanges();
        this.flapWindow = rules.flapWindow().toMillis();
        this.transientMs = rules.transientThreshold().toMillis();
        this.standingMs = rules.standingThreshold().toMillis();
        this.correlationMs = rules.correlationWindow().toMillis();
        this.maxAgeMs = rules.episodeMaxAge().toMillis();
        this.owns = ownsFingerprint;
        this.sink = sink;
        this.hourStart = start.at().toEpochMilli();
        if (Math.floorMod(hourStart, HOUR) != 0) {
            throw new IllegalArgumentException("a rollup stream starts at an hour boundary, not at " + start.at());
        }
        this.nextPrune = Math.floorDiv(hourStart, DAY) * DAY + DAY;
        restore(start);
    }

    /** Everyone's fingerprints: an unsharded stream. */
    public HourlyRollup(RollupRules rules, CarryState start, HourSink sink) {
        this(rules, start, fingerprint -> true, sink);
    }

    /** The start of the hour now being computed; everything before it has been handed to the sink. */
    public Instant clock() {
        return Instant.ofEpochMilli(hourStart);
    }

    /**
     * Counts one event; events must come in {@link RollupEvent#STREAM_ORDER} (time, then content within a
     * millisecond, which decides e.g. which of two same-millisecond firings is correlated) and not before
     * {@link #clock()}.
     *
     * <p>Within one millisecond, a fingerprint's firings come before its resolutions in that order, which is right
     * when its alert was closed (a zero-length episode) but not when it was open: a source that stamps to the second
     * sends "recovered" and "re-triggered" in one millisecond, and firings first would count the re-trigger as a
     * duplicate and let the recovery close an alert that is firing again. So when its episode is open as its events
     * of the millisecond begin, its firings are held back until its resolutions of that millisecond are counted.
     */
    public void accept(RollupEvent event) {
        long t = event.occurredAt();
        if (t < hourStart || t < lastEventAt) {
            throw new IllegalArgumentException("event of " + event.dimensions().fingerprint() + " at " + Instant.ofEpochMilli(t)
                    + " comes after " + Instant.ofEpochMilli(Math.max(hourStart, lastEventAt)) + ": the stream must be in time order");
        }
        if (t == lastEventAt && lastEvent.isAfter(event)) {
            throw new IllegalArgumentException("events of " + Instant.ofEpochMilli(t) + " are not in stream order: "
                    + event + " came after " + lastEvent + ", which it precedes");
        }
        boolean sameMillisecondAndFingerprint = t == lastEventAt
                && lastEvent.dimensions().fingerprint().equals(event.dimensions().fingerprint());
        boolean stillHolding = !heldFirings.isEmpty() && sameMillisecondAndFingerprint && event.state() != AlertState.INFO;
        if (!stillHolding) {
            releaseHeldFirings();
        }
        lastEventAt = t;
        lastEvent = event;
        while (t >= hourStart + HOUR) {
            completeHour();
        }
        settle(t);
        AlertDimensions d = event.dimensions();
        if (!owns.test(d.fingerprint())) {
            // The shard that owns it may hold these firings back past its resolutions, which never touch the service
            // state: the sequence of firings per service, and so every shard's correlation verdicts, stay the same.
            if (event.state() == AlertState.FIRING) {
                correlated(d, t);
            }
            return;
        }
        // Firings lead their millisecond, so the first one decides for all: an unheld one is no reason to hold the next.
        if (event.state() == AlertState.FIRING && (stillHolding || !sameMillisecondAndFingerprint && hasOpenEpisode(d.fingerprint()))) {
            heldFirings.add(event);
            return;
        }
        count(event);
    }

    /** Completes every hour before {@code t} (an hour boundary after every event so far). */
    public void advanceTo(Instant t) {
        long until = t.toEpochMilli();
        if (Math.floorMod(until, HOUR) != 0 || until < hourStart || lastEventAt >= until) {
            throw new IllegalArgumentException("cannot advance a rollup stream at " + clock() + " to " + t);
        }
        // The stream may end right after firings held back for resolutions that did not come: they were duplicates.
        releaseHeldFirings();
        while (hourStart < until) {
            completeHour();
        }
    }

    /** The state at {@link #clock()}; only at an hour boundary before which every event so far lies. */
    public CarryState carry() {
        if (lastEventAt >= hourStart) {
            throw new IllegalStateException("carry state is taken at an hour boundary, after advanceTo");
        }
        long at = hourStart;
        List<CarryState.FingerprintCarry> carried = new ArrayList<>();
        fingerprints.forEach((fingerprint, fs) -> {
            if (fs.isIdleAt(at)) {
                return;
            }
            List<CarryState.StateChange> changes = new ArrayList<>();
            for (Change c : fs.changes) {
                if (at - c.at <= flapWindow) {
                    changes.add(new CarryState.StateChange(c.at, c.dims, c.counted, Verdict.isOpen(c.verdict)));
                }
            }
            Episode ep = fs.episode;
            carried.add(new CarryState.FingerprintCarry(fingerprint, ep == null ? null : ep.openedAt, ep == null ? null : ep.dims,
                    fs.lastPageAt != NONE && at - fs.lastPageAt <= interruptionGap ? fs.lastPageAt : null, changes,
                    ep != null && Verdict.isOpen(ep.verdict)));
        });
        carried.sort(Comparator.comparing(CarryState.FingerprintCarry::fingerprint));
        List<CarryState.ServiceCarry> serviceState = new ArrayList<>();
        services.forEach((service, sf) -> {
            if (sf.latest != null && at - sf.latestAt <= correlationMs) {
                boolean previous = sf.previous != null && at - sf.previousAt <= correlationMs;
                serviceState.add(new CarryState.ServiceCarry(service, sf.latest, sf.latestAt,
                        previous ? sf.previous : null, previous ? sf.previousAt : null));
            }
        });
        serviceState.sort(Comparator.comparing(CarryState.ServiceCarry::service));
        return new CarryState(clock(), carried, serviceState);
    }

    /** Fingerprints with an open episode now, including one that held-back firings are about to reopen. */
    public int openEpisodes() {
        boolean reopening = !heldFirings.isEmpty() && !hasOpenEpisode(heldFirings.get(0).dimensions().fingerprint());
        return open.size() + (reopening ? 1 : 0);
    }

    private boolean hasOpenEpisode(String fingerprint) {
        return withOpenEpisode(fingerprint) != null;
    }

    private void releaseHeldFirings() {
        for (RollupEvent firing : heldFirings) {
            count(firing);
        }
        heldFirings.clear();
    }

    /** Counts an event of an owned fingerprint. */
    private void count(RollupEvent event) {
        AlertDimensions d = event.dimensions();
        long t = event.occurredAt();
        // A resolution that ends an episode counts under the firing that opened it. Sources send recoveries without
        // the firing's severity (Sentry's resolved metric alert is info, Datadog's Recovered has no priority), and
        // rules then classify them apart: counted as sent, group_by=severity or urgency split one alert into a page
        // never resolved and a resolution of nothing.
        FingerprintState ending = event.state() == AlertState.RESOLVED ? withOpenEpisode(d.fingerprint()) : null;
        AlertDimensions countedAs = ending == null ? d : ending.episode.dims;
        MetricsAccumulator acc = acc(countedAs);
        acc.events++;
        if (countedAs.ignored()) {
            acc.ignored++;
        }
        switch (event.state()) {
            case INFO -> acc.info++;
            case FIRING -> firing(d, t, acc);
            case RESOLVED -> {
                acc.resolved++;
                if (ending != null) {
                    endEpisode(ending, t, acc);
                }
            }
        }
    }

    private void restore(CarryState start) {
        List<Episode> restored = new ArrayList<>();
        List<Verdict> undecided = new ArrayList<>();
        for (CarryState.FingerprintCarry fc : start.fingerprints()) {
            if (!owns.test(fc.fingerprint())) {
                continue;
            }
            FingerprintState fs = new FingerprintState();
            Verdict ofEpisode = null;
            if (fc.openedAt() != null) {
                fs.episode = new Episode(fc.openedAt(), fc.openedWith(), hourStart);
                restored.add(fs.episode);
                if (fc.openingUnclassified()) {
                    // Its opening change is carried only while its flap window lasts; past it, that question is answered.
                    ofEpisode = new Verdict(fc.openedAt(), fc.openedWith());
                    ofEpisode.flapCleared = true;
                    fs.episode.verdict = ofEpisode;
                }
            }
            fs.lastPageAt = fc.lastPageAt() == null ? NONE : fc.lastPageAt();
            for (CarryState.StateChange c : fc.recentChanges()) {
                Change change = new Change(c.at(), c.dimensions());
                change.counted = c.countedAsFlap();
                if (c.opensUnclassified()) {
                    if (ofEpisode != null && ofEpisode.firedAt == c.at() && ofEpisode.flapCleared) {
                        ofEpisode.flapCleared = false;
                        change.verdict = ofEpisode;
                    } else {
                        // Its episode is over and was neither transient nor standing, or it would be decided already.
                        change.verdict = new Verdict(c.at(), c.dimensions());
                        change.verdict.endCleared = true;
                    }
                    undecided.add(change.verdict);
                }
                fs.changes.addLast(change);
            }
            fingerprints.put(fc.fingerprint(), fs);
        }
        restored.sort(Comparator.comparingLong(ep -> ep.openedAt));
        for (Episode ep : restored) {
            open.add(ep);
            // Crossings before the clock were counted by whoever computed those hours.
            (ep.openedAt + standingMs < hourStart ? awaitingExpiry : awaitingStanding).addLast(ep);
        }
        undecided.sort(Comparator.comparingLong(v -> v.firedAt));
        awaitingFlapWindow.addAll(undecided);
        for (CarryState.ServiceCarry sc : start.services()) {
            ServiceFirings sf = new ServiceFirings();
            sf.latest = sc.latestFingerprint();
            sf.latestAt = sc.latestAt();
            sf.previous = sc.previousFingerprint();
            sf.previousAt = sc.previousAt() == null ? NONE : sc.previousAt();
            services.put(sc.service(), sf);
        }
    }

    private void firing(AlertDimensions d, long t, MetricsAccumulator acc) {
        acc.firing++;
        acc.lastFiredAt = Math.max(acc.lastFiredAt, t);
        FingerprintState fs = fingerprints.computeIfAbsent(d.fingerprint(), f -> new FingerprintState());
        if (d.pages()) {
            acc.pages++;
            if (fs.lastPageAt == NONE || t - fs.lastPageAt > interruptionGap) {
                acc.interruptions++;
            }
            fs.lastPageAt = t;
        }
        boolean correlated = correlated(d, t);
        if (correlated) {
            acc.correlated++;
        }
        if (fs.episode != null) {
            if (!escalates(fs.episode, d, t)) {
                acc.duplicates++;
                acc.classified++;
                return;
            }
            endByEscalation(fs, t);
        }
        Episode ep = new Episode(t, d, t);
        if (d.ignored() || correlated) {
            acc.classified++;
        } else {
            ep.verdict = new Verdict(t, d);
            awaitingFlapWindow.addLast(ep.verdict);
        }
        fs.episode = ep;
        open.add(ep);
        awaitingStanding.addLast(ep);
        stateChanged(fs, t, d, ep.verdict);
    }

    /**
     * Whether firing {@code d} at {@code t} escalates {@code open}: it pages, and the firing that opened the episode
     * paged nobody (a warning that became critical). One in the opening's own millisecond is its duplicate, as before:
     * a snapshot could not tell the two openings of one instant apart.
     */
    private static boolean escalates(Episode open, AlertDimensions d, long t) {
        return d.pages() && !open.dims.pages() && t > open.openedAt;
    }

    /**
     * Ends the warning's episode at the page that escalates it, without a resolution; the page then opens an episode
     * of its own like any opening firing, and so is a state change too (an alert that cycles through warning, page
     * and recovery is flapping, its pages included). Counted as a duplicate, the incident's one page read as noise and
     * its resolve time as the warning's. The warning is decided here: noise when the page came within the transient
     * threshold (it added nothing the page did not say, and a warning-page-recovery blip stays noise), else
     * actionable once its flap window passes (it foretold the incident).
     */
    private void endByEscalation(FingerprintState fs, long t) {
        Episode warning = fs.episode;
        acc(warning.dims).firingMs += t - warning.accountedUntil;
        if (t - warning.openedAt <= transientMs) {
            noise(warning.verdict);
        } else if (warning.verdict != null) {
            warning.verdict.endCleared = true;
            actionableIfCleared(warning.verdict);
        }
        close(fs, warning);
    }

    /** The state of {@code fingerprint} when it has an open episode, else null. */
    private FingerprintState withOpenEpisode(String fingerprint) {
        FingerprintState fs = fingerprints.get(fingerprint);
        return fs == null || fs.episode == null ? null : fs;
    }

    /** Ends {@code fs}'s open episode with a resolution at {@code t}; {@code acc} is its dimensions' accumulator. */
    private void endEpisode(FingerprintState fs, long t, MetricsAccumulator acc) {
        Episode ep = fs.episode;
        acc.firingMs += t - ep.accountedUntil;
        long duration = t - ep.openedAt;
        boolean isTransient = duration <= transientMs;
        acc.addEpisode(duration, isTransient);
        if (isTransient) {
            noise(ep.verdict);
        } else if (ep.verdict != null) {
            ep.verdict.endCleared = true;
            actionableIfCleared(ep.verdict);
        }
        close(fs, ep);
        stateChanged(fs, t, ep.dims, null);
    }

    /**
     * Records a firing of {@code d}'s service in its environment; true when another fingerprint of them fired within
     * the window before. Alerts of no known service, and ignored ones, take no part: "unknown" is not one incident's
     * service, and an ignored alarm re-firing every few minutes would make every real page of its service look like
     * an echo of it.
     */
    private boolean correlated(AlertDimensions d, long t) {
        if (RollupKey.UNKNOWN.equals(d.service()) || d.ignored()) {
            return false;
        }
        String key = correlationKey(d);
        boolean afterAnyFiring = services.computeIfAbsent(key, s -> new ServiceFirings()).record(d.fingerprint(), t, correlationMs);
        if (!d.pages()) {
            return afterAnyFiring;
        }
        // A page is the echo of an earlier page only: after a low-urgency warning nobody was woken yet, so the page
        // is the incident's interruption, not its noise (the warning stays the first firing either way).
        return services.computeIfAbsent(key + PAGES_KEY, s -> new ServiceFirings()).record(d.fingerprint(), t, correlationMs);
    }

    /** One service in one environment: staging's checkout alarms say nothing about an incident in production's. */
    static String correlationKey(AlertDimensions d) {
        return d.service() + '\u001f' + d.environment();
    }

    /** {@code opened}: the verdict of the firing this change opened an episode with, null for a closing change. */
    private void stateChanged(FingerprintState fs, long t, AlertDimensions dims, Verdict opened) {
        while (!fs.changes.isEmpty() && t - fs.changes.peekFirst().at > flapWindow) {
            fs.changes.pollFirst();
        }
        Change change = new Change(t, dims);
        change.verdict = opened;
        fs.changes.addLast(change);
        if (fs.changes.size() >= flapChanges) {
            // Counted when the run is recognised, so an hour never changes after it is complete.
            for (Change c : fs.changes) {
                if (!c.counted) {
                    acc(c.dims).flaps++;
                    c.counted = true;
                    noise(c.verdict);
                }
            }
        }
    }

    /** The firing behind {@code verdict} (when any, and still open) is noise. */
    private void noise(Verdict verdict) {
        if (Verdict.isOpen(verdict)) {
            verdict.decided = true;
            acc(verdict.dims).classified++;
        }
    }

    private void actionableIfCleared(Verdict verdict) {
        if (Verdict.isOpen(verdict) && verdict.endCleared && verdict.flapCleared) {
            verdict.decided = true;
            MetricsAccumulator acc = acc(verdict.dims);
            acc.classified++;
            acc.actionable++;
        }
    }

    /** Moves the clock to {@code t}: every event before {@code t} has been counted. */
    private void settle(long t) {
        while (!awaitingStanding.isEmpty() && awaitingStanding.peekFirst().openedAt + standingMs < t) {
            Episode ep = awaitingStanding.pollFirst();
            if (!ep.closed) {
                acc(ep.dims).standing++;
                noise(ep.verdict);
                awaitingExpiry.addLast(ep);
            }
        }
        // Strictly after: a change at exactly the end of the window can still complete a run that includes it.
        while (!awaitingFlapWindow.isEmpty() && awaitingFlapWindow.peekFirst().firedAt + flapWindow < t) {
            Verdict verdict = awaitingFlapWindow.pollFirst();
            verdict.flapCleared = true;
            actionableIfCleared(verdict);
        }
        while (!awaitingExpiry.isEmpty() && awaitingExpiry.peekFirst().openedAt + maxAgeMs <= t) {
            Episode ep = awaitingExpiry.pollFirst();
            if (!ep.closed) {
                // Never negative: an episode restored after the max age was lowered between runs is already past it.
                acc(ep.dims).firingMs += Math.max(0, ep.openedAt + maxAgeMs - ep.accountedUntil);
                // Only when the standing threshold changed between runs is it still open here: it stood past both.
                noise(ep.verdict);
                close(fingerprints.get(ep.dims.fingerprint()), ep);
            }
        }
    }

    private void completeHour() {
        long end = hourStart + HOUR;
        settle(end);
        for (Episode ep : open) {
            acc(ep.dims).firingMs += end - ep.accountedUntil;
            ep.accountedUntil = end;
        }
        Map<AlertDimensions, RollupMetrics> done = new HashMap<>(hour.size() * 4 / 3 + 1);
        hour.forEach((dims, acc) -> done.put(dims, acc.toMetrics()));
        hour = new HashMap<>();
        Instant completed = Instant.ofEpochMilli(hourStart);
        hourStart = end;
        if (end >= nextPrune) {
            prune(end);
            nextPrune = end + DAY;
        }
        sink.hourCompleted(completed, done);
    }

    /** Forgets what can no longer matter, so memory follows the active alerts, not the window's length. */
    private void prune(long now) {
        fingerprints.values().removeIf(fs -> fs.isIdleAt(now));
        services.values().removeIf(sf -> sf.latest == null || now - sf.latestAt > correlationMs);
    }

    private void close(FingerprintState fs, Episode ep) {
        ep.closed = true;
        fs.episode = null;
        open.remove(ep);
    }

    private MetricsAccumulator acc(AlertDimensions dims) {
        MetricsAccumulator acc = hour.get(dims);
        if (acc == null) {
            acc = new MetricsAccumulator();
            hour.put(dims, acc);
        }
        return acc;
    }

    private final class FingerprintState {
        Episode episode;
        long lastPageAt = NONE;
        final ArrayDeque<Change> changes = new ArrayDeque<>(2);

        /** Nothing about this fingerprint can affect events at or after {@code at}. */
        boolean isIdleAt(long at) {
            return episode == null && (lastPageAt == NONE || at - lastPageAt > interruptionGap)
                    && (changes.isEmpty() || at - changes.peekLast().at > flapWindow);
        }
    }

    private static final class Episode {
        final long openedAt;
        final AlertDimensions dims;
        long accountedUntil;
        boolean closed;
        Verdict verdict;

        Episode(long openedAt, AlertDimensions dims, long accountedUntil) {
            this.openedAt = openedAt;
            this.dims = dims;
            this.accountedUntil = accountedUntil;
        }
    }

    private static final class Change {
        final long at;
        final AlertDimensions dims;
        boolean counted;
        Verdict verdict;

        Change(long at, AlertDimensions dims) {
            this.at = at;
            this.dims = dims;
        }
    }

    /**
     * A firing that opened an episode while neither ignored nor correlated, until it is known to be noise or
     * actionable: actionable once its episode ended neither transient nor standing and its flap window passed
     * without a flapping run.
     */
    private static final class Verdict {
        final long firedAt;
        final AlertDimensions dims;
        boolean endCleared;
        boolean flapCleared;
        boolean decided;

        Verdict(long firedAt, AlertDimensions dims) {
            this.firedAt = firedAt;
            this.dims = dims;
        }

        static boolean isOpen(Verdict verdict) {
            return verdict != null && !verdict.decided;
        }
    }

    private static final class ServiceFirings {
        String latest;
        long latestAt = NONE;
        String previous;
        long previousAt = NONE;

        /** Records a firing; answers whether another fingerprint fired within {@code window} before it. */
        boolean record(String fingerprint, long t, long window) {
            long otherAt = fingerprint.equals(latest) ? previousAt : (latest == null ? NONE : latestAt);
            if (!fingerprint.equals(latest)) {
                previous = latest;
                previousAt = latest == null ? NONE : latestAt;
                latest = fingerprint;
            }
            latestAt = t;
            return otherAt != NONE && t - otherAt <= window;
        }
    }
}
