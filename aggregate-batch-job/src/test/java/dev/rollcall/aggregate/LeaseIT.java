package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.aggregate.JobFixture.ArrayChild;
import dev.rollcall.aggregate.JobFixture.JobExit;
import dev.rollcall.aggregate.WatermarkStore.Watermark;
import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Overlapping runs of one index prefix: one plan at a time holds the run lease, others are refused without writing
 * anything, an expired lease is taken over, a stale plan cannot move the watermark back, and the children of one
 * array plan all work under its one lease.
 */
@RealServers
class LeaseIT {

    // Slow enough paging that a run is still going while the test starts another.
    static final List<String> SLOW = List.of("ROLLCALL_JOB_PAGE_SIZE", "100", "ROLLCALL_JOB_PAGE_PAUSE", "100ms");

    @Test
    void aRunOfAnotherPlanIsRefusedWhileTheLeaseIsHeldAndWritesNothing(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-overlap");
        List<Alert> alerts = JobFixture.randomAlerts(71, 3_000, "2026-08-01T00:00:00Z", 1, 30);
        fixture.store(alerts);
        String now = "2026-08-02T02:00:00Z";
        CompletableFuture<RunSummary> holder = holding(fixture, now, "holder", "--from", "2026-08-01", "--to", "2026-08-02");

        JobExit incremental = fixture.exec(now, List.of("AWS_BATCH_JOB_ID", "hourly"), "--incremental");
        JobExit window = fixture.exec(now, List.of("AWS_BATCH_JOB_ID", "manual", "ROLLCALL_JOB_LEASE_WAIT", "0s"),
                "--from", "2026-08-01", "--to", "2026-08-02");

        assertThat(incremental.code()).as("a skipped incremental run is no failure to retry").isEqualTo(AggregationJob.OK);
        assertThat(incremental.line("skipped").path("holder_plan").asText()).isEqualTo("holder");
        assertThat(incremental.line("skipped").path("holder_expires_at").asText()).isNotEmpty();
        assertThat(window.code()).as("a refused window run is retried by Batch").isEqualTo(AggregationJob.FAILED);
        assertThat(window.line("skipped").path("reason").asText()).isEqualTo("lease_held");
        assertThat(window.lines()).noneMatch(l -> l.has("stack_trace") || l.path("event").asText().equals("plan"));
        assertThat(fixture.lease()).as("the holder keeps its lease, still running").hasValueSatisfying(l -> assertThat(l.plan()).isEqualTo("holder"));

        RunSummary held = holder.get(60, TimeUnit.SECONDS);
        assertThat(held.eventsRead()).isEqualTo(alerts.size());
        assertThat(fixture.lease()).as("released when the run finished").isEmpty();
        assertThat(fixture.rollupsWrittenBy("hourly") + fixture.rollupsWrittenBy("manual")).isZero();
        // The holder rewrites every bucket of the window after the refused runs, so the count above alone could hide
        // their writes: neither may have reported any.
        for (JobExit refused : List.of(incremental, window)) {
            assertThat(refused.lines()).noneMatch(l -> l.path("buckets_written").asLong() > 0);
        }
        assertThat(fixture.storedWatermark()).isEmpty();
        assertThat(fixture.stateDocument("plan-hourly")).isEmpty();
        assertThat(fixture.stateDocument("plan-manual")).isEmpty();
        assertThat(fixture.rollupsWrittenBy("holder")).isPositive();
    }

    @Test
    void aWindowRunWaitsForTheHolderToFinishThenRuns(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-wait");
        List<Alert> alerts = JobFixture.randomAlerts(83, 2_000, "2026-08-05T00:00:00Z", 1, 20);
        fixture.store(alerts);
        String now = "2026-08-06T02:00:00Z";
        CompletableFuture<RunSummary> holder = holding(fixture, now, "hourly", "--incremental");

        // A short expiry makes the waiting run ask every 600 ms instead of every 10 s.
        JobExit window = fixture.exec(now, List.of("AWS_BATCH_JOB_ID", "manual", "ROLLCALL_JOB_LEASE_WAIT", "60s", "ROLLCALL_JOB_LEASE_EXPIRY", "3s"),
                "--from", "2026-08-05", "--to", "2026-08-06");

        assertThat(holder.get(60, TimeUnit.SECONDS).eventsRead()).isEqualTo(alerts.size());
        assertThat(window.code()).isEqualTo(AggregationJob.OK);
        assertThat(window.line("waiting_for_lease").path("holder_plan").asText()).isEqualTo("hourly");
        assertThat(window.lines()).noneMatch(l -> l.path("event").asText().equals("skipped"));
        assertThat(fixture.rollupsWrittenBy("manual")).isPositive();
        assertThat(fixture.lease()).as("released by the window run").isEmpty();
    }

