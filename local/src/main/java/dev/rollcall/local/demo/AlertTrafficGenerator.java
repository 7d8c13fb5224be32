package dev.rollcall.local.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A deterministic (seeded) generator of realistic alert traffic across services and accounts: a heavy-tailed spread
 * of alert names (a few alerts make most of the volume), real incidents with pages, transient and flapping alerts,
 * standing alarms, re-fires while open and pairs of alarms that fire for one incident. The same seed and settings
 * always give the same events, so demos and benchmarks are reproducible.
 */
public final class AlertTrafficGenerator {

    /** What to generate. {@code episodes} is the number of alert episodes; each becomes two or more events. */
    public record Settings(long seed, Instant start, Duration span, int episodes) {
        public Settings {
            if (episodes < 1 || span.isNegative() || span.isZero()) {
                throw new IllegalArgumentException("need at least one episode over a positive span");
            }
        }
    }

    static final List<String> SERVICES = List.of("checkout", "payments", "search", "inventory", "auth", "notifications", "shipping", "reporting");
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

    private final Settings settings;
    private final List<AlertDefinition> estate;

    public AlertTrafficGenerator(Settings settings) {
        this.settings = settings;
        this.estate = estate(new SplittableRandom(settings.seed()));
    }

    /** The alert definitions of the simulated estate, heaviest first. */
    public List<AlertDefinition> estate() {
        return estate;
    }

    /** All events, in time order. */
    public List<SimulatedEvent> events() {
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        double total = estate.stream().mapToDouble(AlertDefinition::weight).sum();
        double[] cumulative = new double[estate.size()];
        double running = 0;
        for (int i = 0; i < estate.size(); i++) {
            running += estate.get(i).weight() / total;
            cumulative[i] = running;
        }
        List<SimulatedEvent> events = new ArrayList<>(settings.episodes() * 3);
        long spanMillis = settings.span().toMillis();
        for (int e = 0; e < settings.episodes(); e++) {
            AlertDefinition alert = estate.get(pick(cumulative, random.nextDouble()));
            Instant start = settings.start().plusMillis(businessHoursBiased(random, spanMillis));
            episode(alert, start, random, events);
        }
        events.removeIf(ev -> ev.time().isAfter(settings.start().plus(settings.span())));
        events.sort(Comparator.comparing(SimulatedEvent::time).thenComparing(SimulatedEvent::id));
        return events;
    }

    private void episode(AlertDefinition alert, Instant start, SplittableRandom random, List<SimulatedEvent> out) {
        switch (alert.profile()) {
            case INCIDENT -> {
                out.add(event(alert, start, true, random));
                out.add(event(alert, start.plus(logNormalMinutes(random, 35, 0.8)), false, random));
            }
            case TRANSIENT -> {
                out.add(event(alert, start, true, random));
                out.add(event(alert, start.plusSeconds(60 + random.nextInt(180)), false, random));
            }
            case FLAPPING -> {
                Instant t = start;
                int changes = 4 + random.nextInt(6);
                for (int i = 0; i < changes; i++) {
                    out.add(event(alert, t, i % 2 == 0, random));
                    t = t.plusSeconds(30 + random.nextInt(150));
                }
                if (changes % 2 == 1) {
                    out.add(event(alert, t, false, random));
                }
            }
            case STANDING -> {
                out.add(event(alert, start, true, random));
                out.add(event(alert, start.plus(Duration.ofHours(30 + random.nextInt(60))), false, random));
            }
            case REFIRING -> {
                out.add(event(alert, start, true, random));
                out.add(event(alert, start.plusSeconds(300 + random.nextInt(600)), true, random));
                out.add(event(alert, start.plus(logNormalMinutes(random, 50, 0.5)).plusSeconds(900), false, random));
            }
            case PAIRED -> {
                AlertDefinition partner = partnerOf(alert);
                Duration lasting = logNormalMinutes(random, 25, 0.6);
                out.add(event(alert, start, true, random));
                out.add(event(alert, start.plus(lasting), false, random));
                if (partner != null) {
                    Instant echo = start.plusSeconds(20 + random.nextInt(100));
                    out.add(event(partner, echo, true, random));
                    out.add(event(partner, echo.plus(lasting), false, random));
                }
            }
        }
    }

