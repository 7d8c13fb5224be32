package dev.rollcall.aggregate;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.JobExitCodes;
import dev.rollcall.core.store.OpenSearchRefusedException;

/**
 * The container's entry point: {@code java -jar rollcall-aggregate-batch-job.jar ARGS}. Exit codes: 0 done, 2 bad
 * arguments or configuration (the message names which; retrying cannot help), 1 anything else (Batch retries).
 * A run refused because another plan holds the run lease exits 0 when incremental (the next scheduled run covers
 * everything since the watermark, so a retry would only queue up behind the holder) and 1 for a fixed window or
 * the previous day, whose work nothing else will do (Batch retries it later). Stopped by SIGTERM (a Batch timeout,
 * TerminateJob, Spot reclaim), it logs {@code terminated}, gives up its lease and exits with the signal's status.
 */
public final class AggregationJob {

    public static final int OK = JobExitCodes.OK;
    public static final int FAILED = JobExitCodes.FAILED;
    public static final int BAD_USAGE = JobExitCodes.BAD_USAGE;

    private AggregationJob() {
    }

    public static void main(String[] args) {
        // Named, not registered for ServiceLoader discovery: where the job's classes share a class path with the
        // Lambdas' log4j provider (local mode, bench), a second registered provider made SLF4J warn and pick one
        // by class-path order. Set before any library creates a logger.
        System.setProperty("slf4j.provider", System.getProperty("slf4j.provider", JsonLogProvider.class.getName()));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        Termination termination = Termination.onShutdown();
        int exit = run(args, System.getenv(), Clock.systemUTC(), System.out, System.err, termination::requested);
        // The run is over: the hook has nothing to wait for, whether a signal started the shutdown or System.exit
        // below does (without this, every run's exit waited out the hook's whole grace period).
        termination.wrappedUp();
        if (termination.requested()) {
            // The JVM is shutting down already (System.exit would block): the exit status is the signal's (143),
            // which Batch retries unless the stop was its own timeout.
            return;
        }
        System.exit(exit);
    }

    /** Runs the job as {@code main} does, answering the exit code instead of exiting. */
    public static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        return run(args, env, clock, out, err, () -> false);
    }

    /** {@link #run} that stops at its next check once {@code stopRequested} says so. */
    static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err,
                   java.util.function.BooleanSupplier stopRequested) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(JobArguments.USAGE);
            return OK;
        }
        String jobId = JobConfig.jobIdFrom(env);
        JsonLog log = JsonLog.install(new JsonLog(out, jobId, clock));
        JobArguments arguments = null;
        try {
            arguments = JobArguments.parse(args);
            JobConfig config = JobConfig.fromEnvironment(env).withJobId(jobId);
            log.info("start", Map.of("args", List.of(args), "shard", config.shard().toString(),
                    "index_prefix", config.openSearch().indexNames().prefix(), "endpoint", config.openSearch().endpoint().toString()));
            Instant jobStarted = clock.instant();
            RunSummary summary = AggregationRun.run(config, arguments, clock, log, stopRequested);
            for (int round = 2; catchesUp(summary, config, arguments, clock, jobStarted, stopRequested); round++) {
                log.info("catching_up", Map.of("round", round, "computed_until", summary.end().toString(),
                        "catch_up_for_s", config.catchUpFor().toSeconds()));
                summary = AggregationRun.run(config.forRound(round), arguments, clock, log, stopRequested);
            }
            return OK;
        } catch (UsageException e) {
            log.error("bad_usage", Map.of("message", e.getMessage()), null);
            err.println("aggregation-job: " + e.getMessage());
            err.println(JobArguments.USAGE);
            return BAD_USAGE;
        } catch (LeaseHeldException e) {
            return refused(e, arguments.mode(), log);
        } catch (OpenSearchUnavailableException e) {
            // Expected when the domain is down or overloaded past the retry deadline: the message says which request
            // and why; a stack trace would only bury it. Batch retries exit 1.
            log.error("failed", Map.of("message", e.getMessage(), "reason", "opensearch_unavailable"), null);
            return FAILED;
        } catch (EventsDeletedException e) {
            // Expected when the lifecycle policy deletes a month the run still reads: the retry reads what is left.
            log.error("failed", Map.of("message", e.getMessage(), "reason", "events_deleted"), null);
            return FAILED;
        } catch (OpenSearchRefusedException e) {
            // Expected when the deployment is not set up for the job (its role mapping, a closed index): the
            // operator's to fix, and the message says what; a stack trace would only bury it.
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("message", e.getMessage());
            fields.put("reason", "opensearch_refused");
            fields.put("status", e.status());
            log.error("failed", fields, null);
            return FAILED;
        } catch (TerminatedException e) {
            // Expected when Batch stops the container: a log line, no stack trace.
            log.warn("terminated", Map.of("message", e.getMessage()));
            return FAILED;
        } catch (RuntimeException | Error e) {
            log.error("failed", Map.of("message", String.valueOf(e.getMessage()), "exception", e.getClass().getName()), e);
            return FAILED;
        }
    }

    /**
     * Whether an incremental run capped at its window goes on with the next one at once: it moved the watermark, which
     * still trails the hour an incremental run would reach now, and the next round, if it takes as long as the last,
     * ends within the job's catch-up time (which also bounds how long a window run waits for the lease meanwhile).
     * Array children never do (their siblings share one plan), nor dry runs (they move nothing).
     */
    static boolean catchesUp(RunSummary last, JobConfig config, JobArguments arguments, Clock clock, Instant jobStarted,
                             BooleanSupplier stopRequested) {
        Instant now = clock.instant();
        return arguments.mode() == JobArguments.Mode.INCREMENTAL && !arguments.dryRun() && config.shard().count() == 1
                && last.watermarkMoved() && !stopRequested.getAsBoolean()
                && Duration.between(jobStarted, now).plus(last.elapsed()).compareTo(config.catchUpFor()) < 0
                && last.end().isBefore(Interval.HOUR.bucketStart(now.minus(config.settleDelay())));
    }

    private static int refused(LeaseHeldException e, JobArguments.Mode mode, JsonLog log) {
        int exit = mode == JobArguments.Mode.INCREMENTAL && !e.whileRunning() ? OK : FAILED;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reason", e.reason().name().toLowerCase(Locale.ROOT));
        if (e.reason() == LeaseHeldException.Reason.LEASE_EXPIRED) {
            fields.put("message", e.getMessage());
        }
        fields.put("mode", mode.name().toLowerCase(Locale.ROOT));
        fields.put("holder_plan", e.holder().plan());
        fields.put("holder_job_id", e.holder().jobId());
        fields.put("holder_expires_at", e.holder().expiresAt().toString());
        fields.put("exit_code", exit);
        // Expected when schedules overlap: a log line, no stack trace.
        String event = e.whileRunning() ? "stopped" : "skipped";
        if (exit == OK) {
            log.info(event, fields);
        } else {
            log.warn(event, fields);
        }
        return exit;
    }
}
