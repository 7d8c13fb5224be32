package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.jobs.JobAttempt;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobSizing;
import dev.rollcall.query.jobs.JobStatus;
import dev.rollcall.query.jobs.JobsEndpoint;

/**
 * The local job runner with real child JVMs running {@link StandInJob}: how it stops children, times them out and
 * bounds what it keeps. No OpenSearch is needed: the stand-in never calls the endpoint it is given.
 */
class LocalAggregationJobsTest {

    private static final OpenSearchConfig UNUSED = OpenSearchConfig.local(URI.create("http://127.0.0.1:9"), "rollcall");

    @TempDir
    Path logs;

    @AfterEach
    void noStandInLeftRunning() {
        List<ProcessHandle> left = standIns();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("stand-in jobs still running after the test").isEmpty();
    }

    @Test
    void stoppingDuringAnArrayJobStartsNoFurtherChildAndSaysTheJobWasStopped() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(5), Duration.ofSeconds(10));
        JobStatus array = jobs.start(List.of("sleep", "60"), 4, null, "array");
        await().atMost(Duration.ofSeconds(30)).until(() -> log(jobs, array.id()).contains("started index=0"));

        jobs.close();

        JobStatus stopped = jobs.describe(array.id()).orElseThrow();
        assertThat(stopped.state()).isEqualTo(JobState.FAILED);
        assertThat(stopped.statusReason()).isEqualTo("Stopped: local mode shut down before the job finished (0 of 4 children had finished)");
        assertThat(stopped.children()).isEqualTo(Map.of(JobState.FAILED, 4));
        // A list shows what Batch's ListJobs shows: no per-child counts.
        assertThat(jobs.recent(10)).singleElement().satisfies(listed -> {
            assertThat(listed.id()).isEqualTo(array.id());
            assertThat(listed.children()).isEmpty();
        });
        assertThat(stopped.stoppedAt()).isNotNull();
        // The one child that ran, stopped as Batch stops a container: SIGTERM, on which the job exits 143.
        assertThat(stopped.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.arrayIndex()).isZero();
            assertThat(attempt.exitCode()).isEqualTo(143);
            assertThat(attempt.reason()).isEqualTo("stopped with local mode");
        });
        // Each child by its own id, as Batch's DescribeJobs answers for it: the one stopped, the others never run.
        assertThat(jobs.describe(array.id() + ":0").orElseThrow()).satisfies(child -> {
            assertThat(child.state()).isEqualTo(JobState.FAILED);
            assertThat(child.statusReason()).isEqualTo("stopped with local mode");
            assertThat(child.attempts()).extracting(JobAttempt::exitCode).containsExactly(143);
        });
        assertThat(jobs.describe(array.id() + ":3").orElseThrow()).satisfies(child -> {
            assertThat(child.state()).isEqualTo(JobState.FAILED);
            assertThat(child.statusReason()).startsWith("Stopped: local mode shut down");
            assertThat(child.startedAt()).isNull();
            assertThat(child.attempts()).isEmpty();
        });
        // The processes, not only the log: a child JVM started after the stop may not have written a line yet.
        Thread.sleep(1500);
        assertThat(standIns()).as("no child started after the stop").isEmpty();
        assertThat(log(jobs, array.id())).contains("terminated").doesNotContain("started index=1");
    }

    @Test
    void aJobStillQueuedWhenLocalModeStopsSaysItWasStopped() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(5), Duration.ofSeconds(10));
        JobStatus first = jobs.start(List.of("sleep", "60"), 1, null, "first");
        JobStatus second = jobs.start(List.of("sleep", "60"), 1, null, "second");
        JobStatus queued = jobs.start(List.of("sleep", "60"), 1, null, "queued");
        await().atMost(Duration.ofSeconds(30)).until(() -> log(jobs, first.id()).contains("started") && log(jobs, second.id()).contains("started"));
        assertThat(jobs.describe(queued.id()).orElseThrow().state()).isEqualTo(JobState.RUNNABLE);
        // GET /v1/jobs in local mode: this run's jobs, newest first, at most the limit.
        assertThat(jobs.recent(10)).extracting(JobStatus::id).containsExactlyInAnyOrder(first.id(), second.id(), queued.id());
        assertThat(jobs.recent(10)).extracting(JobStatus::createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(jobs.recent(2)).hasSize(2);

        jobs.close();

        for (JobStatus job : List.of(first, second, queued)) {
            assertThat(jobs.describe(job.id()).orElseThrow()).satisfies(status -> {
                assertThat(status.state()).isEqualTo(JobState.FAILED);
                assertThat(status.statusReason()).startsWith("Stopped: local mode shut down");
            });
        }
    }

    @Test
    void aChildPastItsTimeoutGetsSigtermRatherThanSigkillAndIsNotRetried() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofSeconds(2), Duration.ofSeconds(20));
        JobStatus job = jobs.start(List.of("sleep", "60"), 1, null, "slow");

        JobStatus done = jobs.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.statusReason()).isEqualTo("Job attempt duration exceeded timeout");
        // The job's SIGTERM hook ran (a SIGKILL runs none), and it exited long before the grace period was up.
        assertThat(log(jobs, job.id())).contains("terminated").doesNotContain("attempt=2");
        assertThat(Duration.between(done.startedAt(), done.stoppedAt())).isLessThan(Duration.ofSeconds(15));
        jobs.close();
    }

    /**
     * Ctrl-C reaches the job's JVM before local mode's own stop does: a child ended by a signal is stopped, neither
     * retried nor followed by the next child while everything shuts down.
     */
    @Test
    void aChildEndedByASignalIsStoppedNotRetried() throws Exception {
        assumeTrue(childrenHearSigint(), SIGINT_IGNORED);
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(5), Duration.ofSeconds(10));
        JobStatus array = jobs.start(List.of("sleep", "60"), 2, null, "interrupted");
        await().atMost(Duration.ofSeconds(30)).until(() -> log(jobs, array.id()).contains("started index=0"));
        ProcessHandle child = standIns().get(0);

        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor()).isZero();
        JobStatus done = jobs.await(array.id(), Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.statusReason()).isEqualTo("Stopped: the job's process was ended by a signal (exit code 130) (0 of 2 children had finished)");
        assertThat(log(jobs, array.id())).contains("terminated").doesNotContain("attempt=2").doesNotContain("started index=1");
        jobs.close();
    }

    /** Once local mode stops starting jobs, a worker that Ctrl-C freed does not start the queued one. */
    @Test
    void aQueuedJobDoesNotStartOnceLocalModeIsStopping() throws Exception {
        assumeTrue(childrenHearSigint(), SIGINT_IGNORED);
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(5), Duration.ofSeconds(10));
        JobStatus first = jobs.start(List.of("sleep", "60"), 1, null, "first");
        JobStatus second = jobs.start(List.of("sleep", "60"), 1, null, "second");
        JobStatus queued = jobs.start(List.of("sleep", "60"), 1, null, "queued");
        await().atMost(Duration.ofSeconds(30)).until(() -> standIns().size() == 2);

        jobs.stopStarting();
        for (ProcessHandle child : standIns()) {
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor()).isZero();
        }
        jobs.await(first.id(), Duration.ofSeconds(30));
        jobs.await(second.id(), Duration.ofSeconds(30));
        Thread.sleep(1500);

        // The processes, not only the log: a child JVM started late may not have written a line yet, and a stand-in
        // that started would still be sleeping.
        assertThat(standIns()).as("no child started after the stop").isEmpty();
        assertThat(log(jobs, queued.id())).doesNotContain("started");
        jobs.close();
        assertThat(jobs.describe(queued.id()).orElseThrow().statusReason()).startsWith("Stopped: local mode shut down");
    }

    /** A failed attempt shows while the retry runs, as DescribeJobs shows a retried job's earlier attempts. */
    @Test
    void aFailedAttemptShowsWhileItsRetryRuns() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(1), Duration.ofSeconds(5));
        JobStatus job = jobs.start(List.of("fail-first", "3"), 1, null, "fail-first");

        await().atMost(Duration.ofSeconds(30)).until(() -> log(jobs, job.id()).contains("attempt=2"));
        JobStatus retrying = jobs.describe(job.id()).orElseThrow();
        assertThat(retrying.state()).isEqualTo(JobState.RUNNING);
        assertThat(retrying.attempts()).extracting(JobAttempt::exitCode).containsExactly(1);

        JobStatus done = jobs.await(job.id(), Duration.ofSeconds(60));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempts()).extracting(JobAttempt::exitCode).containsExactly(1, 0);
        jobs.close();
    }

    /** As the job definition's environment: what the settings add reaches every child (the demo's start of collecting). */
    @Test
    void everyChildGetsTheEnvironmentTheSettingsAdd() throws Exception {
        LocalAggregationJobs jobs = runner(LocalJobSettings.of(Duration.ofMinutes(1), Duration.ofSeconds(5))
                .with("ROLLCALL_COLLECTING_SINCE", "2026-11-07T02:00:00Z"));
        JobStatus job = jobs.start(List.of("exit", "0"), 1, null, "with-environment");

        JobStatus done = jobs.await(job.id(), Duration.ofSeconds(60));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.exitCode()).isZero();
            assertThat(attempt.reason()).isNull();
        });
        assertThat(log(jobs, job.id())).contains("collecting_since=2026-11-07T02:00:00Z");
        jobs.close();
    }

    /**
     * As the job definition's retry strategy: exit 1 (a fault that may pass) is tried up to the stack's default three
     * attempts, so a fault that has passed by the third does not fail the job; bad arguments and a heap too small (the
     * container's JVM exits 3 on its first OutOfMemoryError, as local mode's children do) are not tried again.
     */
    @Test
    void aChildThatExitsWithOneIsTriedThreeTimesAndOneWithBadArgumentsOrOutOfMemoryOnce() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(1), Duration.ofSeconds(5));
        JobStatus failsTwice = jobs.start(List.of("fail-attempts", "2"), 1, null, "fails-twice");
        JobStatus failing = jobs.start(List.of("exit", "1"), 1, null, "failing");
        JobStatus badArguments = jobs.start(List.of("exit", "2"), 1, null, "bad-arguments");
        JobStatus outOfMemory = jobs.start(List.of("fill-heap", "16"), 1, null, "out-of-memory");

        JobStatus recovered = jobs.await(failsTwice.id(), Duration.ofSeconds(60));
        assertThat(recovered.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(recovered.attempts()).extracting(JobAttempt::exitCode).containsExactly(1, 1, 0);
        JobStatus failed = jobs.await(failing.id(), Duration.ofSeconds(60));
        JobStatus refused = jobs.await(badArguments.id(), Duration.ofSeconds(60));
        JobStatus exhausted = jobs.await(outOfMemory.id(), Duration.ofSeconds(60));
        assertThat(exhausted.state()).isEqualTo(JobState.FAILED);
        assertThat(exhausted.statusReason()).startsWith("Essential container in task exited (exit code 3)");
        // Each attempt as GET /v1/jobs/{id} shows it: its exit code and where its log is.
        assertThat(failed.attempts()).extracting(JobAttempt::exitCode).containsExactly(1, 1, 1);
        assertThat(failed.attempts()).allSatisfy(attempt -> {
            assertThat(attempt.arrayIndex()).isNull();
            assertThat(attempt.reason()).isEqualTo("Essential container in task exited");
            assertThat(attempt.log()).isEqualTo(jobs.logFile(failing.id()).toString());
            assertThat(attempt.stoppedAt()).isAfterOrEqualTo(attempt.startedAt());
        });
        for (int i = 1; i < failed.attempts().size(); i++) {
            assertThat(failed.attempts().get(i).startedAt()).isAfterOrEqualTo(failed.attempts().get(i - 1).stoppedAt());
        }
        assertThat(refused.attempts()).extracting(JobAttempt::exitCode).containsExactly(2);
        assertThat(exhausted.attempts()).extracting(JobAttempt::exitCode).containsExactly(3);
        assertThat(log(jobs, outOfMemory.id())).contains("attempt=1").contains("Terminating due to java.lang.OutOfMemoryError")
                .doesNotContain("attempt=2");

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.statusReason()).startsWith("Essential container in task exited (exit code 1)");
        assertThat(log(jobs, failing.id())).contains("attempt=1", "attempt=2", "attempt=3").doesNotContain("attempt=4");
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(refused.statusReason()).startsWith("Essential container in task exited (exit code 2)");
        assertThat(log(jobs, badArguments.id())).contains("attempt=1").doesNotContain("attempt=2");
        jobs.close();
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledOnceTheGracePeriodIsUp() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofSeconds(1), Duration.ofSeconds(2));
        JobStatus job = jobs.start(List.of("hang-on-term", "60"), 1, null, "stubborn");

        JobStatus done = jobs.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.statusReason()).isEqualTo("Job attempt duration exceeded timeout");
        assertThat(log(jobs, job.id())).contains("terminated");
        assertThat(Duration.between(done.startedAt(), done.stoppedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        jobs.close();
    }

    /**
     * The ids the attempts of an array job name (and the job's log, and Batch's console) are each a status of its own:
     * {@code GET /v1/jobs/<id>:<index>} answers in local mode as Batch answers it, not 404.
     */
    @Test
    void eachChildOfAnArrayJobIsDescribedByItsOwnId() throws Exception {
        LocalAggregationJobs jobs = runner(Duration.ofMinutes(1), Duration.ofSeconds(5));
        JobStatus array = jobs.start(List.of("fail-attempts", "1"), 2, null, "array");
        JobStatus single = jobs.start(List.of("exit", "0"), 1, null, "single");
        JobStatus done = jobs.await(array.id(), Duration.ofSeconds(60));
        jobs.await(single.id(), Duration.ofSeconds(60));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);

        for (int index = 0; index < 2; index++) {
            int i = index;
            assertThat(jobs.describe(array.id() + ":" + index).orElseThrow()).satisfies(child -> {
                assertThat(child.id()).isEqualTo(array.id() + ":" + i);
                assertThat(child.name()).isEqualTo("array");
                assertThat(child.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(child.statusReason()).isNull();
                assertThat(child.children()).isEmpty();
                assertThat(child.attempts()).extracting(JobAttempt::arrayIndex).containsOnly(i);
                assertThat(child.attempts()).extracting(JobAttempt::exitCode).containsExactly(1, 0);
                assertThat(child.startedAt()).isNotNull();
                assertThat(child.stoppedAt()).isAfterOrEqualTo(child.startedAt());
            });
        }
        assertThat(jobs.describe(array.id() + ":2")).isEmpty();
        assertThat(jobs.describe(array.id() + ":-1")).isEmpty();
        assertThat(jobs.describe(array.id() + ":")).isEmpty();
        assertThat(jobs.describe(single.id() + ":0")).as("a single job has no children").isEmpty();
        assertThat(jobs.describe(UUID.randomUUID() + ":0")).isEmpty();
        JobsEndpoint api = new JobsEndpoint(jobs, JobSizing.defaults(), Clock.systemUTC());
        assertThat(api.status(array.id() + ":1").status()).isEqualTo(200);
        jobs.close();
    }

    @Test
    void onlyTheLastFinishedJobsAreKeptAndAnEvictedOneIsA404AsAnUnknownId() throws Exception {
        LocalAggregationJobs jobs = runner(new LocalJobSettings(Duration.ofMinutes(1), Duration.ofSeconds(5), 2, 1024));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = jobs.start(List.of("print", "100"), 1, null, "short").id();
            assertThat(jobs.await(id, Duration.ofSeconds(30)).state()).isEqualTo(JobState.SUCCEEDED);
            ids.add(id);
        }

        assertThat(jobs.describe(ids.get(0))).isEmpty();
        assertThat(jobs.logFile(ids.get(0))).doesNotExist();
        assertThat(jobs.describe(ids.get(1))).isPresent();
        assertThat(jobs.describe(ids.get(2))).isPresent();
        assertThat(jobs.logFile(ids.get(2))).exists();
        JobsEndpoint api = new JobsEndpoint(jobs, JobSizing.defaults(), Clock.systemUTC());
        String unknown = UUID.randomUUID().toString();
        assertThatThrownBy(() -> api.status(ids.get(0))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("no job with id " + ids.get(0));
        });
        assertThatThrownBy(() -> api.status(unknown)).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(api.status(ids.get(2)).status()).isEqualTo(200);
        jobs.close();
    }

    @Test
    void aJobsLogStopsAtItsLimitWithAMarkerLineAndTheJobStillFinishes() throws Exception {
        LocalAggregationJobs jobs = runner(new LocalJobSettings(Duration.ofMinutes(1), Duration.ofSeconds(5), 10, 10_000));
        // Far more than a pipe holds: a runner that stopped reading would block the child forever.
        JobStatus job = jobs.start(List.of("print", "2000000"), 1, null, "chatty");

        assertThat(jobs.await(job.id(), Duration.ofSeconds(30)).state()).isEqualTo(JobState.SUCCEEDED);

        List<String> lines = Files.readAllLines(jobs.logFile(job.id()));
        assertThat(Files.size(jobs.logFile(job.id()))).isBetween(10_000L, 10_500L);
        assertThat(lines.get(0)).startsWith("started index=none");
        JsonNode marker = AlertJson.readTree(lines.get(lines.size() - 1));
        assertThat(marker.path("event").asText()).isEqualTo("log_truncated");
        assertThat(marker.path("level").asText()).isEqualTo("warn");
        assertThat(marker.path("job_id").asText()).isEqualTo(job.id());
        assertThat(marker.path("limit_bytes").asLong()).isEqualTo(10_000L);
        jobs.close();
    }

    @Test
    void logsOfEarlierRunsBeyondTheKeptNumberAreDeletedAtStart() throws Exception {
        for (int i = 0; i < 5; i++) {
            Path old = Files.writeString(logs.resolve("earlier-" + i + ".log"), "x");
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.writeString(logs.resolve("notes.txt"), "not a job log");

        runner(new LocalJobSettings(Duration.ofMinutes(1), Duration.ofSeconds(5), 2, 1024)).close();

        try (var left = Files.list(logs)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("earlier-3.log", "earlier-4.log", "notes.txt");
        }
    }

    private LocalAggregationJobs runner(Duration timeout, Duration stopGrace) {
        return runner(LocalJobSettings.of(timeout, stopGrace));
    }

    private LocalAggregationJobs runner(LocalJobSettings settings) {
        return new LocalAggregationJobs(UNUSED, logs, settings, Clock.systemUTC(), StandInJob.class.getName());
    }

    static String log(LocalAggregationJobs jobs, String id) throws IOException {
        Path file = jobs.logFile(id);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static final String SIGINT_IGNORED = "this JVM was started with SIGINT ignored (a shell's background job, "
            + "such as nohup ./rollcall test &), which its children inherit: no Ctrl-C can reach them here";

    /** Whether SIGINT can reach this JVM's children: ignored signals are inherited across fork and exec. */
    private static boolean childrenHearSigint() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return true;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                // SIGINT is signal 2: bit 1 of the mask.
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 0b10) == 0;
            }
        }
        return true;
    }

    private static List<ProcessHandle> standIns() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && commandLine(p).contains(StandInJob.class.getName()))
                .toList();
    }

    /**
     * The whole command line: on Linux, {@code ProcessHandle.Info} reads only the start of it, which a child's long
     * class path fills before the main class is named.
     */
    private static String commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Files.readString(proc, java.nio.charset.StandardCharsets.ISO_8859_1).replace('\0', ' ');
            }
        } catch (IOException e) {
            // the process ended meanwhile
        }
        return process.info().commandLine().orElse("");
    }
}
