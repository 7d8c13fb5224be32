package dev.rollcall.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertState;

/**
 * {@link HourlyRollup}'s totals against a plain restatement of the metric definitions (the job's README and
 * {@link RollupMetrics}), written without its state machine: one fingerprint's events at a time, episodes as pairs,
 * flapping runs and correlation by looking back over the whole history. The streams are random but made of the gaps
 * where definitions are decided: 0 ms (one millisecond, so a recovery and a re-trigger share it), one millisecond
 * either side of 60 s (interruptions), the transient threshold and correlation window (5 min) and the flap window
 * (1 h, and a third of it, so that four changes can span it exactly), and gaps that pass the standing threshold and the episode max age.
 */
class HourlyRollupReferenceTest {

    private static final String[] URGENCIES = {"high", "high", "low", "ignore"};
    private static final AlertState[] STATES = {AlertState.FIRING, AlertState.FIRING, AlertState.RESOLVED, AlertState.RESOLVED, AlertState.INFO};
    private static final long[] GAPS = {0, 0, 0, 1, 1_000, 59_999, 60_000, 60_001, 299_999, 300_000, 300_001, 1_200_000, 3_599_999,
            3_600_000, 3_600_001};
    private static final List<String> METRICS = List.of("events", "firing", "resolved", "pages", "interruptions", "episodes",
            "resolve_ms_sum", "firing_ms", "duplicates", "correlated", "transients", "standing", "flaps");

    @Test
    void totalsEqualTheDefinitionsOnStreamsOfEdgeGaps() {
        for (int seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            RollupRules rules = seed % 2 == 0 ? RollupRules.DEFAULTS : HourlyRollupTest.SHORT;
            // Fewer fingerprints make runs of one fingerprint's changes, and so flapping runs on the window's edge.
            List<RollupEvent> events = randomStream(random, 1 + seed % 5);
            List<Instant> cuts = new ArrayList<>();
            for (int h = 1; h < 24 * 3; h++) {
                if (random.nextInt(6) == 0) {
                    cuts.add(HourlyRollupTest.hour(h));
                }
            }
            Instant end = HourlyRollupTest.DAY.plus(Duration.ofDays(12));
            RollupMetrics total = HourlyRollupTest.run(rules, events, f -> true, cuts, end).values().stream()
                    .flatMap(h -> h.values().stream()).reduce(RollupMetrics.ZERO, RollupMetrics::plus);
            Map<String, Long> computed = new TreeMap<>();
            METRICS.forEach(metric -> computed.put(metric, HourlyRollupTest.metric(total, metric)));

            assertThat(computed).as("seed %d, events %s", seed, events).isEqualTo(reference(rules, events, end.toEpochMilli()));
        }
    }

