package dev.rollcall.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.AlertStore;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchHttp;

/**
 * The aggregation job over N stored events, every interval and metric, run as its own JVM with a 512 MB heap, against
 * OpenSearch's own composite count aggregation (fingerprint by hour) over the same events: the floor for touching
 * the data once.
 */
final class AggregateScenario {

    static final String JOB_MAIN = "dev.rollcall.aggregate.AggregationJob";

    private AggregateScenario() {
    }

    /** Stores the bench events under {@code prefix} (not timed); returns how many documents the index holds. */
    static long load(BenchEnvironment env, String prefix, int events) throws Exception {
        var client = env.client(prefix);
        IndexNames names = new IndexNames(prefix);
        new IndexTemplateInstaller(client, names, 0).install();
        AlertStore store = new AlertStore(new BulkIndexer(client), names);
        List<Alert> alerts = BenchData.alerts(BenchData.events(21, events));
        for (int i = 0; i < alerts.size(); i += 5_000) {
            BulkResult result = store.store(alerts.subList(i, Math.min(alerts.size(), i + 5_000)), Instant.now().plusSeconds(120));
            if (!result.allSucceeded()) {
                throw new IllegalStateException("loading bench events failed: " + result.counts());
            }
        }
        OpenSearchHttp http = new OpenSearchHttp(client);
        http.execute("POST", "/" + prefix + "-events-*/_refresh", Map.of(), null, null);
        http.execute("POST", "/" + prefix + "-events-*/_forcemerge", Map.of("max_num_segments", "1"), null, null);
        // Generated events that repeat exactly are stored once, as ingestion stores them.
        OpenSearchHttp.Answer count = http.execute("GET", "/" + prefix + "-events-*/_count", Map.of(), null, null);
        if (!count.ok()) {
            throw new IllegalStateException("counting the bench events failed: " + count.text());
        }
        return AlertJson.readTree(count.body()).path("count").asLong();
    }

    static BenchResult run(BenchEnvironment env, String prefix, long documents) throws Exception {
        Instant from = BenchData.START.minus(Duration.ofDays(1));
        Instant to = BenchData.START.plus(Duration.ofDays(92));
        List<String> arguments = List.of("--from", from.toString(), "--to", to.toString(), "--interval", "all");
        // Twice, each after its own composite: the first on a node that has only just loaded the events, the second
        // on a warm one rewriting every rollup, as a scheduled rerun of the same window would on a live domain.
        double compositeSeconds = composite(env, prefix);
        long start = System.nanoTime();
        String output = runJob(env, prefix, arguments);
        double jobSeconds = (System.nanoTime() - start) / 1e9;
        double secondCompositeSeconds = composite(env, prefix);
        start = System.nanoTime();
        String rerun = runJob(env, prefix, arguments);
        double secondJobSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode summary = lastLine(output);
        requireWholeRun(summary, documents);
        requireWholeRun(lastLine(rerun), documents);
        return new BenchResult.Builder("aggregate")
                .put("documents", documents)
                .put("composite_count_seconds", compositeSeconds)
                .put("job_seconds", jobSeconds)
                .put("job_heap_mb_limit", 512)
                .put("job_events_read", summary.path("events_read").asLong())
                .put("job_elapsed_in_jvm_seconds", summary.path("elapsed_ms").asLong() / 1000.0)
                .put("job_rollups", summary.path("rollups_hour").asLong() + summary.path("rollups_day").asLong() + summary.path("rollups_month").asLong())
                .put("job_peak_heap_mb", summary.path("peak_heap_mb").asLong())
                .put("ratio_job_to_composite", jobSeconds / compositeSeconds)
                .put("rerun_composite_count_seconds", secondCompositeSeconds)
                .put("rerun_job_seconds", secondJobSeconds)
                .put("rerun_ratio_job_to_composite", secondJobSeconds / secondCompositeSeconds)
                .target("job_seconds <= 60 at 1,000,000 events; ratio_job_to_composite <= 3").build();
    }

    /** A composite aggregation paging through every (fingerprint, hour) of the events: seconds taken. */
    static double composite(BenchEnvironment env, String prefix) throws Exception {
        OpenSearchHttp http = new OpenSearchHttp(env.client(prefix));
        long start = System.nanoTime();
        JsonNode after = null;
        long buckets = 0;
        do {
            ObjectNode body = AlertJson.mapper().createObjectNode().put("size", 0);
            ObjectNode composite = body.putObject("aggs").putObject("k").putObject("composite").put("size", 10_000);
            var sources = composite.putArray("sources");
            sources.addObject().putObject("f").putObject("terms").put("field", "fingerprint");
            sources.addObject().putObject("h").putObject("date_histogram").put("field", "occurred_at").put("fixed_interval", "1h");
            if (after != null) {
                composite.set("after", after);
            }
            OpenSearchHttp.Answer answer = http.postJson("/" + prefix + "-events-*/_search", Map.of("request_cache", "false"),
                    AlertJson.toBytes(body));
            if (!answer.ok()) {
                throw new IllegalStateException("composite aggregation failed: " + answer.text());
            }
            JsonNode k = AlertJson.readTree(answer.body()).path("aggregations").path("k");
            buckets += k.path("buckets").size();
            after = k.path("buckets").isEmpty() ? null : k.get("after_key");
        } while (after != null);
        if (buckets == 0) {
            throw new IllegalStateException("the composite aggregation found no events under " + prefix);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs the job as the container would, in a JVM of its own with a 512 MB heap; its output. */
    static String runJob(BenchEnvironment env, String prefix, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), JOB_MAIN));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROLLCALL_OPENSEARCH_ENDPOINT", env.uri().toString());
        builder.environment().put("ROLLCALL_INDEX_PREFIX", prefix);
        builder.environment().put("ROLLCALL_INDEX_REPLICAS", "0");
        // A job id of its own per run, as Batch gives every submitted job: under one id the second run would be a
        // retry of a job that had finished, which goes on from its done mark without computing again.
        builder.environment().put("AWS_BATCH_JOB_ID", "bench-" + prefix + "-" + UUID.randomUUID());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the aggregation job failed:\n" + output.substring(Math.max(0, output.length() - 4000)));
        }
        return output;
    }

    /** The job's summary line (the last one carrying events_read). */
    private static JsonNode lastLine(String output) {
        String[] lines = output.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("{") && lines[i].contains("\"events_read\"")) {
                return AlertJson.readTree(lines[i]);
            }
        }
        throw new IllegalStateException("the aggregation job printed no summary line:\n" + output.substring(Math.max(0, output.length() - 4000)));
    }

    /**
     * Fails unless the timed run read every stored event, wrote rollups of every interval and stayed inside its heap:
     * a time for less work than that would be no figure.
     */
    static void requireWholeRun(JsonNode summary, long documents) {
        long read = summary.path("events_read").asLong();
        if (read != documents) {
            throw new IllegalStateException("the job read " + read + " events of the " + documents + " stored");
        }
        for (String interval : List.of("hour", "day", "month")) {
            if (summary.path("rollups_" + interval).asLong() <= 0) {
                throw new IllegalStateException("the job wrote no " + interval + " rollups: " + summary);
            }
        }
        // -Xmx512m on its command line is the limit; the peak it reports sums each pool's own peak, an upper bound.
        if (summary.path("peak_heap_mb").asLong() <= 0) {
            throw new IllegalStateException("the job reported no peak heap: " + summary);
        }
    }
}
