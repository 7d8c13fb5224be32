package dev.rollcall.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.local.demo.AlertTrafficGenerator;
import dev.rollcall.local.demo.PayloadRenderer;
import dev.rollcall.local.demo.SimulatedEvent;

/** The seeded traffic every scenario uses: payloads as sources send them, and the alerts they normalize to. */
public final class BenchData {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private BenchData() {
    }

    /** About {@code events} generated events over 90 days, in time order. */
    public static List<SimulatedEvent> events(long seed, int events) {
        // An episode yields about 2.6 events on average; ask for enough and cut to size.
        int episodes = Math.max(1, (int) (events / 2.4));
        List<SimulatedEvent> all = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(seed, START, Duration.ofDays(90), episodes)).events();
        return all.size() > events ? all.subList(0, events) : all;
    }

    /** The payload of each event, as bytes, in order. */
    public static List<byte[]> payloads(List<SimulatedEvent> events) {
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (SimulatedEvent event : events) {
            payloads.add(PayloadRenderer.render(event).getBytes(StandardCharsets.UTF_8));
        }
        return payloads;
    }

    /** The normalized alerts of the events, in order (a payload may carry one or more). */
    public static List<Alert> alerts(List<SimulatedEvent> events) {
        EventNormalizer normalizer = EventNormalizer.withBundledRules();
        Instant now = Clock.systemUTC().instant();
        List<Alert> alerts = new ArrayList<>(events.size());
        for (SimulatedEvent event : events) {
            IncomingEvent incoming = new IncomingEvent(PayloadRenderer.render(event).getBytes(StandardCharsets.UTF_8),
                    PayloadRenderer.webhookSource(event), Map.of("sentry-hook-resource", "event_alert"), IncomingEvent.Door.SQS, now);
            alerts.addAll(normalizer.normalize(incoming));
        }
        return alerts;
    }
}
