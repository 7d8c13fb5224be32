package dev.rollcall.aggregate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.rollup.CarryState;
import dev.rollcall.core.rollup.HourlyRollup;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.JobDoneLine;
import dev.rollcall.core.rollup.RollupEvent;
import dev.rollcall.core.rollup.RollupWriter;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.core.store.TemplatesUnavailableException;

/**
 * One aggregation run, callable in-process (the bench module times it): plan the window, stream its events
 * through {@link HourlyRollup} once for all three intervals, write rollups by their deterministic ids, store carry
 * snapshots, sweep rollups the run no longer produces, and only then move the watermark.
 *
 * <p>Killed at any point, a run leaves nothing a rerun does not overwrite or sweep: rollups and snapshots are
 * keyed by what they describe, the plan and the start state are the same on a rerun, and the watermark moves last.
 */
public final class AggregationRun {

    private static final Duration KEEP_HOURLY_SNAPSHOTS = Duration.ofDays(3);
    /** Far longer than Batch keeps retrying a job: no child reads a plan this old. */
    static final Duration KEEP_RUN_BOOKKEEPING = Duration.ofDays(30);

    private final JobConfig config;
    private final JobArguments args;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private final JsonLog log;
    private final OpenSearchClient client;
    private final Instant started;
    private final String runId;