    /**
     * Events of the first {@code fingerprints} of a, b, c (one service), d (another) and e (no known service); every
     * urgency and state.
     */
    private static List<RollupEvent> randomStream(Random random, int fingerprints) {
        List<RollupEvent> events = new ArrayList<>();
        long t = HourlyRollupTest.DAY.toEpochMilli() + random.nextInt(3_600_000);
        int count = 5 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            String fingerprint = String.valueOf("abcde".charAt(random.nextInt(fingerprints)));
            String service = switch (fingerprint) {
                case "d" -> "search";
                case "e" -> RollupKey.UNKNOWN;
                default -> "checkout";
            };
            events.add(new RollupEvent(t, new AlertDimensions(service, "cloudwatch", URGENCIES[random.nextInt(URGENCIES.length)], "high",
                    "123456789012", "prod", "alarm-" + fingerprint, fingerprint), STATES[random.nextInt(STATES.length)]));
            int kind = random.nextInt(10);
            t += kind < 7 ? GAPS[random.nextInt(GAPS.length)] : kind < 9 ? random.nextInt(1_200_000) : random.nextInt(30 * 3_600_000);
        }
        events.sort(RollupEvent.STREAM_ORDER);
        return events;
    }

    /** The metrics of {@code events} (in stream order), every episode still open accounted up to {@code end}. */
    private static Map<String, Long> reference(RollupRules rules, List<RollupEvent> events, long end) {
        Map<String, Long> totals = new TreeMap<>();
        METRICS.forEach(metric -> totals.put(metric, 0L));
        totals.put("correlated", correlated(events, rules.correlationWindow().toMillis()));
        Map<String, List<RollupEvent>> byFingerprint = new TreeMap<>();
        events.forEach(e -> byFingerprint.computeIfAbsent(e.dimensions().fingerprint(), f -> new ArrayList<>()).add(e));
        byFingerprint.values().forEach(own -> countFingerprint(rules, own, end, totals));
        return totals;
    }

    /**
     * Firings (not of an unknown service, not ignored) after a firing of another fingerprint of their service within the
     * window, a page only after a page; earlier means earlier in stream order.
     */
    private static long correlated(List<RollupEvent> events, long window) {
        List<RollupEvent> firings = events.stream().filter(e -> e.state() == AlertState.FIRING && takesPart(e)).toList();
        long correlated = 0;
        for (int i = 0; i < firings.size(); i++) {
            RollupEvent firing = firings.get(i);
            boolean page = firing.dimensions().pages();
            for (int j = i - 1; j >= 0 && firing.occurredAt() - firings.get(j).occurredAt() <= window; j--) {
                AlertDimensions other = firings.get(j).dimensions();
                if (other.service().equals(firing.dimensions().service()) && !other.fingerprint().equals(firing.dimensions().fingerprint())
                        && (!page || other.pages())) {
                    correlated++;
                    break;
                }
            }
        }
        return correlated;
    }

    private static boolean takesPart(RollupEvent e) {
        return !e.dimensions().service().equals(RollupKey.UNKNOWN) && !e.dimensions().ignored();
    }

    /** One fingerprint's events, one millisecond at a time. */
    private static void countFingerprint(RollupRules rules, List<RollupEvent> own, long end, Map<String, Long> totals) {
        long maxAge = rules.episodeMaxAge().toMillis();
        long standing = rules.standingThreshold().toMillis();
        long openedAt = -1;
        boolean openedByPage = false;
        long lastPageAt = -1;
        List<Long> changes = new ArrayList<>();
        for (int i = 0; i < own.size(); ) {
            long t = own.get(i).occurredAt();
            List<RollupEvent> millisecond = new ArrayList<>();
            while (i < own.size() && own.get(i).occurredAt() == t) {
                millisecond.add(own.get(i++));
            }
            if (openedAt >= 0 && openedAt + maxAge <= t) {
                // Dropped at its max age, having stood past the standing threshold.
                add(totals, "firing_ms", maxAge);
                add(totals, "standing", 1);
                openedAt = -1;
            }
            // Open as the millisecond begins: a recovery and a re-trigger, so its resolutions count first.
            List<RollupEvent> ordered = new ArrayList<>(millisecond);
            if (openedAt >= 0) {
                ordered.sort((x, y) -> Integer.compare(rank(x.state()), rank(y.state())));
            }
            for (RollupEvent e : ordered) {
                add(totals, "events", 1);
                boolean page = e.dimensions().pages();
                if (e.state() == AlertState.FIRING) {
                    add(totals, "firing", 1);
                    if (page) {
                        add(totals, "pages", 1);
                        if (lastPageAt < 0 || t - lastPageAt > RollupRules.INTERRUPTION_GAP.toMillis()) {
                            add(totals, "interruptions", 1);
                        }
                        lastPageAt = t;
                    }
                    if (openedAt >= 0 && !(page && !openedByPage && t > openedAt)) {
                        add(totals, "duplicates", 1);
                    } else {
                        if (openedAt >= 0) {
                            // An escalation: the warning's episode ends without a resolution.
                            add(totals, "firing_ms", t - openedAt);
                            add(totals, "standing", t - openedAt > standing ? 1 : 0);
                        }
                        openedAt = t;
                        openedByPage = page;
                        changes.add(t);
                    }
                } else if (e.state() == AlertState.RESOLVED) {
                    add(totals, "resolved", 1);
                    if (openedAt >= 0) {
                        long duration = t - openedAt;
                        add(totals, "episodes", 1);
                        add(totals, "resolve_ms_sum", duration);
                        add(totals, "firing_ms", duration);
                        add(totals, "transients", duration <= rules.transientThreshold().toMillis() ? 1 : 0);
                        add(totals, "standing", duration > standing ? 1 : 0);
                        openedAt = -1;
                        changes.add(t);
                    }
                }
            }
        }
        if (openedAt >= 0) {
            boolean dropped = openedAt + maxAge <= end;
            add(totals, "firing_ms", dropped ? maxAge : end - openedAt);
            add(totals, "standing", dropped || openedAt + standing < end ? 1 : 0);
        }
        add(totals, "flaps", flapping(changes, rules.flapChanges(), rules.flapWindow().toMillis()));
    }

    /** State changes that belong to some run of {@code n} or more changes within {@code window} (inclusive). */
    private static long flapping(List<Long> changes, int n, long window) {
        boolean[] flapping = new boolean[changes.size()];
        for (int last = 0; last < changes.size(); last++) {
            int first = last;
            while (first > 0 && changes.get(last) - changes.get(first - 1) <= window) {
                first--;
            }
            if (last - first + 1 >= n) {
                for (int k = first; k <= last; k++) {
                    flapping[k] = true;
                }
            }
        }
        long count = 0;
        for (boolean f : flapping) {
            count += f ? 1 : 0;
        }
        return count;
    }

    private static int rank(AlertState state) {
        return switch (state) {
            case RESOLVED -> 0;
            case FIRING -> 1;
            case INFO -> 2;
        };
    }

    private static void add(Map<String, Long> totals, String metric, long value) {
        totals.merge(metric, value, Long::sum);
    }
}
