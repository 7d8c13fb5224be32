package dev.rollcall.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * One job's log file, which its children's output is appended to in turn until it holds {@code limitBytes}; then it
 * gets one marker line, in the job's own JSON log format, and nothing more.
 */
final class JobLogFile {

    private final Path file;
    private final String jobId;
    private final long limitBytes;
    private final Clock clock;
    private long written;
    private boolean full;
    private boolean atLineStart = true;

    JobLogFile(Path file, String jobId, long limitBytes, Clock clock) {
        this.file = file;
        this.jobId = jobId;
        this.limitBytes = limitBytes;
        this.clock = clock;
    }

    /**
     * Appends {@code output} until it ends, keeping what fits under the limit. What does not fit is still read: a
     * child blocked on a full pipe would never exit. Only each write holds the file: an attempt whose output another
     * process still holds open must not keep the next attempt's copy from draining its own child.
     */
    void copy(InputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = output.read(buffer)) != -1) {
            append(buffer, read);
        }
    }

    private synchronized void append(byte[] buffer, int read) throws IOException {
        if (full) {
            return;
        }
        // Unbuffered on purpose: the file is read while the job runs.
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            int kept = (int) Math.min(read, limitBytes - written);
            if (kept > 0) {
                out.write(buffer, 0, kept);
                written += kept;
                atLineStart = buffer[kept - 1] == '\n';
            }
            if (kept < read) {
                full = true;
                out.write(marker().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private String marker() {
        return (atLineStart ? "" : "\n") + "{\"ts\":\"" + clock.instant() + "\",\"level\":\"warn\",\"job_id\":\"" + jobId
                + "\",\"event\":\"log_truncated\",\"limit_bytes\":" + limitBytes
                + ",\"message\":\"local mode keeps this much of a job's log; the rest of its output was dropped\"}\n";
    }
}
