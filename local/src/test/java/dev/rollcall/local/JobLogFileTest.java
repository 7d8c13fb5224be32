package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLogFileTest {

    /**
     * An attempt's output can stay open after the runner stopped waiting for it (a grandchild holding the pipe): the
     * next attempt's output must still be copied, or its child blocks on a full pipe until its timeout.
     */
    @Test
    void anOutputThatNeverEndsDoesNotHoldUpTheNextAttempts(@TempDir Path dir) throws Exception {
        JobLogFile log = new JobLogFile(dir.resolve("job.log"), "job-1", 1 << 20, Clock.systemUTC());
        PipedOutputStream stuckWriter = new PipedOutputStream();
        PipedInputStream stuck = new PipedInputStream(stuckWriter);
        stuckWriter.write("first attempt\n".getBytes(StandardCharsets.UTF_8));
        Thread first = Thread.ofVirtual().start(() -> {
            try {
                log.copy(stuck);
            } catch (Exception e) {
                // the pipe closes when the test ends
            }
        });
        // The first attempt's line is in the file before the second attempt starts: the order the file must keep.
        Path file = dir.resolve("job.log");
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readString(file).equals("first attempt\n"));

        Thread second = Thread.ofVirtual().start(() -> {
            try {
                log.copy(new ByteArrayInputStream("second attempt\n".getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(second.join(java.time.Duration.ofSeconds(5))).as("the second attempt's copy finished").isTrue();
        assertThat(Files.readString(dir.resolve("job.log"))).isEqualTo("first attempt\nsecond attempt\n");
        stuckWriter.close();
        first.join(TimeUnit.SECONDS.toMillis(5));
    }
}
