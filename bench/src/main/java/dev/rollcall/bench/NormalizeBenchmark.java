package dev.rollcall.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.local.demo.AlertDefinition;
import dev.rollcall.local.demo.AlertTrafficGenerator;
import dev.rollcall.local.demo.PayloadRenderer;
import dev.rollcall.local.demo.SimulatedEvent;

/** Events per second one core normalizes and classifies, per source, from payload bytes to alert records. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NormalizeBenchmark {

    @Param({"CLOUDWATCH", "ALERTMANAGER", "SENTRY"})
    public String source;

    private EventNormalizer normalizer;
    private IncomingEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        normalizer = EventNormalizer.withBundledRules();
        AlertDefinition.Kind kind = AlertDefinition.Kind.valueOf(source);
        List<SimulatedEvent> simulated = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(5, BenchData.START, Duration.ofDays(30), 6_000))
                .events().stream().filter(e -> e.alert().kind() == kind).limit(1_024).toList();
        Instant now = Instant.now();
        events = simulated.stream().map(e -> new IncomingEvent(PayloadRenderer.render(e).getBytes(StandardCharsets.UTF_8),
                PayloadRenderer.webhookSource(e), Map.of("sentry-hook-resource", "event_alert"), IncomingEvent.Door.SQS, now)).toArray(IncomingEvent[]::new);
    }

    @Benchmark
    public void normalize(Blackhole sink) {
        sink.consume(normalizer.normalize(events[next++ & (events.length - 1)]));
    }
}
