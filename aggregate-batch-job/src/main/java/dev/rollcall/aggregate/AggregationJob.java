package dev.rollcall.aggregate;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The container's entry point: {@code java -jar rollcall-aggregate-batch-job.jar ARGS}. Exit codes: 0 done, 2 bad
 * arguments or configuration (the message names which; retrying cannot help), 1 anything else (Batch retries).
 */
public final class AggregationJob {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;

    private AggregationJob() {
    }

    public static void main(String[] args) {
        // Named, not registered for ServiceLoader discovery: where the job's classes share a class path with the
        // Lambdas' log4j provider (local mode, bench), a second registered provider made SLF4J warn and pick one
        // by class-path order. Set before any library creates a logger.
        System.setProperty("slf4j.provider", System.getProperty("slf4j.provider", JsonLogProvider.class.getName()));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        System.exit(run(args, System.getenv(), Clock.systemUTC(), System.out, System.err));
    }

    /** Runs the job as {@code main} does, answering the exit code instead of exiting. */
    public static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(JobArguments.USAGE);
            return OK;
        }
        String jobId = JobConfig.jobIdFrom(env);
        JsonLog log = JsonLog.install(new JsonLog(out, jobId, clock));
        try {
            JobArguments arguments = JobArguments.parse(args);
            JobConfig config = JobConfig.fromEnvironment(env).withJobId(jobId);
            log.info("start", Map.of("args", List.of(args), "shard", config.shard().toString(),
                    "index_prefix", config.openSearch().indexNames().prefix(), "endpoint", config.openSearch().endpoint().toString()));
            AggregationRun.run(config, arguments, clock, log);
            return OK;
        } catch (UsageException e) {
            log.error("bad_usage", Map.of("message", e.getMessage()), null);
            err.println("aggregation-job: " + e.getMessage());
            err.println(JobArguments.USAGE);
            return BAD_USAGE;
        } catch (RuntimeException | Error e) {
            log.error("failed", Map.of("message", String.valueOf(e.getMessage()), "exception", e.getClass().getName()), e);
            return FAILED;
        }
    }
}