    private AggregationRun(JobConfig config, JobArguments args, Clock clock, JsonLog log, OpenSearchClient client,
                           BooleanSupplier stopRequested) {
        this.config = config;
        this.args = args;
        this.clock = clock;
        this.log = log;
        this.client = client;
        this.stopRequested = stopRequested;
        this.started = clock.instant();
        this.runId = config.jobId().replace(':', '_') + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs the job once; throws on any failure (the caller maps it to an exit code). */
    public static RunSummary run(JobConfig config, JobArguments args, Clock clock, JsonLog log) {
        return run(config, args, clock, log, () -> false);
    }

    /** {@link #run}, throwing {@link TerminatedException} at the next check once {@code stopRequested} says so. */
    static RunSummary run(JobConfig config, JobArguments args, Clock clock, JsonLog log, BooleanSupplier stopRequested) {
        resetHeapPeaks();
        OpenSearchClient client = OpenSearchClients.create(config.openSearch());
        try {
            return new AggregationRun(config, args, clock, log, client, stopRequested).execute();
        } finally {
            try {
                client._transport().close();
            } catch (IOException e) {
                // closing a client that is done anyway
            }
        }
    }

    private RunSummary execute() {
        IndexNames names = config.openSearch().indexNames();
        OpenSearchCalls calls = new OpenSearchCalls(client, clock, config.retryFor(), new OpenSearchRetryLog(log));
        StateIndex state = new StateIndex(calls, names.stateIndex());
        boolean dryRun = args.dryRun();
        calls.awaitReachable(names.stateIndex());
        if (!dryRun) {
            IndexTemplateInstaller installer = new IndexTemplateInstaller(client, names, config.openSearch().replicas());
            try {
                installer.install();
            } catch (TemplatesUnavailableException e) {
                if (stopRequested.getAsBoolean()) {
                    // Batch stopping the container interrupted the request: that, not the domain, ended the run.
                    Thread.interrupted();
                    throw new TerminatedException();
                }
                // A 429, a 5xx or a dropped connection right after the node answered: the domain's, not the job's,
                // and a line without a stack trace says so (Batch's retry installs them again).
                throw new OpenSearchUnavailableException("installing index templates: " + e.getMessage());
            }
            state.ensure(installer);
        }
        String generation = config.planId() != null ? config.planId() : runId;
        // Taken before anything is read: a plan made from state another run is about to change would be stale.
        // A dry run writes nothing, so it neither needs the lease nor keeps a real run out.
        // A window or previous-day run waits its turn: nothing else will compute its window. An incremental run never
        // waits, as the next scheduled one covers everything since the watermark.
        Duration wait = args.mode() == JobArguments.Mode.INCREMENTAL ? Duration.ZERO : config.leaseWait();
        HeldLease lease = dryRun ? null : HeldLease.take(new LeaseStore(state, config.leaseExpiry(), log), generation, config.jobId(),
                clock, config.leaseRenewal(), wait, log);
        RollupsChangeMarker changes = dryRun ? null : new RollupsChangeMarker(state, config.jobId(), clock);
        boolean release = false;
        try {
            Runnable mayGoOn = () -> {
                if (stopRequested.getAsBoolean()) {
                    throw new TerminatedException();
                }
                if (lease != null) {
                    lease.ensureHeld();
                }
            };
            RunSummary summary = execute(names, calls, state, generation, mayGoOn, lease != null ? lease : WriteFence.NONE, changes);
            // A superseded plan's other children have nothing to do either: none of them needs the lease kept.
            release = summary.planComplete() || summary.superseded();
            return summary;
        } catch (RuntimeException | Error e) {
            // A failed run alone leaves nothing the next run does not overwrite or sweep; a failed array child must
            // keep it, because its siblings may still be writing under it (they renew it; it expires after the last).
            // A lease lost to another plan is not released (HeldLease.close knows), being that plan's now.
            // Nor is one whose renewals failed: the state index refusing them would refuse the release too, and
            // the lease lapses within a renewal interval anyway.
            boolean lapsed = e instanceof LeaseHeldException held && held.reason() == LeaseHeldException.Reason.LEASE_EXPIRED;
            release = config.shard().count() == 1 && !lapsed;
            RuntimeException stopped = null;
            if (stopRequested.getAsBoolean()) {
                // An interrupt that surfaced as another failure (inside a request) still means the container stops:
                // clear it, so that the wrap-up below can talk to OpenSearch, and say so as the one terminated line.
                Thread.interrupted();
                stopped = e instanceof TerminatedException t ? t : new TerminatedException();
            }
            if (!lapsed) {
                markChanged(changes, RollupsChange.FAILED, e);
            }
            if (stopped != null) {
                throw stopped;
            }
            throw e;
        } finally {
            if (lease != null) {
                lease.close(release);
            }
        }
    }

    /**
     * Best effort at the end of a run, done or failed: the rollups are written (or what a failed run wrote stays until
     * a rerun overwrites it) and the query API's remembered answers expire after their max age anyway, so a mark
     * that cannot be written must not fail a finished run (Batch would retry it and the failed-job alarm fire).
     */
    private void markChanged(RollupsChangeMarker changes, String phase, Throwable failure) {
        if (changes == null) {
            return;
        }
        try {
            changes.mark(phase);
        } catch (RuntimeException | Error e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
            log.warn("rollups_change_not_marked", Map.of("phase", phase, "reason", String.valueOf(e.getMessage())));
        }
    }

    private RunSummary execute(IndexNames names, OpenSearchCalls calls, StateIndex state, String generation, Runnable leaseHeld,
                               WriteFence fence, RollupsChangeMarker changes) {
        boolean dryRun = args.dryRun();
        BulkIndexer indexer = new BulkIndexer(client).reportingRetriesTo(calls.retries());
        WatermarkStore watermarks = new WatermarkStore(state);
        CarryStore carries = new CarryStore(state, indexer, clock);
        RunPlanStore plans = new RunPlanStore(state);
        StoredRollups stored = new StoredRollups(calls, names);
        ShardSpec shard = config.shard();
        RunPlanner planner = new RunPlanner(watermarks, carries, calls, names, config.settleDelay(), config.rules().episodeMaxAge(),
                config.eventsRetention(), config.maxIncrementalWindow(), log);
        RunPlan plan = config.planId() != null && !dryRun
                ? plans.planOnce(config.planId(), () -> planner.plan(args, started, generation))
                : planner.plan(args, started, generation);
        log.info("plan", planFields(plan));

        Map<Interval, Long> published = new EnumMap<>(Interval.class);
        long eventsRead = 0;
        long eventsRolledUp = 0;
        long stale = 0;
        int snapshots = 0;
        int openEpisodes = 0;
        int rejected = 0;
        // Where the read began: the plan's replay start, unless its snapshot was gone (startState).
        Instant replayFrom = plan.replayFrom();
        boolean superseded = !dryRun && superseded(plan, watermarks, plans);
        if (plan.hasWork() && !shard.ownsNothing() && !superseded && !alreadyDone(plan, plans)) {
            CarryState base = startState(plan, carries, shard);
            replayFrom = base.at();
            if (!dryRun) {
                changes.mark(RollupsChange.WRITING);
            }
            RollupOutput output = dryRun ? RollupOutput.counting() : new RollupOutput.Background(new RollupWriter(indexer, names)::write, clock,
                    // Twice a single request's budget: the 10 minutes a batch of rollups had before the budget was
                    // configurable, kept as the default.
                    config.retryFor().multipliedBy(2), fence);
            RollupPublisher publisher = new RollupPublisher(plan.emitFrom(), plan.end(), args.intervals(), stored, shard, output,
                    started, config.jobId());
            HourlyRollup rollup = new HourlyRollup(config.rules(), base, shard::owns, publisher);
            EventReader reader = new EventReader(calls, names, config.pageSize(), config.pagePause(), log, clock);
            Progress progress = new Progress(log, clock, reader.count(replayFrom, plan.end(), shard),
                    config.progressInterval(), output::acknowledged, rollup::clock);
            SnapshotSchedule schedule = new SnapshotSchedule(plan.emitFrom(), plan.end());
            int[] written = {0};
            // Children read every firing for correlation and all of them replay from the snapshot: what sums over
            // an array to the window's events is each child's own events inside the window.
            long emitFromMillis = plan.emitFrom().toEpochMilli();
            long[] rolledUp = {0};
            Runnable snapshot = () -> {
                rollup.advanceTo(schedule.next());
                CarryState carry = rollup.carry();
                output.alongside("the carry snapshot at " + carry.at(), () -> carries.documents(carry, generation, shard, runId, started), carries::write);
                written[0]++;
                schedule.advance();
            };
            try {
                reader.read(replayFrom, plan.end(), shard, page -> {
                    for (RollupEvent event : page) {
                        while (schedule.isDue(event.occurredAt())) {
                            snapshot.run();
                        }
                        rollup.accept(event);
                        if (event.occurredAt() >= emitFromMillis && shard.owns(event.dimensions().fingerprint())) {
                            rolledUp[0]++;
                        }
                    }
                    progress.eventsRead(page.size());
                    leaseHeld.run();
                });
                while (schedule.hasNext()) {
                    snapshot.run();
                }
                output.finish();
            } catch (RuntimeException | Error e) {
                // Writes still queued would land after the run's failure mark, unseen by the query API's cache.
                output.abandon();
                throw e;
            }
            eventsRead = progress.read();
            eventsRolledUp = rolledUp[0];
            snapshots = written[0];
            openEpisodes = rollup.openEpisodes();
            rejected = reader.rejectedPages();
            published.putAll(publisher.published());
            if (!dryRun) {
                leaseHeld.run();
                for (Interval interval : args.intervals()) {
                    stale += stored.deleteStale(interval, interval.bucketStart(plan.emitFrom()), RunPlanner.ceil(interval, plan.end()), started, shard);
                }
                carries.deleteEarlierAttempts(plan.emitFrom(), plan.end(), generation, shard, runId);
            }
        }
        boolean moved = false;
        boolean planComplete = false;
        if (!dryRun) {
            leaseHeld.run();
            planComplete = markDone(plans);
            if (planComplete && plan.hasWork() && !superseded) {
                // Before the completion claim: a child killed in between finds the plan not yet claimed when Batch
                // retries it, and sweeps again. Never for a superseded plan: it wrote nothing, and what it would
                // sweep is the later plan's.
                carries.deleteOtherGenerations(plan.emitFrom(), plan.end(), generation);
            }
            if (!planComplete && plan.next() != null) {
                log.info("watermark_waits", Map.of("reason", "other shards of the plan are still running"));
            }
            moved = planComplete && completes(plans) && moveWatermark(plan, watermarks, new CollectionStart(calls, names, config.collectingSince(), log));
            // Only once every shard is done: a sibling still waiting for capacity starts from the plan's snapshot,
            // which may be an hourly one older than what pruning keeps.
            if (planComplete) {
                carries.prune(plan.end().minus(KEEP_HOURLY_SNAPSHOTS));
                forgetExpiredState(plans, carries);
            }
            // A child whose siblings are still writing leaves a token nothing is remembered under; the last one
            // done marks the plan's end.
            markChanged(changes, planComplete ? RollupsChange.DONE : RollupsChange.WRITING, null);
        }
        RunSummary summary = new RunSummary(config.jobId(), plan.mode(), plan.emitFrom(), plan.end(), replayFrom,
                shard.toString(), eventsRead, eventsRolledUp, published, stale, snapshots, openEpisodes, rejected, moved, planComplete, superseded, dryRun,
                Duration.between(started, clock.instant()), peakHeapBytes(),
                moved ? Duration.between(plan.next().computedUntil(), clock.instant()) : null);
        log.info(JobDoneLine.DONE, summary.fields());
        return summary;
    }

    /**
     * Keeps the state index from growing for ever: run bookkeeping after {@link #KEEP_RUN_BOOKKEEPING}, and, where raw
     * events expire, snapshots before the oldest day any run may still recompute (with the hourly pruning's margin,
     * for a sibling of an older plan still waiting for capacity).
     */
    private void forgetExpiredState(RunPlanStore plans, CarryStore carries) {
        Instant now = clock.instant();
        long bookkeeping = plans.forgetBefore(now.minus(KEEP_RUN_BOOKKEEPING));
        long snapshots = 0;
        if (!config.eventsRetention().isZero()) {
            snapshots = carries.forgetBefore(Interval.DAY.bucketStart(now.minus(config.eventsRetention())).minus(KEEP_HOURLY_SNAPSHOTS));
        }
        if (bookkeeping + snapshots > 0) {
            log.info("state_forgotten", Map.of("run_documents", bookkeeping, "snapshot_documents", snapshots));
        }
    }

    /**
     * Whether a later plan has already rolled up past this one: a child of an older plan whose lease was taken over
     * (it ran long after its siblings). Its window is inside the later plan's, computed with at least the same events,
     * so running it could only overwrite newer rollups with older ones and sweep what it does not reproduce.
     */
    private boolean superseded(RunPlan plan, WatermarkStore watermarks, RunPlanStore plans) {
        if (plan.next() == null) {
            return false;
        }
        Optional<WatermarkStore.Watermark> stored = watermarks.read();
        if (stored.isPresent() && stored.get().equals(plan.next())) {
            // A Batch retry of a plan that moved its watermark before the attempt died (a timeout, a lost task): its
            // work is done, and redoing it may not even be possible, as the snapshot it started from can be pruned.
            boolean complete = config.planId() != null && plans.completionClaimed(config.planId());
            if (complete) {
                log.info("already_complete", Map.of("plan", plan.generation(), "computed_until", plan.next().computedUntil().toString()));
            }
            return complete;
        }
        if (stored.isEmpty() || !stored.get().reaches(plan.next())) {
            return false;
        }
        log.info("superseded", Map.of("plan", plan.generation(), "plan_computed_until", plan.next().computedUntil().toString(),
                "stored_computed_until", stored.get().computedUntil().toString(),
                "stored_ingested_before", stored.get().ingestedBefore().toString()));
        return true;
    }

    /**
     * The state this run starts from: the plan's snapshot or, when that is gone, what a plan made now would start from
     * (the latest complete snapshot at or before the plan's first emitted hour, else nothing one episode max age before
     * it, as {@link RunPlanner} chooses). Gone it can be for an array child Batch started late: its siblings done, the
     * lease lapsed, and another plan took it and removed the snapshots inside its window (or pruned hourly ones three
     * days old). Either start gives the same state at that hour, so the child computes what its siblings did.
     */
    private CarryState startState(RunPlan plan, CarryStore carries, ShardSpec shard) {
        if (!plan.fromSnapshot()) {
            return CarryState.empty(plan.replayFrom());
        }
        Optional<CarryStore.Snapshot> planned = carries.completeAt(plan.replayFrom());
        if (planned.isPresent()) {
            return carries.load(planned.get(), shard::owns);
        }
        Optional<CarryStore.Snapshot> earlier = carries.latestAtOrBefore(plan.emitFrom());
        Instant from = earlier.map(CarryStore.Snapshot::at)
                .orElse(Interval.HOUR.bucketStart(plan.emitFrom().minus(config.rules().episodeMaxAge())));
        log.warn("start_snapshot_gone", Map.of("snapshot_at", plan.replayFrom().toString(), "replay_from", from.toString(),
                "from_snapshot", earlier.isPresent()));
        return earlier.map(s -> carries.load(s, shard::owns)).orElseGet(() -> CarryState.empty(from));
    }

    /**
     * Whether this is a Batch retry of an array child that had marked its part done and then failed (a Spot reclaim as
     * it exited, OpenSearch gone while it looked for its siblings' marks): its rollups, sweep and snapshots are written,
     * and once its siblings completed the plan, pruning may have removed the snapshot the plan starts from, which made
     * every retry fail for a part that was done. It goes on to what follows the mark.
     */
    private boolean alreadyDone(RunPlan plan, RunPlanStore plans) {
        if (config.planId() == null || args.dryRun() || !plans.isDone(config.planId(), config.shard())) {
            return false;
        }
        log.info("already_done", Map.of("plan", plan.generation(), "shard", config.shard().toString()));
        return true;
    }

    /** Marks this shard done; true when it was the plan's last (always for a run outside an array job). */
    private boolean markDone(RunPlanStore plans) {
        if (config.planId() == null) {
            return true;
        }
        plans.markDone(config.planId(), config.shard(), config.jobId(), clock.instant());
        return plans.allDone(config.planId(), config.shard().count());
    }

    /** Whether this run moves the plan's watermark: always outside an array job, else the one child that claims it. */
    private boolean completes(RunPlanStore plans) {
        return config.planId() == null || plans.claimCompletion(config.planId(), config.jobId(), clock.instant());
    }

    /** Moves the watermark to the plan's unless a later run's is stored already; true when it moved it. */
    private boolean moveWatermark(RunPlan plan, WatermarkStore watermarks, CollectionStart collectionStart) {
        if (plan.next() == null) {
            return false;
        }
        WatermarkStore.Watermark stored = watermarks.advance(plan.next(), collectionStart::find, config.jobId(), clock.instant());
        Map<String, Object> fields = Map.of("ingested_before", stored.ingestedBefore().toString(),
                "computed_until", stored.computedUntil().toString());
        if (!stored.equals(plan.next())) {
            log.warn("watermark_kept", fields);
            return false;
        }
        log.info("watermark_moved", fields);
        return true;
    }

    private Map<String, Object> planFields(RunPlan plan) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("mode", plan.mode().name().toLowerCase(java.util.Locale.ROOT));
        f.put("from", plan.emitFrom().toString());
        f.put("to", plan.end().toString());
        f.put("replay_from", plan.replayFrom().toString());
        f.put("from_snapshot", plan.fromSnapshot());
        f.put("shard", config.shard().toString());
        f.put("generation", plan.generation());
        f.put("intervals", args.intervals().stream().map(Interval::wire).sorted().toList());
        f.put("dry_run", args.dryRun());
        return f;
    }

