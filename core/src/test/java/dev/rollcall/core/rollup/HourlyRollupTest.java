package dev.rollcall.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;

class HourlyRollupTest {

    static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    static final RollupRules SHORT = new RollupRules(4, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofMinutes(5), Duration.ofHours(3));
    /** DEFAULTS with a flap window longer than an hour, so a verdict can outlive the hour after its firing. */
    static final RollupRules FLAP_2H = new RollupRules(4, Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofHours(24),
            Duration.ofMinutes(5), Duration.ofDays(7));

    /** {@code "HH:MM:SS fingerprint state urgency [service]"}, put in stream order. */
    static List<RollupEvent> events(String... lines) {
        List<RollupEvent> events = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            String service = f.length > 4 ? f[4] : "checkout";
            events.add(new RollupEvent(DAY.plus(Duration.parse("PT" + f[0].replaceFirst(":", "H").replaceFirst(":", "M") + "S")).toEpochMilli(),
                    dims(f[1], f[3], service), AlertState.fromWire(f[2])));
        }
        events.sort(RollupEvent.STREAM_ORDER);
        return events;
    }

    static AlertDimensions dims(String fingerprint, String urgency, String service) {
        return new AlertDimensions(service, "cloudwatch", urgency, "high", "123456789012", "prod", "alarm-" + fingerprint, fingerprint);
    }

    static Map<String, Long> expect(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("states and urgencies are counted per event", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 a resolved high", "10:06:00 b info low", "10:07:00 c firing ignore"),
                        expect("events", 4, "firing", 2, "resolved", 1, "info", 1, "pages", 1, "interruptions", 1, "ignored", 1)),
                Arguments.of("pages of one fingerprint within 60 s of the previous one are one interruption", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:00:50 a firing high", "10:01:50 a firing high", "10:02:51 a firing high",
                        "10:00:10 b firing high", "10:00:20 c firing low"),
                        expect("pages", 5, "interruptions", 3, "firing", 6, "duplicates", 3)),
                Arguments.of("a firing and its resolution make an episode; quick ones are transient", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:10:00 a resolved high", "10:00:00 b firing high", "10:05:00 b resolved high",
                        "10:20:00 c resolved high"),
                        expect("episodes", 2, "resolve_ms_sum", 900_000, "transients", 1, "firing_ms", 900_000, "resolved", 3)),
                Arguments.of("firing again while open is a duplicate; time after a new firing counts until the end", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 a firing high", "10:06:00 a firing high", "10:10:00 a resolved high",
                        "10:20:00 a firing high"),
                        expect("duplicates", 2, "episodes", 1, "firing_ms", 600_000 + 49_200_000L, "standing", 0)),
                Arguments.of("another fingerprint of the service within the window is correlated, the first is not", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:03:00 b firing high", "10:09:00 c firing high", "10:10:00 a firing high",
                        "10:01:00 d firing high other", "10:15:00 a firing high"),
                        expect("correlated", 2, "duplicates", 2)),
                Arguments.of("correlation takes no part for unknown services or ignored alerts", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high unknown", "10:01:00 b firing high unknown",
                        "10:10:00 c firing ignore", "10:11:00 d firing high", "10:12:00 e firing ignore"),
                        expect("correlated", 0, "firing", 5)),
                Arguments.of("N state changes within the flap window are flaps; duplicates are no change", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:10:00 a resolved high", "10:20:00 a firing high", "10:30:00 a resolved high",
                        "12:00:00 a firing high", "12:01:00 a resolved high",
                        "10:00:00 b firing low", "10:30:00 b resolved low", "11:10:00 b firing low", "11:20:00 b resolved low",
                        "10:00:00 c firing low", "10:01:00 c firing low", "10:02:00 c firing low", "10:03:00 c resolved low"),
                        expect("flaps", 4, "episodes", 6, "duplicates", 2)),
                Arguments.of("a flapping run keeps counting each further change once", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 a resolved high", "10:10:00 a firing high", "10:15:00 a resolved high",
                        "10:20:00 a firing high", "10:25:00 a resolved high"),
                        expect("flaps", 6, "transients", 3)),
                Arguments.of("standing: still firing past the threshold; exactly the threshold is not", SHORT, events(
                        "10:00:00 a firing high", "11:00:00 a resolved high", "10:00:00 b firing high", "11:00:01 b resolved high",
                        "10:30:00 c firing high"),
                        expect("standing", 2, "episodes", 2, "firing_ms", 3_600_000 + 3_601_000 + 10_800_000L)),
                Arguments.of("an episode past its max age is dropped: its resolution pairs with nothing", SHORT, events(
                        "10:30:00 c firing high", "14:00:00 c resolved high", "14:30:00 c firing high", "14:40:00 c resolved high"),
                        expect("episodes", 1, "duplicates", 0, "firing_ms", 10_800_000 + 600_000L, "standing", 1, "resolved", 2)),
                Arguments.of("the transient threshold is inclusive", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 a resolved high", "11:00:00 b firing high", "11:05:01 b resolved high"),
                        expect("transients", 1, "episodes", 2)),
                Arguments.of("events of one millisecond are ordered by content: a firing before its resolution", RollupRules.DEFAULTS, events(
                        "10:00:00 a resolved high", "10:00:00 a firing high", "10:00:00 b firing high", "10:00:00 b resolved high"),
                        expect("episodes", 2, "resolve_ms_sum", 0, "transients", 2, "firing_ms", 0)),
                Arguments.of("a firing and its resolution in one millisecond pair up whatever other dimensions the resolution has",
                        RollupRules.DEFAULTS, events("10:00:00 x firing low", "10:00:00 x resolved high"),
                        expect("episodes", 1, "transients", 1, "firing_ms", 0, "standing", 0)),
                Arguments.of("of two firings in one millisecond the lower fingerprint is first, the other correlated", RollupRules.DEFAULTS, events(
                        "10:00:00 b firing high", "10:00:00 a firing high", "10:00:00 c firing high other"),
                        expect("correlated", 1, "firing", 3)),
                // The cases below pin state carried across an hour boundary (the resuming test cuts at every hour).
                Arguments.of("a page exactly 60 s before an hour boundary and one on it are one interruption", RollupRules.DEFAULTS, events(
                        "10:59:00 a firing high", "11:00:00 a firing high"),
                        expect("pages", 2, "interruptions", 1, "duplicates", 1)),
                Arguments.of("a firing exactly one correlation window before an hour boundary correlates one on it", RollupRules.DEFAULTS, events(
                        "10:55:00 a firing low", "11:00:00 b firing low"),
                        expect("correlated", 1, "firing", 2)),
                Arguments.of("the service's firing before its latest one is carried too: the latest fingerprint fires again", RollupRules.DEFAULTS, events(
                        "10:55:00 b firing low", "10:56:00 a firing low", "11:00:00 a firing low"),
                        expect("correlated", 2, "duplicates", 1, "firing", 3)),
                Arguments.of("a change exactly one flap window before an hour boundary still counts toward a run across it", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:00:00 a resolved high", "11:00:00 a firing high", "11:00:00 a resolved high"),
                        expect("flaps", 4, "episodes", 2)),
                Arguments.of("an episode is dropped at exactly its max age: a resolution then pairs with nothing", SHORT, events(
                        "10:30:00 c firing high", "13:30:00 c resolved high"),
                        expect("episodes", 0, "resolved", 1, "firing_ms", 10_800_000, "standing", 1)),
                Arguments.of("with a flap window over an hour, restored verdicts still clear in firing order", FLAP_2H, events(
                        "09:10:00 b firing high", "09:40:00 b resolved high", "10:50:00 a firing high", "10:58:00 a resolved high"),
                        expect("episodes", 2, "flaps", 0, "classified", 2, "actionable", 2)));
    }

    /**
     * A fingerprint's events of one millisecond (sources that stamp to the second): resolutions go first when its
     * alert is open as the millisecond begins, firings first when it is closed.
     */
    static Stream<Arguments> sameMillisecond() {
        return Stream.of(
                Arguments.of("open: a recovery and re-trigger in one second are two episodes, firing throughout", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:30:00 a resolved high", "10:30:00 a firing high", "11:00:00 a resolved high"),
                        expect("episodes", 2, "firing_ms", 3_600_000, "resolve_ms_sum", 3_600_000, "duplicates", 0, "resolved", 2,
                                "interruptions", 2, "flaps", 4, "classified", 2, "actionable", 0)),
                Arguments.of("open: both episodes get their own verdict", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:30:00 a resolved high", "10:30:00 a firing high", "12:00:00 a resolved high"),
                        expect("episodes", 2, "firing_ms", 7_200_000, "flaps", 0, "transients", 0, "classified", 2, "actionable", 2)),
                Arguments.of("closed: a firing and its resolution in one millisecond are still a zero-length episode", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:10:00 a resolved high",
                        "10:30:00 a resolved high", "10:30:00 a firing high", "10:30:00 a firing high"),
                        expect("episodes", 2, "firing_ms", 600_000, "resolve_ms_sum", 600_000, "transients", 1, "duplicates", 1)),
                Arguments.of("open: resolve, fire, fire in one millisecond reopen once; the second firing is a duplicate", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:30:00 a firing high", "10:30:00 a resolved high", "10:30:00 a firing high",
                        "11:00:00 a resolved high"),
                        expect("episodes", 2, "firing_ms", 3_600_000, "duplicates", 1, "pages", 3, "interruptions", 2)),
                Arguments.of("open: an info in the millisecond changes nothing, with a resolution or without", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:30:00 a info high", "10:30:00 a resolved high", "10:30:00 a firing high",
                        "11:00:00 a resolved high",
                        "10:00:00 b firing high", "10:30:00 b firing high", "10:30:00 b info high", "11:00:00 b resolved high"),
                        expect("episodes", 3, "firing_ms", 7_200_000, "duplicates", 1, "info", 2, "events", 9)),
                Arguments.of("open: two fingerprints in one millisecond, each reopened, correlated in stream order", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 b firing high",
                        "10:30:00 b firing high", "10:30:00 a resolved high", "10:30:00 c firing high", "10:30:00 b resolved high",
                        "10:30:00 a firing high",
                        "11:00:00 a resolved high", "11:00:00 b resolved high", "11:00:00 c resolved high"),
                        expect("episodes", 5, "firing_ms", 8_700_000, "correlated", 3, "duplicates", 0)),
                Arguments.of("open across an hour boundary: the millisecond that starts the hour", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "11:00:00 a resolved high", "11:00:00 a firing high", "12:00:00 a resolved high"),
                        expect("episodes", 2, "firing_ms", 7_200_000, "duplicates", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameMillisecond")
    void aFingerprintsOrderInOneMillisecondDependsOnWhetherItsAlertIsOpen(String name, RollupRules rules, List<RollupEvent> events,
                                                                         Map<String, Long> expected) {
        assertDayTotals(rules, events, expected);
    }

    /**
     * Each firing is classified once, as noise (ignored, duplicate, correlated, flapping, transient, standing: any
     * of them, however many) or actionable. Every stream here lets each verdict become final within the day.
     */
    static Stream<Arguments> classifications() {
        return Stream.of(
                Arguments.of("A: the incident's alarm is actionable, its correlated transient echo noise once", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:01:00 b firing high", "10:03:00 b resolved high", "11:00:00 a resolved high"),
                        expect("firing", 2, "correlated", 1, "transients", 1, "classified", 2, "actionable", 1)),
                Arguments.of("B: a re-firing of the open alarm, duplicate and correlated, is one noisy firing", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:01:00 b firing high", "10:02:00 a firing high",
                        "11:00:00 a resolved high", "11:00:00 b resolved high"),
                        expect("firing", 3, "duplicates", 1, "correlated", 2, "classified", 3, "actionable", 1)),
                Arguments.of("flapping: 6 minutes firing every 15 minutes, not transient, all noise", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:06:00 a resolved high", "10:15:00 a firing high", "10:21:00 a resolved high",
                        "10:30:00 a firing high", "10:36:00 a resolved high", "10:45:00 a firing high", "10:51:00 a resolved high"),
                        expect("firing", 4, "flaps", 8, "transients", 0, "classified", 4, "actionable", 0)),
                Arguments.of("standing: firing past the threshold is noise; exactly the threshold is not", SHORT, events(
                        "10:00:00 a firing high", "11:30:00 a resolved high", "12:00:00 b firing high", "13:00:00 b resolved high"),
                        expect("firing", 2, "standing", 1, "classified", 2, "actionable", 1)),
                Arguments.of("transient: resolved within the threshold (inclusive) is noise", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing high", "10:05:00 a resolved high", "11:00:00 b firing high", "11:05:01 b resolved high"),
                        expect("firing", 2, "transients", 1, "classified", 2, "actionable", 1)),
                Arguments.of("ignored: noise, and it makes no later page of its service an echo", RollupRules.DEFAULTS, events(
                        "10:00:00 a firing ignore", "10:30:00 a resolved ignore", "10:02:00 b firing high", "10:40:00 b resolved high"),
                        expect("firing", 2, "ignored", 2, "correlated", 0, "classified", 2, "actionable", 1)),
                Arguments.of("a page after a low-urgency warning is no echo: nobody had been woken", RollupRules.DEFAULTS, events(
                        "10:00:00 disk firing low", "10:02:00 5xx firing high", "12:00:00 disk resolved low", "12:00:00 5xx resolved high"),
                        expect("firing", 2, "correlated", 0, "classified", 2, "actionable", 2)),
                Arguments.of("a low-urgency warning after a page is its echo", RollupRules.DEFAULTS, events(
                        "10:00:00 5xx firing high", "10:02:00 disk firing low", "12:00:00 disk resolved low", "12:00:00 5xx resolved high"),
                        expect("firing", 2, "correlated", 1, "classified", 2, "actionable", 1)),
                Arguments.of("a page after a page, with a warning between, is the first page's echo", RollupRules.DEFAULTS, events(
                        "10:00:00 5xx firing high", "10:01:00 disk firing low", "10:02:00 latency firing high",
                        "12:00:00 disk resolved low", "12:00:00 5xx resolved high", "12:00:00 latency resolved high"),
                        expect("firing", 3, "correlated", 2, "classified", 3, "actionable", 1)),
                Arguments.of("a page escalating a warning of the same alert opens its own episode; the warning foretold it",
                        RollupRules.DEFAULTS, events("18:00:00 e firing low", "18:10:00 e firing high", "18:40:00 e resolved high"),
                        expect("firing", 2, "duplicates", 0, "pages", 1, "interruptions", 1, "episodes", 1, "resolve_ms_sum", 1_800_000,
                                "firing_ms", 2_400_000, "transients", 0, "classified", 2, "actionable", 2)),
                Arguments.of("after the escalation a page again is a duplicate, and so is a warning after a page", RollupRules.DEFAULTS, events(
                        "18:00:00 e firing low", "18:10:00 e firing high", "18:20:00 e firing high", "19:00:00 e resolved high",
                        "20:00:00 f firing high", "20:10:00 f firing low", "21:00:00 f resolved high"),
                        expect("firing", 5, "duplicates", 2, "pages", 3, "episodes", 2, "resolve_ms_sum", 3_000_000 + 3_600_000,
                                "classified", 5, "actionable", 3)),
                Arguments.of("of a warning and a page in one millisecond the page comes first (stream order), the warning is its duplicate", RollupRules.DEFAULTS, events(
                        "18:00:00 e firing low", "18:00:00 e firing high", "18:40:00 e resolved high"),
                        expect("firing", 2, "duplicates", 1, "episodes", 1, "resolve_ms_sum", 2_400_000, "classified", 2, "actionable", 1)),
                Arguments.of("an escalation that transient noise ends is noise, its correlated page too", RollupRules.DEFAULTS, events(
                        "18:00:00 e firing low", "18:10:00 e firing high", "18:12:00 e resolved high",
                        "19:28:00 g firing high", "19:30:00 h firing low", "19:31:00 h firing high", "21:00:00 g resolved high",
                        "21:00:00 h resolved high"),
                        expect("firing", 5, "duplicates", 0, "episodes", 3, "transients", 1, "correlated", 2, "classified", 5,
                                "actionable", 2)),
                Arguments.of("a warning the page followed within the transient threshold adds nothing; with a quick recovery all is noise",
                        RollupRules.DEFAULTS, events("10:00:00 b firing low", "10:00:30 b firing high", "10:01:30 b resolved high",
                                "12:00:00 c firing low", "12:02:00 c firing high", "14:00:00 c resolved high"),
                        expect("firing", 4, "duplicates", 0, "episodes", 2, "transients", 1, "classified", 4, "actionable", 1)),
                Arguments.of("an alert cycling through warning, page and recovery is flapping, its pages too", RollupRules.DEFAULTS, events(
                        "10:00:00 w firing low", "10:01:00 w firing high", "10:10:00 w resolved high",
                        "10:15:00 w firing low", "10:16:00 w firing high", "10:25:00 w resolved high"),
                        expect("firing", 4, "duplicates", 0, "flaps", 6, "episodes", 2, "classified", 4, "actionable", 0)),
                Arguments.of("a page exactly the transient threshold after its warning makes the warning noise (inclusive)",
                        RollupRules.DEFAULTS, events("10:00:00 b firing low", "10:05:00 b firing high", "12:00:00 b resolved high"),
                        expect("firing", 2, "duplicates", 0, "episodes", 1, "classified", 2, "actionable", 1)),
                Arguments.of("a firing whose episode is still open at the end awaits its verdict", RollupRules.DEFAULTS, events(
                        "20:00:00 a firing high", "10:00:00 b firing high", "10:10:00 b resolved high"),
                        expect("firing", 2, "classified", 1, "actionable", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifications")
    void eachFiringIsClassifiedOnce(String name, RollupRules rules, List<RollupEvent> events, Map<String, Long> expected) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = assertDayTotals(rules, events, expected);
        hours.forEach((hour, rollups) -> rollups.forEach((d, m) -> assertThat(m.actionable())
                .as("actionable of %s at %s", d.fingerprint(), hour).isBetween(0L, m.classified())));
    }

    @Test
    void onRandomStreamsEachFiringIsClassifiedAtMostOnceAndCutsChangeNothing() {
        String[] states = {"firing", "firing", "resolved", "info"};
        String[] urgencies = {"high", "high", "low", "ignore"};
        String[] services = {"checkout", "checkout", "search"};
        for (int i = 0; i < 300; i++) {
            int seed = i;
            java.util.Random random = new java.util.Random(seed);
            List<String> lines = new ArrayList<>();
            int second = random.nextInt(3600);
            while (lines.size() < 80 && second < 86_400) {
                lines.add(String.format("%02d:%02d:%02d %s %s %s %s", second / 3600, second / 60 % 60, second % 60,
                        "abcdef".charAt(random.nextInt(6)), states[random.nextInt(4)], urgencies[random.nextInt(4)],
                        services[random.nextInt(services.length)]));
                second += random.nextInt(10) < 7 ? random.nextInt(400) : random.nextInt(7200);
            }
            List<RollupEvent> events = events(lines.toArray(String[]::new));
            RollupRules rules = seed % 2 == 0 ? RollupRules.DEFAULTS : SHORT;
            Map<Instant, Map<AlertDimensions, RollupMetrics>> single = run(rules, events, f -> true, List.of());
            List<Instant> cuts = new ArrayList<>();
            for (int h = 1; h < 24; h++) {
                if (random.nextBoolean()) {
                    cuts.add(hour(h));
                }
            }
            assertThat(run(rules, events, f -> true, cuts)).as("seed %d cut at %s", seed, cuts).isEqualTo(single);
            Map<String, long[]> perFingerprint = new TreeMap<>();
            single.values().forEach(h -> h.forEach((d, m) -> {
                assertThat(m.actionable()).as("seed %d", seed).isBetween(0L, m.classified());
                long[] sums = perFingerprint.computeIfAbsent(d.fingerprint(), f -> new long[2]);
                sums[0] += m.firing();
                sums[1] += m.classified();
            }));
            perFingerprint.forEach((f, sums) -> assertThat(sums[1]).as("seed %d classified of %s", seed, f).isLessThanOrEqualTo(sums[0]));

            // Long after the last event every verdict is final: each firing classified exactly once, in any shard
            // split and from snapshots at any hour over three days, as one run gives it.
            Instant end = DAY.plus(Duration.ofDays(10));
            Map<Instant, Map<AlertDimensions, RollupMetrics>> settled = run(rules, events, f -> true, List.of(), end);
            Map<String, long[]> settledPerFingerprint = new TreeMap<>();
            settled.values().forEach(h -> h.forEach((d, m) -> {
                long[] sums = settledPerFingerprint.computeIfAbsent(d.fingerprint(), f -> new long[2]);
                sums[0] += m.firing();
                sums[1] += m.classified();
            }));
            settledPerFingerprint.forEach((f, sums) -> assertThat(sums[1]).as("seed %d classified of %s", seed, f).isEqualTo(sums[0]));
            List<Instant> longCuts = new ArrayList<>();
            for (int h = 1; h < 24 * 3; h++) {
                if (random.nextInt(4) == 0) {
                    longCuts.add(hour(h));
                }
            }
            for (int shards : new int[] {2, 3}) {
                Map<Instant, Map<AlertDimensions, RollupMetrics>> union = new TreeMap<>();
                for (int s = 0; s < shards; s++) {
                    int index = s;
                    Predicate<String> owns = f -> Math.floorMod(f.hashCode(), shards) == index;
                    addShard(union, run(rules, events, owns, longCuts, end), owns);
                }
                assertThat(union).as("seed %d, %d shards cut at %s", seed, shards, longCuts).isEqualTo(settled);
            }
        }
    }

    @Test
    void theVerdictCountsWhereItBecameFinalUnderTheFiringsDimensions() {
        // Fired 10:50, resolved 11:10 (not transient): actionable once no flapping run can include it, after 11:50.
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events(
                "10:50:00 a firing high", "11:10:00 a resolved high", "10:00:00 disk firing low", "10:02:00 5xx firing high",
                "12:00:00 disk resolved low", "12:00:00 5xx resolved high"), f -> true, List.of());
        AlertDimensions a = dims("a", "high", "checkout");
        assertThat(hours.get(hour(10)).get(a).firing()).isEqualTo(1);
        assertThat(hours.get(hour(10)).get(a).classified()).isZero();
        assertThat(hours.get(hour(11)).get(a).classified()).isEqualTo(1);
        assertThat(hours.get(hour(11)).get(a).actionable()).isEqualTo(1);
        // The low warning fired first; the page two minutes later is no echo of it (nobody had been woken): both are
        // actionable once they resolve, neither transient nor flapping.
        assertThat(hours.get(hour(10)).get(dims("5xx", "high", "checkout")).classified()).isZero();
        assertThat(hours.get(hour(12)).get(dims("5xx", "high", "checkout")).actionable()).isEqualTo(1);
        assertThat(hours.get(hour(12)).get(dims("disk", "low", "checkout")).actionable()).isEqualTo(1);
    }

    @Test
    void aSnapshotFromBeforeVerdictsRestoresWithoutThemAndNeverClassifiesThoseFirings() {
        HourlyRollup before = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY), (h, r) -> { });
        events("10:30:00 a firing high").forEach(before::accept);
        before.advanceTo(hour(11));
        var json = AlertJson.mapper().valueToTree(before.carry());
        json.path("fingerprints").forEach(f -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("opening_unclassified");
            f.path("recent_changes").forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("opens_unclassified"));
        });
        assertThat(json.toString()).doesNotContain("unclassified");
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = new TreeMap<>();
        HourlyRollup after = new HourlyRollup(RollupRules.DEFAULTS, AlertJson.mapper().convertValue(json, CarryState.class),
                (h, r) -> hours.put(h, r));
        events("11:30:00 a resolved high").forEach(after::accept);
        after.advanceTo(hour(14));
        RollupMetrics a = hours.get(hour(11)).get(dims("a", "high", "checkout"));
        assertThat(a.episodes()).isEqualTo(1);
        assertThat(a.classified()).isZero();
        assertThat(hours.values().stream().flatMap(h -> h.values().stream()).mapToLong(RollupMetrics::classified).sum()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void metricsOverADay(String name, RollupRules rules, List<RollupEvent> events, Map<String, Long> expected) {
        assertDayTotals(rules, events, expected);
    }

    /** Runs the events over the day, checks the day's totals against {@code expected} and answers the hours. */
    private static Map<Instant, Map<AlertDimensions, RollupMetrics>> assertDayTotals(RollupRules rules, List<RollupEvent> events,
                                                                                    Map<String, Long> expected) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(rules, events, f -> true, List.of());
        RollupMetrics total = sumOfAllHours(hours);
        expected.forEach((metric, value) -> assertThat(metric(total, metric)).as(metric).isEqualTo(value));
        return hours;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "classifications", "sameMillisecond"})
    void resumingFromACarryStateAtAnyHourEqualsOneStream(String name, RollupRules rules, List<RollupEvent> events, Map<String, Long> expected) {
        List<Instant> everyHour = new ArrayList<>();
        for (int h = 1; h < 24; h++) {
            everyHour.add(DAY.plus(Duration.ofHours(h)));
        }
        assertThat(run(rules, events, f -> true, everyHour)).isEqualTo(run(rules, events, f -> true, List.of()));
    }

    /**
     * Adds one shard's rollups to the union, each of a fingerprint the shard owns and none written before: a shard
     * that ignored what it owns would write every rollup, and a plain putAll would hide that behind equal values.
     */
    private static void addShard(Map<Instant, Map<AlertDimensions, RollupMetrics>> union,
                                 Map<Instant, Map<AlertDimensions, RollupMetrics>> shard, Predicate<String> owns) {
        shard.forEach((hour, rollups) -> rollups.forEach((dimensions, metrics) -> {
            assertThat(owns.test(dimensions.fingerprint())).as("%s at %s belongs to the shard that wrote it", dimensions, hour).isTrue();
            assertThat(union.computeIfAbsent(hour, h -> new HashMap<>()).put(dimensions, metrics))
                    .as("%s at %s written by one shard only", dimensions, hour).isNull();
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "classifications", "sameMillisecond"})
    void shardsByFingerprintAddUpToOneStream(String name, RollupRules rules, List<RollupEvent> events, Map<String, Long> expected) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> single = run(rules, events, f -> true, List.of());
        for (int shards : new int[] {2, 3}) {
            Map<Instant, Map<AlertDimensions, RollupMetrics>> union = new TreeMap<>();
            for (int i = 0; i < shards; i++) {
                int index = i;
                Predicate<String> owns = f -> Math.floorMod(f.hashCode(), shards) == index;
                addShard(union, run(rules, events, owns, List.of(DAY.plus(Duration.ofHours(11)))), owns);
            }
            assertThat(union).as(shards + " shards").isEqualTo(single);
        }
    }

    @Test
    void onlyFiringsOfTheSameServiceInTheSameEnvironmentAreCorrelated() {
        long t = DAY.plus(Duration.ofMinutes(659)).toEpochMilli(); // 10:59, so a cut at 11:00 falls between the firings
        AlertDimensions prod = new AlertDimensions("checkout", "cloudwatch", "high", "high", "123456789012", "prod", "alarm-a", "a");
        AlertDimensions staging = new AlertDimensions("checkout", "cloudwatch", "high", "high", "123456789012", "staging", "alarm-b", "b");
        AlertDimensions prodToo = new AlertDimensions("checkout", "datadog", "high", "high", "123456789012", "prod", "alarm-c", "c");
        List<RollupEvent> events = List.of(new RollupEvent(t, prod, AlertState.FIRING), new RollupEvent(t + 60_000, staging, AlertState.FIRING),
                new RollupEvent(t + 120_000, prodToo, AlertState.FIRING));

        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events, f -> true, List.of());

        assertThat(hours.get(hour(11)).get(staging).correlated()).isZero();
        assertThat(hours.get(hour(11)).get(prodToo).correlated()).isEqualTo(1);
        assertThat(run(RollupRules.DEFAULTS, events, f -> true, List.of(hour(11)))).isEqualTo(hours);
    }

    @Test
    void anEpisodeCarriedPastAMaxAgeLoweredBetweenRunsEndsWithoutNegativeFiringTime() {
        RollupRules longer = new RollupRules(4, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofHours(6));
        // The next run is configured with a max age of 3 h: the episode, open 5 h already, is past it.
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = runAcrossARulesChange(longer, hour(15), SHORT, hour(18),
                events("10:00:00 a firing high"));

        assertThat(hours.get(hour(15)).get(dims("a", "high", "checkout")).firingMs()).isZero();
        assertThat(hours.values().stream().flatMap(h -> h.values().stream()).mapToLong(RollupMetrics::firingMs)).allMatch(ms -> ms >= 0);
        assertThat(hours.keySet()).doesNotContain(hour(16), hour(17));
    }

    @Test
    void firingTimeIsSplitOverTheHoursAndTheEpisodeCountsWhereItResolved() {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS,
                events("10:30:00 a firing high", "12:15:00 a resolved high"), f -> true, List.of());
        AlertDimensions a = dims("a", "high", "checkout");
        assertThat(hours.get(hour(10)).get(a).firingMs()).isEqualTo(1_800_000);
        assertThat(hours.get(hour(11)).get(a).firingMs()).isEqualTo(3_600_000);
        assertThat(hours.get(hour(11)).get(a).events()).isZero();
        assertThat(hours.get(hour(12)).get(a).firingMs()).isEqualTo(900_000);
        assertThat(hours.get(hour(12)).get(a).episodes()).isEqualTo(1);
        assertThat(hours.get(hour(12)).get(a).resolveTimes().count()).isEqualTo(1);
        assertThat(hours.get(hour(10)).get(a).episodes()).isZero();
    }

    /** The latest firing under each rollup's dimensions: a resolution or info event after it does not move it. */
    @Test
    void eachRollupKnowsWhenItsLatestFiringOccurred() {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events(
                "10:05:00 a firing low", "10:20:00 a firing high", "10:30:00 a resolved low", "10:40:00 a info low",
                "10:50:00 a firing high", "11:15:00 a resolved high"), f -> true, List.of());
        assertThat(hours.get(hour(10)).get(dims("a", "high", "checkout")).lastFiredAt()).isEqualTo(DAY.plusSeconds(10 * 3600 + 50 * 60).toEpochMilli());
        assertThat(hours.get(hour(10)).get(dims("a", "low", "checkout")).lastFiredAt()).isEqualTo(DAY.plusSeconds(10 * 3600 + 5 * 60).toEpochMilli());
        assertThat(hours.get(hour(11)).get(dims("a", "high", "checkout")).lastFiredAt()).as("no firing in that hour").isZero();
    }

    @Test
    void flapsCountInTheHourTheRunWasRecognisedAndStandingWhereItCrossed() {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(SHORT, events(
                "10:50:00 a firing high", "10:55:00 a resolved high", "11:05:00 a firing high", "11:10:00 a resolved high",
                "10:20:00 b firing high"), f -> true, List.of());
        assertThat(hours.get(hour(10)).get(dims("a", "high", "checkout")).flaps()).isZero();
        assertThat(hours.get(hour(11)).get(dims("a", "high", "checkout")).flaps()).isEqualTo(4);
        assertThat(hours.get(hour(11)).get(dims("b", "high", "checkout")).standing()).isEqualTo(1);
        assertThat(hours.get(hour(10)).get(dims("b", "high", "checkout")).standing()).isZero();
    }

    /**
     * Datadog's Warn at 18:00, Triggered at 18:10, Recovered at 18:40: the incident's page and its 30 minutes. The
     * recovery, whatever urgency it comes with, is the page's.
     */
    @Test
    void anEscalationSplitsTheFiringTimeAndGivesTheEpisodeToThePage() {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events(
                "18:00:00 e firing low", "18:10:00 e firing high", "18:40:00 e resolved low"), f -> true, List.of());
        RollupMetrics warning = hours.get(hour(18)).get(dims("e", "low", "checkout"));
        RollupMetrics page = hours.get(hour(18)).get(dims("e", "high", "checkout"));
        assertThat(warning.firingMs()).isEqualTo(600_000);
        assertThat(warning.episodes()).isZero();
        assertThat(warning.duplicates()).isZero();
        assertThat(page.firingMs()).isEqualTo(1_800_000);
        assertThat(page.episodes()).isEqualTo(1);
        assertThat(page.resolveMsSum()).isEqualTo(1_800_000);
        assertThat(page.duplicates()).isZero();
        assertThat(page.resolved()).isEqualTo(1);
        assertThat(warning.resolved()).isZero();
        // Both verdicts are final once their flap windows have passed (19:00 and 19:10): the warning foretold the page.
        assertThat(page.classified()).isZero();
        assertThat(warning.classified()).isZero();
        assertThat(hours.get(hour(19)).get(dims("e", "high", "checkout")).actionable()).isEqualTo(1);
        assertThat(hours.get(hour(19)).get(dims("e", "low", "checkout")).actionable()).isEqualTo(1);
    }

    @Test
    void aResolutionThatEndsAnEpisodeCountsUnderTheFiringThatOpenedIt() {
        // A's recovery comes as another urgency (Sentry's resolved metric alert is severity info), and one hour later.
        List<RollupEvent> events = new ArrayList<>(events("10:00:00 a firing high", "10:20:00 b resolved high"));
        events.add(new RollupEvent(DAY.plus(Duration.ofMinutes(670)).toEpochMilli(), dims("a", "low", "checkout"), AlertState.RESOLVED));
        events.add(new RollupEvent(DAY.plus(Duration.ofMinutes(680)).toEpochMilli(), dims("a", "low", "checkout"), AlertState.RESOLVED));
        events.add(new RollupEvent(DAY.plus(Duration.ofMinutes(690)).toEpochMilli(), dims("a", "ignore", "checkout"), AlertState.INFO));
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events, f -> true, List.of());

        assertThat(hours.get(hour(10)).keySet()).containsExactlyInAnyOrder(dims("a", "high", "checkout"), dims("b", "high", "checkout"));
        assertThat(hours.get(hour(10)).get(dims("b", "high", "checkout")).resolved()).as("nothing open: its own").isEqualTo(1);
        RollupMetrics ended = hours.get(hour(11)).get(dims("a", "high", "checkout"));
        assertThat(ended.events()).isEqualTo(1);
        assertThat(ended.resolved()).isEqualTo(1);
        assertThat(ended.episodes()).isEqualTo(1);
        assertThat(ended.firingMs()).isEqualTo(Duration.ofMinutes(10).toMillis());
        // Once it is closed, a repeat of the recovery and an info event are the alert's as sent.
        RollupMetrics repeat = hours.get(hour(11)).get(dims("a", "low", "checkout"));
        assertThat(repeat.resolved()).isEqualTo(1);
        assertThat(repeat.episodes()).isZero();
        assertThat(hours.get(hour(11)).get(dims("a", "ignore", "checkout")).ignored()).isEqualTo(1);
    }

    @Test
    void aResolutionOfAnIgnoredAlertIsIgnoredWhateverItsOwnUrgency() {
        List<RollupEvent> events = new ArrayList<>(events("10:00:00 a firing ignore"));
        events.add(new RollupEvent(DAY.plus(Duration.ofMinutes(610)).toEpochMilli(), dims("a", "high", "checkout"), AlertState.RESOLVED));
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events, f -> true, List.of());
        RollupMetrics ignored = hours.get(hour(10)).get(dims("a", "ignore", "checkout"));
        assertThat(ignored.events()).isEqualTo(2);
        assertThat(ignored.ignored()).isEqualTo(2);
        assertThat(hours.get(hour(10))).doesNotContainKey(dims("a", "high", "checkout"));
    }

    @Test
    void anAlertReopenedInTheMillisecondOfItsRecoveryCountsAsOpenBeforeTheNextEvent() {
        HourlyRollup rollup = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY), (h, r) -> { });
        events("10:00:00 a firing high", "10:30:00 a resolved high", "10:30:00 a firing high").forEach(rollup::accept);
        assertThat(rollup.openEpisodes()).isEqualTo(1);
        rollup.advanceTo(hour(11));
        assertThat(rollup.openEpisodes()).isEqualTo(1);
        assertThat(rollup.carry().fingerprints()).singleElement()
                .satisfies(f -> assertThat(f.openedAt()).isEqualTo(hour(10).plus(Duration.ofMinutes(30)).toEpochMilli()));
    }

    @Test
    void outOfOrderEventsAndUnalignedStartsAreRefused() {
        HourlyRollup rollup = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY), (h, r) -> { });
        rollup.accept(events("10:00:00 a firing high").get(0));
        assertThatThrownBy(() -> rollup.accept(events("09:00:00 a firing high").get(0))).hasMessageContaining("time order");
        rollup.accept(events("10:00:00 b firing high").get(0));
        assertThatThrownBy(() -> rollup.accept(events("10:00:00 a firing high").get(0))).hasMessageContaining("not in stream order");
        assertThatThrownBy(() -> new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY.plusSeconds(60)), (h, r) -> { }))
                .hasMessageContaining("hour boundary");
        assertThatThrownBy(() -> new RollupRules(4, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofDays(8),
                Duration.ofMinutes(5), Duration.ofDays(7))).hasMessageContaining("shorter than the episode max age");
    }

    /** The hour a restored verdict clears in does not depend on the order fingerprints are restored in. */
    @Test
    void aRestoredVerdictClearsInTheHourItWouldHaveWithoutTheCut() {
        List<RollupEvent> events = events("09:10:00 b firing high", "09:40:00 b resolved high", "10:50:00 a firing high",
                "10:58:00 a resolved high");
        Map<Instant, Map<AlertDimensions, RollupMetrics>> cut = run(FLAP_2H, events, f -> true, List.of(hour(11)));
        // b's flap window ends 11:10, a's 12:50: b is actionable in hour 11, a in hour 12.
        assertThat(cut.get(hour(11)).get(dims("b", "high", "checkout")).actionable()).isEqualTo(1);
        assertThat(cut.get(hour(12)).get(dims("a", "high", "checkout")).actionable()).isEqualTo(1);
        assertThat(cut).isEqualTo(run(FLAP_2H, events, f -> true, List.of()));
    }

    /** Once a day idle state is pruned; what can still matter (a firing within the correlation window) is not. */
    static Stream<Arguments> acrossMidnight() {
        return Stream.of(
                Arguments.of("a firing exactly one window before midnight correlates one at midnight",
                        events("23:55:00 a firing low", "24:00:00 b firing low"), expect("correlated", 1)),
                Arguments.of("a firing just inside the window before midnight correlates one after it",
                        events("23:58:00 a firing low", "24:02:00 b firing low"), expect("correlated", 1)),
                Arguments.of("a page 30 s before midnight and one 30 s after are one interruption",
                        events("23:59:30 a firing high", "24:00:30 a firing high"), expect("pages", 2, "interruptions", 1)),
                Arguments.of("one further than the window is not correlated",
                        events("23:54:59 a firing low", "24:00:00 b firing low"), expect("correlated", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acrossMidnight")
    void pruningAtMidnightKeepsWhatCanStillMatter(String name, List<RollupEvent> events, Map<String, Long> expected) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = run(RollupRules.DEFAULTS, events, f -> true, List.of(), DAY.plus(Duration.ofDays(2)));
        RollupMetrics total = sumOfAllHours(hours);
        expected.forEach((metric, value) -> assertThat(metric(total, metric)).as(metric).isEqualTo(value));
    }

    /**
     * A max age lowered between runs can leave an episode past its new standing threshold that nobody counted as
     * standing: it is classified as noise when it expires, so each firing is still classified once.
     */
    @Test
    void anEpisodeRestoredPastALoweredStandingThresholdIsClassifiedWhenItExpires() {
        RollupRules longer = new RollupRules(4, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(5),
                Duration.ofMinutes(5), Duration.ofHours(6));
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = runAcrossARulesChange(longer, hour(12), SHORT, hour(18),
                events("10:00:00 a firing high"));

        RollupMetrics total = sumOfAllHours(hours);
        assertThat(total.firing()).isEqualTo(1);
        assertThat(total.classified()).isEqualTo(1);
        assertThat(total.actionable()).isZero();
        assertThat(hours.get(hour(12)).get(dims("a", "high", "checkout")).classified()).isEqualTo(1);
    }

    @Test
    void aFreshRollupAdvancesToItsOwnClockButOneJustPastAnEventOnTheBoundaryRefusesToAdvanceOrCarry() {
        HourlyRollup fresh = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY), (h, r) -> { });
        fresh.advanceTo(DAY);
        assertThat(fresh.clock()).isEqualTo(DAY);
        assertThat(fresh.carry()).isEqualTo(CarryState.empty(DAY));

        HourlyRollup rollup = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(DAY), (h, r) -> { });
        rollup.accept(events("11:00:00 a firing high").get(0));
        assertThat(rollup.clock()).isEqualTo(hour(11));
        assertThatThrownBy(() -> rollup.advanceTo(hour(11))).hasMessageContaining("cannot advance");
        assertThatThrownBy(rollup::carry).hasMessageContaining("hour boundary");
        rollup.advanceTo(hour(12));
        assertThat(rollup.carry().fingerprints()).singleElement().satisfies(f -> assertThat(f.openedAt()).isEqualTo(hour(11).toEpochMilli()));
    }

    /** Runs {@code events} with {@code before} up to {@code firstUntil}, then resumes from its carry with {@code after}. */
    private static Map<Instant, Map<AlertDimensions, RollupMetrics>> runAcrossARulesChange(RollupRules before, Instant firstUntil,
                                                                                          RollupRules after, Instant nextUntil,
                                                                                          List<RollupEvent> events) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = new TreeMap<>();
        HourlyRollup.HourSink sink = (hour, rollups) -> {
            if (!rollups.isEmpty()) {
                hours.put(hour, rollups);
            }
        };
        HourlyRollup first = new HourlyRollup(before, CarryState.empty(DAY), f -> true, sink);
        events.forEach(first::accept);
        first.advanceTo(firstUntil);
        HourlyRollup next = new HourlyRollup(after, first.carry(), f -> true, sink);
        next.advanceTo(nextUntil);
        return hours;
    }

    private static RollupMetrics sumOfAllHours(Map<Instant, Map<AlertDimensions, RollupMetrics>> hours) {
        return hours.values().stream().flatMap(h -> h.values().stream()).reduce(RollupMetrics.ZERO, RollupMetrics::plus);
    }

    static Instant hour(int h) {
        return DAY.plus(Duration.ofHours(h));
    }

    /** Runs the events over the day, stopping and resuming from a JSON round-tripped carry state at each of {@code cuts}. */
    static Map<Instant, Map<AlertDimensions, RollupMetrics>> run(RollupRules rules, List<RollupEvent> events,
                                                                 Predicate<String> owns, List<Instant> cuts) {
        return run(rules, events, owns, cuts, DAY.plus(Duration.ofDays(1)));
    }

    /** The hours from {@link #DAY} to {@code end}, restarting from a stored carry snapshot at each cut. */
    static Map<Instant, Map<AlertDimensions, RollupMetrics>> run(RollupRules rules, List<RollupEvent> events,
                                                                 Predicate<String> owns, List<Instant> cuts, Instant end) {
        Map<Instant, Map<AlertDimensions, RollupMetrics>> hours = new TreeMap<>();
        HourlyRollup.HourSink sink = (hour, rollups) -> {
            if (!rollups.isEmpty()) {
                hours.put(hour, rollups);
            }
        };
        HourlyRollup rollup = new HourlyRollup(rules, CarryState.empty(DAY), owns, sink);
        List<Instant> pending = new ArrayList<>(cuts);
        for (RollupEvent e : events) {
            while (!pending.isEmpty() && e.occurredAt() >= pending.get(0).toEpochMilli()) {
                rollup.advanceTo(pending.get(0));
                CarryState carried = AlertJson.mapper().convertValue(AlertJson.mapper().valueToTree(rollup.carry()), CarryState.class);
                rollup = new HourlyRollup(rules, carried, owns, sink);
                pending.remove(0);
            }
            rollup.accept(e);
        }
        for (Instant cut : pending) {
            rollup.advanceTo(cut);
            CarryState carried = AlertJson.mapper().convertValue(AlertJson.mapper().valueToTree(rollup.carry()), CarryState.class);
            rollup = new HourlyRollup(rules, carried, owns, sink);
        }
        rollup.advanceTo(end);
        return hours;
    }

    static long metric(RollupMetrics m, String name) {
        return switch (name) {
            case "events" -> m.events();
            case "firing" -> m.firing();
            case "resolved" -> m.resolved();
            case "info" -> m.info();
            case "pages" -> m.pages();
            case "interruptions" -> m.interruptions();
            case "episodes" -> m.episodes();
            case "resolve_ms_sum" -> m.resolveMsSum();
            case "firing_ms" -> m.firingMs();
            case "duplicates" -> m.duplicates();
            case "correlated" -> m.correlated();
            case "flaps" -> m.flaps();
            case "transients" -> m.transients();
            case "standing" -> m.standing();
            case "ignored" -> m.ignored();
            case "classified" -> m.classified();
            case "actionable" -> m.actionable();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
