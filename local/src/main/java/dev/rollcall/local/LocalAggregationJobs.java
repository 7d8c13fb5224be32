package dev.rollcall.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.rollcall.core.rollup.ArrayJobSize;
import dev.rollcall.core.rollup.JobExitCodes;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.jobs.AggregationJobs;
import dev.rollcall.query.jobs.BatchAggregationJobs;
import dev.rollcall.query.jobs.JobAttempt;
import dev.rollcall.query.jobs.JobRequest;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobStatus;

/**
 * Runs aggregation jobs the way AWS Batch runs the job's container: each array child is a child JVM with
 * {@code AWS_BATCH_JOB_ID}, {@code AWS_BATCH_JOB_ARRAY_INDEX} and {@code AWS_BATCH_JOB_ARRAY_SIZE} set, tried up to
 * {@link JobExitCodes#DEFAULT_ATTEMPTS} times when it fails (as the job definition's retry strategy does by default)
 * but not again for bad arguments (exit 2), a heap too small (exit 3) nor when a signal ended it (130, 143), with
 * Batch's statuses and one log file per job under the data directory. An attempt past its timeout is stopped as Batch
 * stops it (SIGTERM, SIGKILL after the grace period) and not retried. Only the last finished jobs and the start of
 * each log are kept ({@link LocalJobSettings}): an id evicted since is unknown, as an id that never was.
 */
public final class LocalAggregationJobs implements AggregationJobs, AutoCloseable {

    /** Main class of the aggregation job, as the container's entry point runs it. */
    public static final String JOB_MAIN = "dev.rollcall.aggregate.AggregationJob";
    private static final Logger LOG = LogManager.getLogger(LocalAggregationJobs.class);

    private final OpenSearchConfig openSearch;
    private final Path logDir;
    private final LocalJobSettings settings;
    private final Clock clock;
    private final String mainClass;
    private final Map<String, JobStatus> jobs = new ConcurrentHashMap<>();
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    /** Every child's attempts per job, as GET /v1/jobs/{id} shows them. */
    private final Map<String, List<JobAttempt>> attempts = new ConcurrentHashMap<>();
    /**
     * Each array job's children, by array index, as DescribeJobs answers for a child's id ({@code <id>:<index>}, which
     * the attempts name): which child failed, and why, without reading the whole job's log. Guarded by {@code this}.
     */
    private final Map<String, ChildStatus[]> arrayChildren = new ConcurrentHashMap<>();
    /** Finished jobs, oldest first: the first to go when there are too many. Guarded by {@code this}. */
    private final Deque<String> finished = new ArrayDeque<>();
    // Two at a time, like a small compute environment; more queue up as RUNNABLE.
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private volatile boolean closed;

    public LocalAggregationJobs(OpenSearchConfig openSearch, Path logDir, LocalJobSettings settings, Clock clock) {
        this(openSearch, logDir, settings, clock, JOB_MAIN);
    }

    /** Runs {@code mainClass} in place of the aggregation job: tests drive the runner with a job of their own. */
    LocalAggregationJobs(OpenSearchConfig openSearch, Path logDir, LocalJobSettings settings, Clock clock, String mainClass) {
        this.openSearch = openSearch;
        this.logDir = logDir;
        this.settings = settings;
        this.clock = clock;
        this.mainClass = mainClass;
        deleteLogsOfEarlierRuns();
    }