    /**
     * Carry snapshots are taken at every day boundary inside the window, at every hour of its last 24 hours, and at its
     * end. A window run (the daily re-run of the previous day above all) supersedes the hourly runs' snapshots inside
     * it, and the next hourly run starts from the snapshot at its watermark, an hour or so back: with day boundaries
     * only, that was the day's start, and it replayed up to 23 hours. A day's 24 snapshots cost little.
     */
    private static final class SnapshotSchedule {
        private static final long HOUR = 3_600_000L;
        private static final long DAY = 86_400_000L;
        private final long end;
        private final long hourlyFrom;
        private long next;

        SnapshotSchedule(Instant emitFrom, Instant end) {
            this.end = end.toEpochMilli();
            this.hourlyFrom = this.end - DAY;
            this.next = after(emitFrom.toEpochMilli());
        }

        /** The first snapshot instant after {@code t}. */
        private long after(long t) {
            long nextHour = Math.floorDiv(t, HOUR) * HOUR + HOUR;
            long nextDay = Math.floorDiv(t, DAY) * DAY + DAY;
            long firstHourly = Math.floorDiv(hourlyFrom + HOUR - 1, HOUR) * HOUR;
            return Math.min(nextHour >= hourlyFrom ? nextHour : Math.min(nextDay, firstHourly), end);
        }

        boolean hasNext() {
            return next != Long.MAX_VALUE;
        }

        boolean isDue(long occurredAt) {
            return occurredAt >= next;
        }

        Instant next() {
            return Instant.ofEpochMilli(next);
        }

        void advance() {
            next = next >= end ? Long.MAX_VALUE : after(next);
        }
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