    private AlertDefinition partnerOf(AlertDefinition alert) {
        for (AlertDefinition other : estate) {
            if (other != alert && other.profile() == AlertDefinition.Profile.PAIRED && other.service().equals(alert.service())
                    && other.account().equals(alert.account())) {
                return other;
            }
        }
        return null;
    }

    private static SimulatedEvent event(AlertDefinition alert, Instant time, boolean firing, SplittableRandom random) {
        UUID id = new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L,
                (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
        return new SimulatedEvent(id.toString(), time, alert, firing);
    }

    /** Incidents cluster in working hours: two thirds of episodes start between 08:00 and 20:00 UTC. */
    private static long businessHoursBiased(SplittableRandom random, long spanMillis) {
        long t = (long) (random.nextDouble() * spanMillis);
        if (random.nextInt(3) > 0) {
            long day = t - t % 86_400_000L;
            t = day + 8 * 3_600_000L + (long) (random.nextDouble() * 12 * 3_600_000L);
        }
        return Math.min(t, spanMillis - 1);
    }

    private static Duration logNormalMinutes(SplittableRandom random, double medianMinutes, double sigma) {
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        double minutes = medianMinutes * Math.exp(sigma * gaussian);
        return Duration.ofSeconds((long) Math.max(60, Math.min(minutes * 60, 3 * 86_400)));
    }

    private static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** About 60 alerts over 8 services and 3 accounts, with Zipf-like weights: rank r weighs 1 / r^1.2. */
    private static List<AlertDefinition> estate(SplittableRandom random) {
        record Template(AlertDefinition.Kind kind, String pattern, AlertDefinition.Profile profile) {
        }
        List<Template> templates = List.of(
                new Template(AlertDefinition.Kind.CLOUDWATCH, "%s-lambda-errors", AlertDefinition.Profile.PAIRED),
                new Template(AlertDefinition.Kind.CLOUDWATCH, "%s-apigw-5xx", AlertDefinition.Profile.PAIRED),
                new Template(AlertDefinition.Kind.CLOUDWATCH, "%s-latency-p99", AlertDefinition.Profile.FLAPPING),
                new Template(AlertDefinition.Kind.CLOUDWATCH, "%s-cpu-high", AlertDefinition.Profile.TRANSIENT),
                new Template(AlertDefinition.Kind.CLOUDWATCH, "%s-dlq-depth", AlertDefinition.Profile.STANDING),
                new Template(AlertDefinition.Kind.ALERTMANAGER, "%sHighErrorRate", AlertDefinition.Profile.INCIDENT),
                new Template(AlertDefinition.Kind.ALERTMANAGER, "%sPodRestarting", AlertDefinition.Profile.REFIRING),
                new Template(AlertDefinition.Kind.SENTRY, "%s: TimeoutError in handler", AlertDefinition.Profile.INCIDENT));
        List<AlertDefinition> estate = new ArrayList<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            // By position: the services' hash codes left one of the three accounts without any.
            String account = ACCOUNTS.get(i % ACCOUNTS.size());
            String region = REGIONS.get(Math.floorMod(service.hashCode() >> 3, REGIONS.size()));
            for (Template t : templates) {
                String name = t.kind() == AlertDefinition.Kind.ALERTMANAGER
                        ? String.format(t.pattern(), Character.toUpperCase(service.charAt(0)) + service.substring(1))
                        : String.format(t.pattern(), service);
                estate.add(new AlertDefinition(t.kind(), name, service, account, region, t.profile(), 0));
            }
        }
        // Shuffle deterministically, then give rank-based weights so which alerts are noisy depends on the seed.
        for (int i = estate.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            AlertDefinition tmp = estate.get(i);
            estate.set(i, estate.get(j));
            estate.set(j, tmp);
        }
        List<AlertDefinition> weighted = new ArrayList<>(estate.size());
        for (int rank = 0; rank < estate.size(); rank++) {
            AlertDefinition a = estate.get(rank);
            weighted.add(new AlertDefinition(a.kind(), a.name(), a.service(), a.account(), a.region(), a.profile(), 1.0 / Math.pow(rank + 1, 1.2)));
        }
        return List.copyOf(weighted);
    }
}
