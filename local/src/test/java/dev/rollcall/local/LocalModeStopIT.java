package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode stopped by SIGTERM before it is ready: whatever it had started must stop with it. */
class LocalModeStopIT {

    @Test
    void sigtermWhileOpenSearchStartsLeavesNoProcessBehind(@TempDir Path temp) throws Exception {
        List<ProcessHandle> children = new CopyOnWriteArrayList<>();
        try (LocalProcess local = LocalProcess.start(LocalModeIT.dataDirUnder(temp), List.of("--schedule-minutes", "0"))) {
            // The node's JVM is up but takes many seconds more to answer, so local mode cannot be ready yet.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> openSearchNode(local.process).isPresent());
            children.addAll(local.process.descendants().toList());
            assertThat(local.output).noneMatch(line -> line.startsWith("rollcall local ready:"));

            local.process.destroy();

            assertThat(local.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                assertThat(children).noneMatch(ProcessHandle::isAlive);
                assertThat(LocalModeIT.portInUse(local.openSearchPort)).as("OpenSearch's port").isFalse();
                assertThat(LocalModeIT.portInUse(local.sqsPort)).as("ElasticMQ's port").isFalse();
            });
            // An expected stop: no stack trace of the start it cut short.
            assertThat(local.output).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
        } finally {
            // Without the fix the node outlives the test; the next test must not find it.
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static Optional<ProcessHandle> openSearchNode(Process local) {
        return local.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("org.opensearch.bootstrap.OpenSearch"))
                .findFirst();
    }
}