    @Test
    void aRunLongerThanItsLeaseRenewsItAndKeepsOtherPlansOut(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-renewal");
        List<Alert> alerts = JobFixture.randomAlerts(97, 4_000, "2026-08-09T00:00:00Z", 1, 20);
        fixture.store(alerts);
        String now = "2026-08-10T02:00:00Z";
        // Renewed every second (a renewal may stall 3 s, a GC pause of this JVM's shared heap included, before the
        // run stops, one renewal interval before the lease lapses); 134 slow pages, 33 s of pauses alone, keep the run going for several expiries and past the two
        // sleeps and the two other runs (each a few seconds on a loaded machine).
        Duration expiry = Duration.ofSeconds(5);
        List<String> env = with(List.of("ROLLCALL_JOB_PAGE_SIZE", "30", "ROLLCALL_JOB_PAGE_PAUSE", "250ms"),
                "AWS_BATCH_JOB_ID", "keeper", "ROLLCALL_JOB_LEASE_EXPIRY", "5s");
        Instant keeperStarted = Instant.now();
        CompletableFuture<JobExit> keeper = CompletableFuture.supplyAsync(() -> fixture.exec(now, env, "--from", "2026-08-09", "--to", "2026-08-10"));
        awaitLease(fixture, "keeper");
        RunLease first = fixture.lease().orElseThrow();

        List<JobExit> others = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Past the expiry of the lease as last seen: only renewals keep it live now.
            Thread.sleep(expiry.toMillis() + 500);
            assertThat(keeper).as("the run outlasts its lease's expiry").isNotDone();
            // On the keeper's clock, which has run on since it showed now: an expired lease must look expired.
            String later = Instant.parse(now).plus(Duration.between(keeperStarted, Instant.now())).toString();
            others.add(fixture.exec(later, List.of("AWS_BATCH_JOB_ID", "other-" + i), "--incremental"));
        }
        Optional<RunLease> renewed = fixture.lease();
        JobExit done = keeper.get(120, TimeUnit.SECONDS);

