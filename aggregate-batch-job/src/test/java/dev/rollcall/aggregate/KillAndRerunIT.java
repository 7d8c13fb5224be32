package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** The real job jar as a child process, killed mid-run twice and run again, writes what one clean run writes. */
@RealServers
class KillAndRerunIT {

    static final String[] WINDOW = {"--from", "2026-05-01", "--to", "2026-05-04"};
    /** Far less than the termination hook's grace period, far more than a JVM needs to exit. */
    static final Duration EXIT_AFTER_DONE = Duration.ofSeconds(10);
    /** ROLLCALL_JOB_SETTLE_DELAY's default, which the jar runs with. */
    static final Duration SETTLE_DELAY = Duration.ofMinutes(15);

    @Test
    void killedRunsRerunToIdenticalRollups(TestOpenSearch openSearch) throws Exception {
        List<Alert> alerts = JobFixture.randomAlerts(23, 12_000, "2026-05-01T00:00:00Z", 3, 150);
        Map<String, JsonNode> expected = JobFixture.rollupsOfACleanRun(openSearch, "kill-clean", alerts, WINDOW);

        JobFixture killed = new JobFixture(openSearch, "kill-rerun");
        killed.store(alerts);
        // Killed as soon as the first rollups are acknowledged, then again past half of the events.
        assertThat(runUntil(killed, line -> line.path("buckets_written").asLong() > 0, WINDOW)).as("first run was still going when killed").isTrue();
        assertThat(killed.rollups()).as("the first run wrote some rollups").isNotEmpty().isNotEqualTo(expected);
        assertThat(runUntil(killed, line -> line.path("events_read").asLong() > alerts.size() / 2, WINDOW))
                .as("second run was still going when killed").isTrue();
        runToTheEnd(killed, WINDOW);

        assertThat(killed.rollups()).isEqualTo(expected);
    }

