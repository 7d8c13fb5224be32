package dev.rollcall.aggregate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.JobDoneLine;

/**
 * Structured log lines: one JSON object per line with time, level, job id, an event name and its fields, which
 * CloudWatch Logs Insights can filter on. Library log lines (SLF4J) arrive here too through {@link JsonLogProvider},
 * which {@code main} names as the SLF4J provider.
 */
public final class JsonLog {

    private static final JsonFactory JSON = AlertJson.mapper().getFactory();
    private static volatile JsonLog global = new JsonLog(System.out, "unknown", Clock.systemUTC());

    private final PrintStream out;
    private final String jobId;
    private final Clock clock;

    public JsonLog(PrintStream out, String jobId, Clock clock) {
        this.out = out;
        this.jobId = jobId;
        this.clock = clock;
    }

    /** Makes {@code log} the one library log lines go to. */
    public static JsonLog install(JsonLog log) {
        global = log;
        return log;
    }

    static JsonLog global() {
        return global;
    }

    public void info(String event, Map<String, ?> fields) {
        write("info", event, fields, null);
    }

    public void warn(String event, Map<String, ?> fields) {
        write("warn", event, fields, null);
    }

    /** An error; {@code failure} adds its stack trace, for failures nobody expected. */
    public void error(String event, Map<String, ?> fields, Throwable failure) {
        write("error", event, fields, failure);
    }

    void write(String level, String event, Map<String, ?> fields, Throwable failure) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.setCodec(AlertJson.mapper());
            g.writeStartObject();
            g.writeStringField("ts", clock.instant().toString());
            g.writeStringField("level", level);
            g.writeStringField("job_id", jobId);
            g.writeStringField(JobDoneLine.EVENT, event);
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                g.writeFieldName(field.getKey());
                Object value = field.getValue();
                g.writeObject(value instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : value);
            }
            if (failure != null) {
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                g.writeStringField("stack_trace", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.write('\n');
        synchronized (out) {
            out.write(line.toByteArray(), 0, line.size());
            out.flush();
        }
    }
}
