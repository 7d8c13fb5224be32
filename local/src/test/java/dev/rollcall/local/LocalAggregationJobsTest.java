package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobStatus;

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
        assertThat(stopped.stoppedAt()).isNotNull();
        // Long enough for a child started after the stop to say so.
        Thread.sleep(1500);
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

        jobs.close();

        for (JobStatus job : List.of(first, second, queued)) {
            assertThat(jobs.describe(job.id()).orElseThrow()).satisfies(status -> {
                assertThat(status.state()).isEqualTo(JobState.FAILED);
                assertThat(status.statusReason()).startsWith("Stopped: local mode shut down");
            });
        }
    }

    @Test
    void aChildPastItsTimeoutGetsSigtermSoItCanReleaseItsLeaseAndIsNotRetried() throws Exception {
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

    private LocalAggregationJobs runner(Duration timeout, Duration stopGrace) {
        return new LocalAggregationJobs(UNUSED, logs, new LocalJobSettings(timeout, stopGrace), Clock.systemUTC(), StandInJob.class.getName());
    }

    static String log(LocalAggregationJobs jobs, String id) throws IOException {
        Path file = jobs.logFile(id);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static List<ProcessHandle> standIns() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(StandInJob.class.getName()))
                .toList();
    }
}