    /**
     * The hourly schedule's run killed mid-run and retried: the retry must finish the plan the killed attempt stored
     * (same window, same next watermark) and move the watermark exactly as one clean incremental run does.
     */
    @Test
    void aKilledIncrementalRunRerunsToTheRollupsAndWatermarkOfACleanOne(TestOpenSearch openSearch) throws Exception {
        // Real time, as the jar runs on the system clock: two days ending a day before today, all ingested long ago.
        // Smaller than the window test's stream: the incremental window runs on to now, and its hours of open
        // episodes must still fit the fixture's one page of rollups.
        awayFromAnHourOfPlanning();
        String start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3)).toString();
        List<Alert> alerts = JobFixture.randomAlerts(31, 6_000, start, 2, 60);
        JobFixture killed = new JobFixture(openSearch, "kill-incremental");
        killed.store(alerts);
        assertThat(runUntil(killed, line -> line.path("buckets_written").asLong() > 0, "--incremental"))
                .as("the incremental run was still going when killed").isTrue();
        assertThat(killed.storedWatermark()).as("a killed run does not move the watermark").isEmpty();
        Map<String, JsonNode> partial = killed.rollups();
        assertThat(partial).as("the killed run wrote some rollups").isNotEmpty();
        // The plan the killed attempt stored: the retry must finish this one, not plan anew at its own start.
        RunPlan stored = dev.rollcall.core.alert.AlertJson.mapper().convertValue(killed.stateDocument("plan-kill-rerun-"
                + killed.names.prefix()).orElseThrow().path("plan"), RunPlan.class);
        runToTheEnd(killed, "--incremental");
        WatermarkStore.Watermark moved = killed.storedWatermark().orElseThrow();
        assertThat(moved).isEqualTo(stored.next());

        // The clean run's clock starts at the instant the killed attempt planned (its ingested_before is that instant
        // minus the settle delay), so both cover the same hours with the same events, all ingested long before.
        JobFixture clean = new JobFixture(openSearch, "kill-incremental-clean");
        clean.store(alerts);
        clean.run(moved.ingestedBefore().plus(SETTLE_DELAY).toString(), List.of(), "--incremental");

        assertThat(killed.rollups()).isNotEqualTo(partial).isEqualTo(clean.rollups());
        WatermarkStore.Watermark cleanMoved = clean.storedWatermark().orElseThrow();
        assertThat(cleanMoved.computedUntil()).isEqualTo(moved.computedUntil());
        // The clean run's clock ticks on while it starts up (longer on a busy machine), so it plans a little later.
        assertThat(Duration.between(moved.ingestedBefore(), cleanMoved.ingestedBefore())).isBetween(Duration.ZERO, Duration.ofSeconds(30));
    }

    /**
     * Waits, when needed, until the hour a run plans up to (now less the settle delay, to the hour) stays the same for
     * the next two minutes: the clean run plans a few seconds after the killed attempt, and across that boundary it
     * would compute one hour more.
     */
    private static void awayFromAnHourOfPlanning() throws InterruptedException {
        long intoHour = Math.floorMod(Instant.now().minus(SETTLE_DELAY).getEpochSecond(), 3600L);
        if (intoHour > 3600 - 120) {
            Thread.sleep(Duration.ofSeconds(3600 - intoHour + 5).toMillis());
        }
    }

    /** What Batch does on a timeout, TerminateJob or Spot reclaim: SIGTERM, then SIGKILL 30 s later. */
    @Test
    void aStoppedRunSaysSoAndGivesUpItsLeaseForTheNextRun(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "kill-term");
        fixture.store(JobFixture.randomAlerts(29, 12_000, "2026-05-01T00:00:00Z", 3, 150));
        long startedAt = System.currentTimeMillis();
        Process process = start(fixture, WINDOW);
        List<JsonNode> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> reading = new CompletableFuture<>();
        Thread reader = collectLines(process, lines, reading,
                json -> json.path("event").asText().equals("progress") && json.path("events_read").asLong() > 0);
        assertThat(reading.get(120, TimeUnit.SECONDS)).as("the run was reading when stopped").isTrue();
        assertThat(fixture.lease()).as("held while running").isPresent();
        // The control for the check below: a reading run's point-in-time shows in the node's list.
        assertThat(pointsInTimeCreatedSince(openSearch, startedAt)).as("the running job's point-in-time").isNotEmpty();

        // SIGTERM through the handle: Process.destroy() would also close our end of the child's output, and its
        // last lines would be lost.
        process.toHandle().destroy();

        assertThat(process.waitFor(Termination.GRACE.toSeconds() + 10, TimeUnit.SECONDS)).as("ended within the grace period").isTrue();
        reader.join(10_000);
        assertThat(process.exitValue()).as("the signal's status, which Batch retries").isEqualTo(143);
        assertThat(lines).anySatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("terminated"));
        assertThat(lines).noneSatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("failed"));
        assertThat(fixture.lease()).as("given up, so the next run need not wait for it to expire").isEmpty();
        // The stop interrupts the reading thread; its point-in-time is closed all the same, not left to its keep-alive.
        assertThat(pointsInTimeCreatedSince(openSearch, startedAt)).as("points-in-time the run left open").isEmpty();
    }

    /** Ids of the node's open points-in-time created at or after {@code epochMillis}. */
    private static List<String> pointsInTimeCreatedSince(TestOpenSearch openSearch, long epochMillis) {
        TestOpenSearch.Response answer = openSearch.request("GET", "/_search/point_in_time/_all", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode pit : AlertJson.readTree(answer.body()).path("pits")) {
            if (pit.path("creation_time").asLong() >= epochMillis) {
                ids.add(pit.path("pit_id").asText());
            }
        }
        return ids;
    }

    /**
     * Stopped while it waits for another run's lease (up to 30 minutes in the stack), a run is interrupted, says so at
     * once and leaves that run's lease alone, instead of being halted after the grace without a word.
     */
    @Test
    void aRunStoppedWhileWaitingForTheLeaseSaysSoAtOnce(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "kill-wait");
        fixture.store(JobFixture.randomAlerts(31, 500, "2026-05-01T00:00:00Z", 3, 20));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RunLease other = new RunLease("other-plan", "other-job", now, now.plus(Duration.ofHours(1)));
        assertThat(openSearch.request("PUT", "/" + fixture.names.stateIndex() + "/_doc/" + LeaseStore.ID + "?refresh=true",
                other.toJson(now).toString()).status()).isBetween(200, 201);
        ProcessBuilder builder = new ProcessBuilder(command(WINDOW)).redirectErrorStream(true);
        builder.environment().putAll(fixture.env("ROLLCALL_JOB_LEASE_WAIT", "10m", "AWS_BATCH_JOB_ID", "waiting-" + fixture.names.prefix()));
        Process process = builder.start();
        process.getOutputStream().close();
        List<JsonNode> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> waiting = new CompletableFuture<>();
        Thread reader = collectLines(process, lines, waiting, json -> json.path("event").asText().equals("waiting_for_lease"));
        assertThat(waiting.get(120, TimeUnit.SECONDS)).as("the run waited for the lease").isTrue();

        stopAndExpectTerminatedAtOnce(process, reader, lines);
        assertThat(lines).noneSatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("skipped"));
        assertThat(fixture.lease()).as("the other run's lease, untouched").hasValueSatisfying(lease ->
                assertThat(lease.plan()).isEqualTo("other-plan"));
    }

    /**
     * Stopped while its first request hangs (a domain that takes connections and never answers), a run stops at once
     * and says it was stopped, instead of taking the interrupted request for an unreachable domain and retrying it
     * until the JVM is halted, or failing as {@code opensearch_unavailable}.
     */
    @Test
    void aRunStoppedWhileItsFirstRequestHangsSaysSoAtOnce(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "kill-hang");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.hangNext(1, path -> path.contains(fixture.names.stateIndex()));
            ProcessBuilder builder = new ProcessBuilder(command(WINDOW)).redirectErrorStream(true);
            builder.environment().putAll(fixture.env("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "AWS_BATCH_JOB_ID", "hanging-" + fixture.names.prefix()));
            Process process = builder.start();
            process.getOutputStream().close();
            List<JsonNode> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            Thread reader = collectLines(process, lines, started, json -> json.path("event").asText().equals("start"));
            assertThat(started.get(120, TimeUnit.SECONDS)).isTrue();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (proxy.faultsServed() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(proxy.faultsServed()).as("the first request to the state index hangs").isEqualTo(1);

            stopAndExpectTerminatedAtOnce(process, reader, lines);
        }
    }

    /**
     * SIGTERM, then: the JVM gone well before the grace after which it would have been halted anyway, with the
     * signal's status, one terminated line and no failed one.
     */
    private static void stopAndExpectTerminatedAtOnce(Process process, Thread reader, List<JsonNode> lines) throws Exception {
        long stopped = System.nanoTime();
        process.toHandle().destroy();

        assertThat(process.waitFor(Termination.GRACE.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Termination.GRACE.dividedBy(2));
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(lines).anySatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("terminated"));
        assertThat(lines).noneSatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("failed"));
    }

    @Test
    void badArgumentsExitWithTwoAndNameTheArgument() throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command("--from", "2026-05-01", "--to", "last tuesday"))
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // A JVM start and a message: not the termination hook's grace period on top.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Termination.GRACE);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("--to 'last tuesday' is not an ISO-8601 instant").doesNotContain("\tat ");
    }

    /** Starts the job and kills it (SIGKILL) the moment a progress line matches; true when it was still running then. */
    private static boolean runUntil(JobFixture fixture, Predicate<JsonNode> killWhen, String... args) throws Exception {
        Process process = start(fixture, args);
        CompletableFuture<Boolean> matched = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("{") && line.contains("\"event\":\"progress\"") && killWhen.test(AlertJson.readTree(line))) {
                        process.destroyForcibly();
                        matched.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process was killed under us
            }
            matched.complete(false);
        });
        reader.start();
        boolean killed = matched.get(120, TimeUnit.SECONDS);
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        return killed && process.exitValue() != 0;
    }

    /** Runs the job to its end, which must be a done line, exit 0 and the JVM gone soon after. */
    private static void runToTheEnd(JobFixture fixture, String... args) throws Exception {
        Process last = start(fixture, args);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(last.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("\"event\":\"done\""));
            assertThat(line).as("the run's done line").isNotNull();
            // Once done, the JVM exits at once: a shutdown hook waiting out its grace period made every run 20 s longer.
            assertThat(last.waitFor(EXIT_AFTER_DONE.toSeconds(), TimeUnit.SECONDS)).as("exited soon after its done line").isTrue();
        }
        assertThat(last.exitValue()).isZero();
    }

    private static Process start(JobFixture fixture, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true);
        builder.environment().putAll(fixture.env("ROLLCALL_JOB_PAGE_SIZE", "200", "ROLLCALL_JOB_PAGE_PAUSE", "15ms",
                "ROLLCALL_JOB_PROGRESS_INTERVAL", "0s"));
        // Every attempt is the same Batch job, as Batch's retries are: the rerun takes over the killed attempt's lease at once.
        builder.environment().put("AWS_BATCH_JOB_ID", "kill-rerun-" + fixture.names.prefix());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /**
     * Collects the JSON lines the job prints into {@code lines} on a thread of its own, completing {@code seen} with
     * true at the first line {@code signal} matches, or false when the output ends without one.
     */
    private static Thread collectLines(Process process, List<JsonNode> lines, CompletableFuture<Boolean> seen, Predicate<JsonNode> signal) {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("{")) {
                        JsonNode json = AlertJson.readTree(line);
                        lines.add(json);
                        if (signal.test(json)) {
                            seen.complete(true);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended under us
            }
            seen.complete(false);
        });
        reader.start();
        return reader;
    }

    static List<String> command(String... args) {
        Path jar = Path.of(System.getProperty("rollcall.job.jar", "target/rollcall-aggregate-batch-job.jar"));
        assertThat(Files.isRegularFile(jar)).as("the shaded job jar (mvn package) at " + jar).isTrue();
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