    /** This run cannot answer for the jobs of earlier runs, and their logs would otherwise pile up across restarts. */
    private void deleteLogsOfEarlierRuns() {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(logDir)) {
            List<Path> newestFirst = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparing(LocalAggregationJobs::lastModified).reversed()).toList();
            for (Path old : newestFirst.subList(Math.min(settings.finishedJobsKept(), newestFirst.size()), newestFirst.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete old job logs in {}: {}", logDir, e.toString());
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JobStatus submit(JobRequest request) {
        return start(request.arguments(), request.arraySize(), request, BatchAggregationJobs.jobName(request));
    }

    /** Submits a job with arbitrary job arguments (the scheduler's {@code --incremental}). */
    public JobStatus start(List<String> arguments, int arraySize, JobRequest request, String name) {
        String id = UUID.randomUUID().toString();
        JobStatus submitted = JobStatus.submitted(id, name, request, clock.instant());
        jobs.put(id, submitted);
        if (arraySize > 1) {
            ChildStatus[] queued = new ChildStatus[arraySize];
            java.util.Arrays.fill(queued, ChildStatus.QUEUED);
            arrayChildren.put(id, queued);
        }
        update(id, JobState.RUNNABLE, null, null, null, Map.of(JobState.RUNNABLE, arraySize));
        workers.submit(() -> run(id, arguments, arraySize));
        return jobs.get(id);
    }

    @Override
    public synchronized Optional<JobStatus> describe(String id) {
        JobStatus job = jobs.get(id);
        if (job != null) {
            return Optional.of(job);
        }
        int colon = id.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String parentId = id.substring(0, colon);
        JobStatus parent = jobs.get(parentId);
        ChildStatus[] of = arrayChildren.get(parentId);
        Integer index = arrayIndex(id.substring(colon + 1));
        if (parent == null || of == null || index == null || index >= of.length) {
            return Optional.empty();
        }
        ChildStatus child = of[index];
        List<JobAttempt> own = parent.attempts().stream().filter(a -> index.equals(a.arrayIndex())).toList();
        return Optional.of(new JobStatus(id, parent.name(), child.state(), child.reason(), parent.createdAt(), child.startedAt(),
                child.stoppedAt(), parent.request(), Map.of(), own));
    }

    /** A child's array index as its id spells it (digits only, as Batch writes them); null for anything else. */
    private static Integer arrayIndex(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Integer.parseInt(text);
    }

    /** One array child's state as DescribeJobs gives it for the child's own id. */
    private record ChildStatus(JobState state, String reason, Instant startedAt, Instant stoppedAt) {
        static final ChildStatus QUEUED = new ChildStatus(JobState.RUNNABLE, null, null, null);
    }

    private synchronized void child(String id, int index, ChildStatus status) {
        ChildStatus[] of = arrayChildren.get(id);
        if (of != null) {
            of[index] = status;
        }
    }

    /** Children that never ran fail with the job, as Batch fails the children of a terminated array job. */
    private synchronized void failQueuedChildren(String id, String reason, Instant at) {
        ChildStatus[] of = arrayChildren.get(id);
        if (of == null) {
            return;
        }
        for (int i = 0; i < of.length; i++) {
            if (of[i].state() == JobState.RUNNABLE || of[i].state() == JobState.RUNNING) {
                of[i] = new ChildStatus(JobState.FAILED, reason, of[i].startedAt(), at);
            }
        }
    }

    /** This run's jobs (finished ones as long as they are kept), newest first. */
    @Override
    public List<JobStatus> recent(int limit) {
        return jobs.values().stream()
                .sorted(Comparator.comparing(JobStatus::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(limit)
                .map(JobStatus::listed)
                .toList();
    }

    /** Waits until the job is done; its final status. */
    public JobStatus await(String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            JobStatus status = jobs.get(id);
            if (status == null) {
                throw new IllegalStateException("no job with id " + id + " (unknown, or evicted by " + settings.finishedJobsKept()
                        + " jobs that finished after it)");
            }
            if (isDone(status.state())) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + id + " did not finish within " + limit);
    }

    public Path logFile(String id) {
        return logDir.resolve(id + ".log");
    }

    private void run(String id, List<String> arguments, int arraySize) {
        Instant started = clock.instant();
        Map<JobState, Integer> children = new EnumMap<>(JobState.class);
        children.put(JobState.RUNNABLE, arraySize);
        update(id, JobState.RUNNING, null, started, null, children);
        String failure = null;
        ChildEnd stoppedBy = null;
        int childrenDone = 0;
        JobLogFile log = new JobLogFile(logFile(id), id, settings.logBytesPerJob(), clock);
        for (int index = 0; index < arraySize; index++) {
            if (closed) {
                // Local mode is stopping: the remaining children must not start, each one a JVM nothing would stop.
                break;
            }
            children.merge(JobState.RUNNABLE, -1, Integer::sum);
            children.merge(JobState.RUNNING, 1, Integer::sum);
            Instant childStarted = clock.instant();
            child(id, index, new ChildStatus(JobState.RUNNING, null, childStarted, null));
            update(id, JobState.RUNNING, null, started, null, children);
            ChildEnd end = runChild(id, arguments, index, arraySize, log);
            children.merge(JobState.RUNNING, -1, Integer::sum);
            children.merge(end.failure() == null ? JobState.SUCCEEDED : JobState.FAILED, 1, Integer::sum);
            child(id, index, new ChildStatus(end.failure() == null ? JobState.SUCCEEDED : JobState.FAILED, end.failure(), childStarted,
                    clock.instant()));
            if (end.stopped()) {
                stoppedBy = end;
                break;
            }
            childrenDone++;
            failure = failure == null ? end.failure() : failure;
        }
        if (childrenDone < arraySize) {
            // As Batch fails the children of a terminated array job that never ran.
            children.merge(JobState.FAILED, children.getOrDefault(JobState.RUNNABLE, 0), Integer::sum);
            children.remove(JobState.RUNNABLE);
            children.values().removeIf(n -> n == 0);
            String detail = arraySize > 1 ? " (" + childrenDone + " of " + arraySize + " children had finished)" : "";
            String reason = stoppedBy == null || stoppedBy == ChildEnd.STOPPED ? stoppedReason(detail) : stoppedBy.failure() + detail;
            failQueuedChildren(id, stoppedReason(""), clock.instant());
            update(id, JobState.FAILED, reason, started, clock.instant(), children);
            LOG.warn("aggregation job {}: {}", id, reason);
            return;
        }
        children.values().removeIf(n -> n == 0);
        update(id, failure == null ? JobState.SUCCEEDED : JobState.FAILED, failure, started, clock.instant(), children);
        LOG.info("aggregation job {} {}", id, failure == null ? "succeeded" : "failed: " + failure);
    }

    /** Exit codes of a JVM ended by SIGINT and SIGTERM (128 + the signal). */
    private static final int SIGINT_EXIT = 130;
    private static final int SIGTERM_EXIT = 143;

    private static String stoppedReason(String detail) {
        return "Stopped: local mode shut down before the job finished" + detail;
    }

    /** How one array child ended: {@code failure} is null when it succeeded; {@code stopped} when local mode stopped it. */
    private record ChildEnd(String failure, boolean stopped) {
        static final ChildEnd SUCCEEDED = new ChildEnd(null, false);
        static final ChildEnd STOPPED = new ChildEnd("stopped with local mode", true);

        static ChildEnd failed(String reason) {
            return new ChildEnd(reason, false);
        }

        static ChildEnd signalled(int exit) {
            return new ChildEnd("Stopped: the job's process was ended by a signal (exit code " + exit + ")", true);
        }
    }

    /** One array child, tried again when it fails for a reason of its own (not exit 2 or 3, a signal or the timeout). */
    private ChildEnd runChild(String id, List<String> arguments, int index, int arraySize, JobLogFile log) {
        String reason = null;
        String key = id + ":" + index;
        for (int attempt = 1; attempt <= JobExitCodes.DEFAULT_ATTEMPTS; attempt++) {
            Process process = null;
            Thread copier = null;
            Instant attemptStarted = null;
            // What the attempt's record says of its end; null for a clean exit.
            String ended = STOPPED_WITH_LOCAL_MODE;
            try {
                Files.createDirectories(logDir);
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // As the container's entry point: the first OutOfMemoryError ends the JVM with exit 3. The heap
                        // is a third of the container's (75 % of the stack's 2048 MiB), so that two jobs at a time fit
                        // beside OpenSearch on a laptop; local/README.md says what that costs.
                        "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), mainClass));
                command.addAll(arguments);
                // A pipe, not the file itself: the runner decides how much of the output is kept.
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                Map<String, String> env = builder.environment();
                env.putAll(settings.environment());
                env.put("ROLLCALL_OPENSEARCH_ENDPOINT", openSearch.endpoint().toString());
                env.put("ROLLCALL_OPENSEARCH_AUTH", "none");
                env.put("ROLLCALL_INDEX_PREFIX", openSearch.indexNames().prefix());
                env.put("ROLLCALL_INDEX_REPLICAS", Integer.toString(openSearch.replicas()));
                env.put("AWS_BATCH_JOB_ID", arraySize > 1 ? key : id);
                env.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
                if (arraySize > 1) {
                    env.put("AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index));
                    env.put(ArrayJobSize.VARIABLE, Integer.toString(arraySize));
                }
                if (closed) {
                    return ChildEnd.STOPPED;
                }
                attemptStarted = clock.instant();
                process = builder.start();
                running.put(key, process);
                Process child = process;
                copier = Thread.ofVirtual().name("job-log-" + key).start(() -> copyOutput(child, log));
                if (closed) {
                    // close() may have looked at the running children before this one was among them.
                    stop(process);
                    return ChildEnd.STOPPED;
                }
                if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    // As Batch ends an attempt that ran too long: SIGTERM first, so the job can give up its run lease
                    // (or the next run waits for it to expire), SIGKILL only after the grace period.
                    LOG.warn("aggregation job {} child {} attempt {} exceeded its timeout of {}: SIGTERM, SIGKILL after {}",
                            id, index, attempt, settings.timeout(), settings.stopGrace());
                    stop(process);
                    // Batch does not retry an attempt it stopped for its timeout.
                    ended = TIMED_OUT;
                    return ChildEnd.failed(TIMED_OUT);
                }
                int exit = process.exitValue();
                if (exit == 0) {
                    ended = null;
                    return ChildEnd.SUCCEEDED;
                }
                if (closed) {
                    return ChildEnd.STOPPED; // ended by close()'s SIGTERM, not by a fault of its own
                }
                if (exit == SIGINT_EXIT || exit == SIGTERM_EXIT) {
                    // Ended from outside: Ctrl-C reaches the children too (they share the terminal's process group),
                    // before local mode's own stop gets to them. A retry, or the next child, would start a JVM during
                    // the shutdown, against an OpenSearch that is stopping as well.
                    ended = "ended by a signal";
                    return ChildEnd.signalled(exit);
                }
                reason = "Essential container in task exited (exit code " + exit + "); see " + logFile(id);
                ended = "Essential container in task exited";
                if (exit == JobExitCodes.BAD_USAGE || exit == JobExitCodes.OUT_OF_MEMORY) {
                    return ChildEnd.failed(reason); // bad arguments, a heap too small: retrying cannot help
                }
            } catch (IOException e) {
                reason = "could not start the job: " + e.getMessage();
            } catch (InterruptedException e) {
                // close() interrupts the workers: the child gets the stop Batch gives a container.
                if (process != null) {
                    stop(process);
                }
                Thread.currentThread().interrupt();
                return ChildEnd.STOPPED;
            } finally {
                running.remove(key);
                awaitCopied(copier);
                if (process != null) {
                    recordAttempt(id, arraySize > 1 ? index : null, attemptStarted, process, ended);
                }
            }
        }
        return ChildEnd.failed(reason);
    }

    private static final String STOPPED_WITH_LOCAL_MODE = "stopped with local mode";
    private static final String TIMED_OUT = "Job attempt duration exceeded timeout";

    /** Adds an ended attempt, and shows it at once: a retry that runs for minutes must not hide why the first failed. */
    private synchronized void recordAttempt(String id, Integer arrayIndex, Instant started, Process process, String reason) {
        Integer exit = process.isAlive() ? null : process.exitValue();
        attempts.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new JobAttempt(arrayIndex, started, clock.instant(), exit, reason, logFile(id).toString()));
        JobStatus old = jobs.get(id);
        if (old != null) {
            jobs.put(id, new JobStatus(id, old.name(), old.state(), old.statusReason(), old.createdAt(), old.startedAt(), old.stoppedAt(),
                    old.request(), old.children(), attempts.get(id)));
        }
    }

    private void copyOutput(Process child, JobLogFile log) {
        try (InputStream output = child.getInputStream()) {
            log.copy(output);
        } catch (IOException e) {
            LOG.warn("could not write the log of job child {}: {}", child.pid(), e.toString());
        }
    }

    /** The next attempt appends to the same file: this one's output must be in it first. */
    private static void awaitCopied(Thread copier) {
        if (copier == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            // Bounded: a grandchild that inherited the pipe could keep it open.
            copier.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if the child has not exited after the grace period. */
    private void stop(Process process) {
        // By its handle: Process.destroy() also closes the pipe, losing what the job says while it stops.
        process.toHandle().destroy();
        boolean interrupted = Thread.interrupted();
        try {
            if (!process.waitFor(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void update(String id, JobState state, String reason, Instant started, Instant stopped, Map<JobState, Integer> children) {
        JobStatus old = jobs.get(id);
        if (old == null) {
            return; // evicted meanwhile
        }
        jobs.put(id, new JobStatus(id, old.name(), state, reason, old.createdAt(), started, stopped, old.request(),
                children.size() > 1 || children.values().stream().anyMatch(n -> n > 1) ? new EnumMap<>(children) : Map.of(),
                attempts.getOrDefault(id, List.of())));
        if (isDone(state) && !isDone(old.state())) {
            finished.add(id);
            while (finished.size() > settings.finishedJobsKept()) {
                evict(finished.remove());
            }
        }
    }

    private static boolean isDone(JobState state) {
        return state == JobState.SUCCEEDED || state == JobState.FAILED;
    }

    private void evict(String id) {
        jobs.remove(id);
        arrayChildren.remove(id);
        attempts.remove(id);
        try {
            Files.deleteIfExists(logFile(id));
        } catch (IOException e) {
            LOG.warn("could not delete the log of evicted job {}: {}", id, e.toString());
        }
    }

    /**
     * Starts no child from now on; those running go on until {@link #close}. Local mode stopping calls this first:
     * Ctrl-C ends the running children at once (one process group), which frees workers for queued jobs while the
     * rest of local mode still closes.
     */
    public void stopStarting() {
        closed = true;
    }

    /**
     * Stops the workers and the children they run: no further child starts, each running one gets SIGTERM and, after
     * the grace period, SIGKILL; every job not finished by then says it was stopped.
     */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        try {
            workers.awaitTermination(settings.stopGrace().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(Process::destroyForcibly);
        Instant now = clock.instant();
        for (JobStatus job : jobs.values()) {
            if (!isDone(job.state())) {
                // Queued ones never reached a worker, so nothing else will say what became of them.
                Map<JobState, Integer> children = new EnumMap<>(JobState.class);
                job.children().forEach((state, n) -> children.merge(state == JobState.SUCCEEDED ? state : JobState.FAILED, n, Integer::sum));
                failQueuedChildren(job.id(), stoppedReason(""), now);
                update(job.id(), JobState.FAILED, stoppedReason(""), job.startedAt(), now, children);
            }
        }
    }
}