        for (JobExit other : others) {
            assertThat(other.code()).isEqualTo(AggregationJob.OK);
            assertThat(other.line("skipped").path("holder_plan").asText()).isEqualTo("keeper");
        }
        assertThat(renewed).hasValueSatisfying(lease -> {
            assertThat(lease.plan()).isEqualTo("keeper");
            assertThat(lease.takenAt()).as("the same tenure, renewed, never given up and taken again").isEqualTo(first.takenAt());
            assertThat(lease.expiresAt()).as("moved forward by renewals").isAfter(first.expiresAt().plus(expiry));
        });
        assertThat(done.code()).isEqualTo(AggregationJob.OK);
        assertThat(done.line("done").path("elapsed_ms").asLong()).as("lasted several expiries").isGreaterThan(3 * expiry.toMillis());
        assertThat(done.lines().stream().map(l -> l.path("event").asText()).filter(e -> e.startsWith("lease_")))
                .as("no renewal failed, the lease was never lost").containsExactly("lease_taken", "lease_released");
        assertThat(fixture.rollupsWrittenBy("other-0") + fixture.rollupsWrittenBy("other-1")).isZero();
        long hourEvents = fixture.rollups().values().stream()
                .filter(d -> d.path("interval").asText().equals("hour")).mapToLong(d -> d.path("events").asLong()).sum();
        assertThat(hourEvents).isEqualTo(alerts.size());
        assertThat(fixture.lease()).as("released when the run finished").isEmpty();
    }

    @Test
    void aRunThatLosesItsLeaseMidRunStopsBeforeItsNextWriteAndExits1(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-lost");
        // The window is one hour holding every event: the run publishes nothing until it has read them all, so any
        // rollup at all would be one written after the loss.
        List<Alert> alerts = JobFixture.randomAlerts(89, 3_000, "2026-08-07T10:00:00Z", Duration.ofHours(1), 20);
        fixture.store(alerts);
        List<String> env = with(List.of("ROLLCALL_JOB_PAGE_SIZE", "100", "ROLLCALL_JOB_PAGE_PAUSE", "150ms"),
                "AWS_BATCH_JOB_ID", "loser", "ROLLCALL_JOB_LEASE_EXPIRY", "2s", "ROLLCALL_JOB_PROGRESS_INTERVAL", "0s");
        CompletableFuture<JobExit> loser = CompletableFuture.supplyAsync(() -> fixture.exec("2026-08-08T00:00:00Z", env,
                "--from", "2026-08-07T10:00:00Z", "--to", "2026-08-07T11:00:00Z"));
        awaitReading(fixture, "loser");

        // As after a pause of the loser's process longer than its lease (a GC pause, a network partition): another
        // plan has taken the expired lease over and holds it now.
        RunLease held = fixture.lease().orElseThrow();
        RunLease taken = new RunLease("thief", "thief", held.expiresAt(), held.expiresAt().plus(Duration.ofMinutes(5)));
        fixture.overwriteLease(taken);
        JobExit lost = loser.get(60, TimeUnit.SECONDS);

        assertThat(lost.code()).as("Batch retries the run").isEqualTo(AggregationJob.FAILED);
        assertThat(lost.line("lease_lost").path("holder_plan").asText()).isEqualTo("thief");
        JsonNode stopped = lost.line("stopped");
        assertThat(stopped.path("reason").asText()).isEqualTo("lease_lost");
        assertThat(stopped.path("holder_plan").asText()).isEqualTo("thief");
        assertThat(stopped.path("exit_code").asInt()).isEqualTo(AggregationJob.FAILED);
        assertThat(lost.lines()).noneMatch(l -> l.has("stack_trace") || l.path("event").asText().equals("done"));
        List<JsonNode> progress = lost.lines().stream().filter(l -> l.path("event").asText().equals("progress")).toList();
        assertThat(progress).as("read some pages before the loss").isNotEmpty();
        assertThat(progress.get(progress.size() - 1).path("events_read").asLong()).as("stopped mid-read").isLessThan(alerts.size());
        assertThat(fixture.rollups()).as("no rollup written after the loss").isEmpty();
        assertThat(fixture.lease()).as("left to the plan that holds it").contains(taken);
    }

    @Test
    void aRunWhoseRenewalsKeepFailingStopsBeforeItsLeaseExpiresAndExits1(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-expiring");
        // One hour holding every event, read slowly: any rollup at all would be written after the renewals failed.
        List<Alert> alerts = JobFixture.randomAlerts(83, 3_000, "2026-08-05T10:00:00Z", Duration.ofHours(1), 20);
        fixture.store(alerts);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            List<String> env = with(List.of("ROLLCALL_JOB_PAGE_SIZE", "100", "ROLLCALL_JOB_PAGE_PAUSE", "150ms"),
                    "ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(), "AWS_BATCH_JOB_ID", "renewer",
                    "ROLLCALL_JOB_LEASE_EXPIRY", "3s", "ROLLCALL_JOB_RETRY_FOR", "1s", "ROLLCALL_JOB_PROGRESS_INTERVAL", "0s");
            CompletableFuture<JobExit> renewer = CompletableFuture.supplyAsync(() -> fixture.exec("2026-08-06T00:00:00Z", env,
                    "--from", "2026-08-05T10:00:00Z", "--to", "2026-08-05T11:00:00Z"));
            awaitReading(fixture, "renewer");
            // The state index refuses the lease's reads and writes (a write-pool storm on that shard) while the
            // events are still read: the run cannot renew, and from its lease's expiry another plan may take it.
            proxy.failNext(Integer.MAX_VALUE, 429, path -> path.endsWith("/_doc/lease"));
            JobExit expired = renewer.get(60, TimeUnit.SECONDS);

            assertThat(expired.code()).as("Batch retries the run").isEqualTo(AggregationJob.FAILED);
            assertThat(expired.lines()).anyMatch(l -> l.path("event").asText().equals("lease_renewal_failed"));
            JsonNode stopped = expired.line("stopped");
            assertThat(stopped.path("reason").asText()).isEqualTo("lease_expired");
            assertThat(stopped.path("holder_plan").asText()).isEqualTo("renewer");
            assertThat(stopped.path("message").asText()).contains("was not renewed in time");
            Instant expiresAt = Instant.parse(stopped.path("holder_expires_at").asText());
            assertThat(fixture.lease()).as("the lease as last renewed, still this run's").hasValueSatisfying(lease -> {
                assertThat(lease.plan()).isEqualTo("renewer");
                assertThat(lease.expiresAt()).isEqualTo(expiresAt);
            });
            assertThat(expired.lines()).noneMatch(l -> l.has("stack_trace") || l.path("event").asText().equals("done"));
            // A page is read, counted, then the lease checked: no page was taken after the last progress line, which
            // came while the lease still kept other plans out.
            List<JsonNode> progress = expired.lines().stream().filter(l -> l.path("event").asText().equals("progress")).toList();
            JsonNode last = progress.get(progress.size() - 1);
            assertThat(last.path("events_read").asLong()).as("stopped mid-read").isLessThan(alerts.size());
            assertThat(Instant.parse(last.path("ts").asText())).as("stopped reading while the lease was live").isBefore(expiresAt);
            assertThat(fixture.rollups()).as("no rollup written once the lease could not be renewed").isEmpty();
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheStalePlanCannotMoveTheWatermarkBack(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "lease-expiry");
        fixture.store(JobFixture.randomAlerts(73, 600, "2026-08-02T00:00:00Z", 1, 12));
        // Child 0 of plan "old" finishes; children 1 and 2 are not run yet (queued, or their attempts were killed):
        // the lease stays with "old".
        RunSummary first = fixture.run("2026-08-02T14:20:00Z", new ArrayChild("old", 0, 3), "--incremental");
        assertThat(first.planComplete()).isFalse();
        assertThat(fixture.lease()).hasValueSatisfying(l -> assertThat(l.plan()).isEqualTo("old"));

        JobExit whileLive = fixture.exec("2026-08-02T14:22:00Z", List.of("AWS_BATCH_JOB_ID", "new"), "--incremental");
        assertThat(whileLive.code()).isEqualTo(AggregationJob.OK);
        assertThat(whileLive.line("skipped").path("holder_plan").asText()).isEqualTo("old");
        assertThat(fixture.storedWatermark()).isEmpty();

        // Two hours later the lease of "old" has long expired (five minutes without renewal).
        JobExit takeover = fixture.exec("2026-08-02T16:20:00Z", List.of("AWS_BATCH_JOB_ID", "new"), "--incremental");
        assertThat(takeover.code()).isEqualTo(AggregationJob.OK);
        assertThat(takeover.line("lease_taken_over").path("previous_plan").asText()).isEqualTo("old");
        Watermark newer = new Watermark(Instant.parse("2026-08-02T16:05:00Z"), Instant.parse("2026-08-02T16:00:00Z"));
        assertThat(fixture.storedWatermark()).contains(newer);
        assertThat(fixture.lease()).isEmpty();

        // Child 1 of "old" runs at last; its plan's watermark (14:05/14:00) is behind the stored one. "new" has rolled
        // up its window already, with at least the same events: the child must not rewrite or sweep anything, and
        // must not keep the lease for child 2, which has nothing to do either.
        Map<String, JsonNode> byNew = fixture.rollups();
        JobExit staleExit = fixture.exec("2026-08-02T16:50:00Z", new ArrayChild("old", 1, 3).env(), "--incremental");
        assertThat(staleExit.code()).isEqualTo(AggregationJob.OK);
        assertThat(staleExit.line("superseded").path("stored_computed_until").asText()).isEqualTo("2026-08-02T16:00:00Z");
        assertThat(staleExit.line("done").path("plan_complete").asBoolean()).isFalse();
        assertThat(fixture.lease()).as("released although child 2 has not run").isEmpty();
        assertThat(fixture.rollups()).as("left as the later plan wrote them").isEqualTo(byNew);
        assertThat(fixture.rollupsWrittenBy("old:1")).isZero();

        RunSummary stale = fixture.run("2026-08-02T16:55:00Z", new ArrayChild("old", 2, 3), "--incremental");
        assertThat(stale.superseded()).isTrue();
        assertThat(stale.eventsRead()).isZero();
        assertThat(stale.planComplete()).isTrue();
        assertThat(stale.watermarkMoved()).isFalse();
        assertThat(fixture.storedWatermark()).as("not moved backwards").contains(newer);
        assertThat(fixture.lease()).isEmpty();
        assertThat(fixture.rollups()).isEqualTo(byNew);
        // Nor the later plan's snapshots inside the stale window, which later runs start from.
        assertThat(fixture.carryStore().latestAtOrBefore(Instant.parse("2026-08-02T14:00:00Z"))).map(CarryStore.Snapshot::at)
                .as("the later plan's snapshot at the stale plan's end").contains(Instant.parse("2026-08-02T14:00:00Z"));
    }

    /**
     * A renewal that finds its plan's lease taken afresh (released or expired and claimed again meanwhile, perhaps by
     * another plan in between) ends the run's right to write for good, and leaves the fresh lease alone: it may be a
     * sibling child's tenure.
     */
    @Test
    void aLeaseTakenAfreshBehindTheRunsBackEndsItsWritesAndIsLeftToItsNewTenure(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-afresh");
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8), "lease-afresh", Clock.systemUTC());
        LeaseStore store = new LeaseStore(fixture.stateIndex(), Duration.ofMinutes(5), log);
        HeldLease lease = HeldLease.take(store, "plan-f", "lease-afresh", Clock.systemUTC(), Duration.ofMillis(100), Duration.ZERO, log);
        RunLease first = fixture.lease().orElseThrow();
        lease.ensureHeld();

        assertThat(store.release("plan-f")).as("released behind the run's back").isTrue();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!logged.toString(StandardCharsets.UTF_8).contains("lease_lapsed")) {
            assertThat(Instant.now()).as("a renewal noticed").isBefore(deadline);
            Thread.sleep(20);
        }
        RunLease afresh = fixture.lease().orElseThrow();
        Thread.sleep(300); // three renewal intervals: none may take the run back in

        try {
            assertThat(afresh.plan()).isEqualTo("plan-f");
            assertThat(afresh.takenAt()).as("a new tenure").isAfter(first.takenAt());
            assertThatThrownBy(lease::ensureHeld).isInstanceOfSatisfying(LeaseHeldException.class,
                    e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_EXPIRED));
            assertThat(lease.writableUntil()).isEqualTo(Instant.MIN);
            assertThat(logged.toString(StandardCharsets.UTF_8)).contains("taken afresh at " + afresh.takenAt());
            assertThat(fixture.lease()).as("no renewal after the lapse").contains(afresh);
        } finally {
            lease.close(false);
        }
        assertThat(fixture.lease()).as("the new tenure stands").contains(afresh);
    }

    /** A SIGTERM that interrupts the run as it wraps up must not cost the release, or the next runs wait it out. */
    @Test
    void aRunInterruptedAsItEndsStillReleasesItsLeaseAndKeepsTheInterrupt(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "lease-interrupted");
        StateIndex state = fixture.stateIndex();
        JsonLog log = new JsonLog(System.out, "lease-interrupted", Clock.systemUTC());
        HeldLease lease = HeldLease.take(new LeaseStore(state, Duration.ofMinutes(5), log), "plan-i", "lease-interrupted",
                Clock.systemUTC(), Duration.ofMinutes(1), Duration.ZERO, log);
        assertThat(fixture.lease()).isPresent();

        Thread.currentThread().interrupt();
        lease.close(true);

        assertThat(Thread.interrupted()).as("the stop is still there for the run to act on").isTrue();
        assertThat(fixture.lease()).as("released").isEmpty();
    }

    @Test
    void ofChildrenFindingTheirPlanDoneTogetherOnlyOneMovesTheWatermark(TestOpenSearch openSearch) throws Exception {
        RunPlanStore plans = new RunPlanStore(new JobFixture(openSearch, "claim").stateIndex());
        Instant now = Instant.parse("2026-08-04T00:20:00Z");

        List<CompletableFuture<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String jobId = "plan-a:" + i;
            claims.add(CompletableFuture.supplyAsync(() -> plans.claimCompletion("plan-a", jobId, now)));
        }
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            if (claims.get(i).get(30, TimeUnit.SECONDS)) {
                winners.add("plan-a:" + i);
            }
        }

        assertThat(winners).hasSize(1);
        assertThat(plans.claimCompletion("plan-a", winners.get(0), now)).as("Batch's retry of the claimant").isTrue();
        assertThat(plans.claimCompletion("plan-b", "plan-b:0", now)).as("another plan is claimed on its own").isTrue();
    }

    @Test
    void theChildrenOfOnePlanWorkUnderItsOneLease(TestOpenSearch openSearch) throws Exception {
        JobFixture fixture = new JobFixture(openSearch, "lease-array");
        List<Alert> alerts = JobFixture.randomAlerts(79, 2_400, "2026-08-03T00:00:00Z", 1, 24);
        fixture.store(alerts);
        String now = "2026-08-04T00:20:00Z";
        // A short expiry renews every second, so the three children renew it concurrently, racing each other's writes.
        List<String> env = with(SLOW, "ROLLCALL_JOB_LEASE_EXPIRY", "5s");
        List<CompletableFuture<RunSummary>> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ArrayChild child = new ArrayChild("array", i, 3);
            children.add(CompletableFuture.supplyAsync(() -> fixture.run(now, child, env, "--incremental")));
        }
        awaitLease(fixture, "array");
        assertThat(fixture.exec(now, List.of("AWS_BATCH_JOB_ID", "other"), "--incremental").line("skipped").path("holder_plan").asText())
                .isEqualTo("array");

        List<RunSummary> summaries = new ArrayList<>();
        for (CompletableFuture<RunSummary> child : children) {
            summaries.add(child.get(60, TimeUnit.SECONDS));
        }
        assertThat(summaries).filteredOn(RunSummary::watermarkMoved).hasSize(1);
        assertThat(fixture.storedWatermark()).contains(new Watermark(Instant.parse("2026-08-04T00:05:00Z"), Instant.parse("2026-08-04T00:00:00Z")));
        assertThat(fixture.lease()).as("released by the last child").isEmpty();
        long hourEvents = fixture.rollups().values().stream()
                .filter(d -> d.path("interval").asText().equals("hour")).mapToLong(d -> d.path("events").asLong()).sum();
        assertThat(hourEvents).as("every child wrote its part").isEqualTo(alerts.size());
        assertThat(fixture.rollupsWrittenBy("other")).isZero();
        // Counting every event once is not enough: each child must also have seen the others' firings (correlation)
        // and written whole episodes, which only a comparison of every value with one process's run shows.
        JobFixture single = new JobFixture(openSearch, "lease-array-single");
        single.store(alerts);
        single.run(now, List.of(), "--incremental");
        assertThat(fixture.rollups()).as("the children together wrote what one process writes").isEqualTo(single.rollups());
    }

    /** Starts a slowly paging run of {@code plan} in the background; returns once it holds the lease. */
    private static CompletableFuture<RunSummary> holding(JobFixture fixture, String now, String plan, String... args) throws InterruptedException {
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> fixture.run(now, with(SLOW, "AWS_BATCH_JOB_ID", plan), args));
        awaitLease(fixture, plan);
        return run;
    }

    /** Returns once a run of {@code jobId} has marked the rollups as being written: it holds the lease and reads. */
    private static void awaitReading(JobFixture fixture, String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (fixture.stateDocument(RollupsChange.ID).filter(c -> c.path("job_id").asText().equals(jobId)
                && c.path("phase").asText().equals(RollupsChange.WRITING)).isEmpty()) {
            assertThat(Instant.now()).as(jobId + " started reading").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitLease(JobFixture fixture, String plan) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (fixture.lease().filter(l -> l.plan().equals(plan)).isEmpty()) {
            assertThat(Instant.now()).as("plan " + plan + " took the lease").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> with(List<String> env, String... more) {
        List<String> all = new ArrayList<>(env);
        all.addAll(List.of(more));
        return all;
    }
}
