package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Urgency;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.AlertStore;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.RetryReport;
import dev.rollcall.servers.junit.TestOpenSearch;

/** One index prefix on the test OpenSearch: writes alerts with AlertStore, runs the job in-process, reads rollups back. */
final class JobFixture {

    final TestOpenSearch openSearch;
    final IndexNames names;
    private final OpenSearchClient client;
    private final IndexTemplateInstaller installer;
    private final AlertStore store;

    JobFixture(TestOpenSearch openSearch, String hint) {
        this.openSearch = openSearch;
        this.names = new IndexNames(TestOpenSearch.uniquePrefix(hint));
        this.client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
        this.installer = new IndexTemplateInstaller(client, names, 0);
        installer.install();
        this.store = new AlertStore(new BulkIndexer(client), names);
    }

    /** The job's state index of this prefix, created as a run creates it, for tests of the stores kept in it. */
    StateIndex stateIndex() {
        StateIndex state = new StateIndex(new OpenSearchCalls(client, Clock.systemUTC(), JobConfig.DEFAULT_RETRY_FOR, RetryReport.Sink.NONE), names.stateIndex());
        state.ensure(installer);
        return state;
    }

    /** The carry snapshots of this prefix, as a run keeps them. */
    CarryStore carryStore() {
        return new CarryStore(stateIndex(), new BulkIndexer(client), Clock.systemUTC());
    }

    /** An alert: {@code at} and {@code ingested} ISO instants, urgency high/low/ignore, severity high. */
    static Alert alert(String id, String at, String ingested, String fingerprint, AlertState state, String urgency, String service) {
        return new Alert(id, Instant.parse(at), Instant.parse(ingested), "cloudwatch", "123456789012", "eu-west-1", "prod", service,
                "alarm-" + fingerprint, "Alarm " + fingerprint, state, Severity.HIGH, Urgency.fromWire(urgency), false, "rule-1",
                fingerprint, List.of("account", "region", "name"), Map.of("team", "sre"), AlertJson.readTree("{\"n\":1}"));
    }

    static Alert alert(String id, String at, String fingerprint, AlertState state, String urgency, String service) {
        return alert(id, at, at, fingerprint, state, urgency, service);
    }

    /**
     * A busy random stream: {@code count} events spread over {@code days} from {@code start}, over {@code fingerprints}
     * fingerprints of 7 services, with firing, resolved and info events, duplicates, flapping and every urgency.
     */
    static List<Alert> randomAlerts(long seed, int count, String start, int days, int fingerprints) {
        return randomAlerts(seed, count, start, Duration.ofDays(days), fingerprints);
    }

    /** {@link #randomAlerts(long, int, String, int, int)} spread over {@code within} (at least a minute) instead of whole days. */
    static List<Alert> randomAlerts(long seed, int count, String start, Duration within, int fingerprints) {
        java.util.Random random = new java.util.Random(seed);
        Instant from = Instant.parse(start);
        long span = within.toMillis();
        List<Alert> alerts = new ArrayList<>(count);
        String[] urgencies = {"high", "low", "ignore"};
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis((span - 60_000) * i / count + random.nextInt(60_000));
            int fp = random.nextInt(fingerprints);
            double r = random.nextDouble();
            AlertState state = r < 0.1 ? AlertState.INFO : r < 0.55 ? AlertState.RESOLVED : AlertState.FIRING;
            alerts.add(alert(String.format("r%d-%06d", seed, i), at.toString(), at.plusSeconds(random.nextInt(120)).toString(),
                    "fp-" + fp, state, urgencies[fp % 3], "svc-" + (fp % 7)));
        }
        return alerts;
    }

    void store(List<Alert> alerts) {
        for (int from = 0; from < alerts.size(); from += 5_000) {
            BulkResult result = store.store(alerts.subList(from, Math.min(alerts.size(), from + 5_000)), Instant.now().plusSeconds(60));
            assertThat(result.allSucceeded()).as("alerts stored").isTrue();
        }
        openSearch.refresh(names.eventsPattern());
    }

    Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("ROLLCALL_OPENSEARCH_ENDPOINT", openSearch.uri().toString());
        env.put("ROLLCALL_INDEX_PREFIX", names.prefix());
        env.put("ROLLCALL_INDEX_REPLICAS", "0");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** The rollups a single clean run over {@code args} makes of {@code alerts}, under a prefix of their own: the expectation of fault tests. */
    static Map<String, JsonNode> rollupsOfACleanRun(TestOpenSearch openSearch, String hint, List<Alert> alerts, String... args) {
        JobFixture clean = new JobFixture(openSearch, hint);
        clean.store(alerts);
        clean.run(args);
        Map<String, JsonNode> rollups = clean.rollups();
        assertThat(rollups).as("a clean run's rollups, which a faulty run must equal").isNotEmpty();
        return rollups;
    }

    /** A clock that starts at {@code now} and ticks, so plans see the chosen time and durations stay real. */
    static Clock clockAt(String now) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(now)));
    }

    /** Runs the job in-process with the clock at {@code now}; {@code env} pairs add to the fixture's environment. */
    RunSummary run(String now, List<String> env, String... args) {
        return runLogged(now, env, args).summary();
    }

    /** {@link #run(String, List, String...)}, keeping the run's log lines. */
    LoggedRun runLogged(String now, List<String> env, String... args) {
        Clock clock = clockAt(now);
        JobConfig config = JobConfig.fromEnvironment(env(env.toArray(String[]::new)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary summary = AggregationRun.run(config, JobArguments.parse(args), clock,
                new JsonLog(new PrintStream(log, true, StandardCharsets.UTF_8), config.jobId(), clock));
        return new LoggedRun(summary, log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).map(AlertJson::readTree).toList());
    }

    /** An in-process run's summary and JSON log lines. */
    record LoggedRun(RunSummary summary, List<JsonNode> lines) {

        List<JsonNode> lines(String event) {
            return lines.stream().filter(l -> l.path("event").asText().equals(event)).toList();
        }
    }

    RunSummary run(String... args) {
        return run(Instant.now().toString(), List.of(), args);
    }

    /** Runs one child of an array job in-process with the clock at {@code now}; {@code env} pairs add to the child's. */
    RunSummary run(String now, ArrayChild child, List<String> env, String... args) {
        List<String> all = new ArrayList<>(child.env());
        all.addAll(env);
        return run(now, all, args);
    }

    RunSummary run(String now, ArrayChild child, String... args) {
        return run(now, child, List.of(), args);
    }

    /** Runs the job as its container does (exit code, log lines) with the clock at {@code now}; {@code env} pairs add to the fixture's. */
    JobExit exec(String now, List<String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AggregationJob.run(args, env(env.toArray(String[]::new)), clockAt(now), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new JobExit(code, out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).map(AlertJson::readTree).toList());
    }

    /** What a job run through {@link AggregationJob#run} did: its exit code and JSON log lines. */
    record JobExit(int code, List<JsonNode> lines) {

        /** The one line of {@code event}. */
        JsonNode line(String event) {
            List<JsonNode> found = lines.stream().filter(l -> l.path("event").asText().equals(event)).toList();
            assertThat(found).as("'" + event + "' lines in " + lines).hasSize(1);
            return found.get(0);
        }
    }

    /** Child {@code index} of a Batch array job of {@code size}: Batch names it {@code <parent>:<index>}, the parent id being shared. */
    record ArrayChild(String parentJobId, int index, int size) {

        List<String> env() {
            return List.of("AWS_BATCH_JOB_ID", parentJobId + ":" + index, "AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index),
                    "AWS_BATCH_JOB_ARRAY_SIZE", Integer.toString(size));
        }
    }

    /** Every rollup document by id, without the provenance fields ({@code computed_at}, {@code job_id}). */
    Map<String, JsonNode> rollups() {
        return withoutProvenance(storedRollups());
    }

    /** Every rollup document by id as stored, with the {@code computed_at} and {@code job_id} of the run that wrote it. */
    Map<String, JsonNode> storedRollups() {
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : search(names.rollupsPattern(), false)) {
            docs.put(hit.path("_id").asText(), hit.path("_source"));
        }
        return docs;
    }

    /** {@code rollups} without their provenance fields, which differ between runs that compute the same values. */
    static Map<String, JsonNode> withoutProvenance(Map<String, JsonNode> rollups) {
        Map<String, JsonNode> docs = new TreeMap<>();
        rollups.forEach((id, doc) -> {
            ObjectNode source = ((ObjectNode) doc).deepCopy();
            source.remove("computed_at");
            source.remove("job_id");
            docs.put(id, source);
        });
        return docs;
    }

    /**
     * Every document of the rollup and state indices by {@code index/id}, with its {@code _seq_no}: a document
     * rewritten with the same content still shows, as its sequence number moves.
     */
    Map<String, JsonNode> rollupAndStateDocuments() {
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : search(names.rollupsPattern() + "," + names.stateIndex(), true)) {
            ObjectNode doc = AlertJson.mapper().createObjectNode();
            doc.put("seq_no", hit.path("_seq_no").asLong());
            doc.put("primary_term", hit.path("_primary_term").asLong());
            doc.set("source", hit.path("_source"));
            docs.put(hit.path("_index").asText() + "/" + hit.path("_id").asText(), doc);
        }
        return docs;
    }

    /** The names of the prefix's indices: a run that writes nothing creates none. */
    Set<String> indices() {
        JsonNode answer = AlertJson.readTree(openSearch.request("GET", "/_cat/indices/" + names.prefix()
                + "-*?format=json&h=index&expand_wildcards=all", null).body());
        Set<String> found = new TreeSet<>();
        answer.forEach(index -> found.add(index.path("index").asText()));
        return found;
    }

    private JsonNode search(String indices, boolean withSeqNo) {
        openSearch.refresh(indices);
        String body = "{\"size\":10000,\"seq_no_primary_term\":" + withSeqNo + ",\"query\":{\"match_all\":{}}}";
        TestOpenSearch.Response response = openSearch.request("POST", "/" + indices
                + "/_search?ignore_unavailable=true&allow_no_indices=true", body);
        // An error answer has no hits: read as none, it would make two failed reads equal.
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = AlertJson.readTree(response.body());
        JsonNode hits = answer.path("hits").path("hits");
        assertThat(hits.size()).as("documents of " + indices + " fit in one page").isLessThan(10_000);
        return hits;
    }

    /** The one rollup of {@code fingerprint} in the {@code interval} bucket starting at {@code bucketStart}. */
    JsonNode rollup(Map<String, JsonNode> rollups, String interval, String bucketStart, String fingerprint) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode doc : rollups.values()) {
            if (doc.path("interval").asText().equals(interval) && doc.path("bucket_start").asText().equals(bucketStart)
                    && doc.path("fingerprint").asText().equals(fingerprint)) {
                found.add(doc);
            }
        }
        assertThat(found).as(interval + " " + bucketStart + " " + fingerprint).hasSize(1);
        return found.get(0);
    }

    JsonNode watermark() {
        return stateDocument(WatermarkStore.ID).orElse(AlertJson.mapper().missingNode());
    }

    /** A document of {@code <prefix>-state} by id. */
    Optional<JsonNode> stateDocument(String id) {
        JsonNode doc = AlertJson.readTree(openSearch.request("GET", "/" + names.stateIndex() + "/_doc/" + id, null).body());
        return doc.path("found").asBoolean() ? Optional.of(doc.path("_source")) : Optional.empty();
    }

    /** The run lease as stored; empty when no run holds it. */
    Optional<RunLease> lease() {
        return stateDocument(LeaseStore.ID).map(RunLease::fromJson);
    }

    /** Stores {@code lease} over whatever lease is stored, unconditionally: another plan taking it behind the holder's back. */
    void overwriteLease(RunLease lease) {
        TestOpenSearch.Response answer = openSearch.request("PUT", "/" + names.stateIndex() + "/_doc/" + LeaseStore.ID + "?refresh=true",
                lease.toJson(lease.takenAt()).toString());
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    /** How many rollups (of every interval) job {@code jobId} wrote and no later run overwrote. */
    long rollupsWrittenBy(String jobId) {
        openSearch.refresh(names.rollupsPattern());
        String body = "{\"query\":{\"term\":{\"job_id\":\"" + jobId + "\"}}}";
        return AlertJson.readTree(openSearch.request("POST", "/" + names.rollupsPattern()
                + "/_count?ignore_unavailable=true&allow_no_indices=true", body).body()).path("count").asLong();
    }

    /**
     * Asserts that {@code rerun} itself wrote every rollup of {@code expected} in the buckets its window recomputes:
     * after a rerun over indices an earlier run filled, equal rollups alone would also pass for a rerun that wrote nothing.
     */
    void assertRewroteAll(RunSummary rerun, Map<String, JsonNode> expected) {
        Map<String, JsonNode> recomputed = recomputedBy(rerun, expected);
        assertThat(recomputed).as("rollups in the rerun's window").isNotEmpty();
        assertThat(rollupsWrittenBy(rerun.jobId())).as("rollups written by the rerun " + rerun.jobId()).isEqualTo(recomputed.size());
        assertThat(rerun.rollupsTotal()).as("rollups the rerun published").isEqualTo(recomputed.size());
    }

    /** The rollups of {@code rollups} whose buckets {@code run} recomputes: its hours, and the days and months they fall in. */
    static Map<String, JsonNode> recomputedBy(RunSummary run, Map<String, JsonNode> rollups) {
        Map<String, JsonNode> found = new TreeMap<>();
        rollups.forEach((id, doc) -> {
            Interval interval = Interval.fromWire(doc.path("interval").asText());
            Instant bucket = Instant.parse(doc.path("bucket_start").asText());
            if (!bucket.isBefore(interval.bucketStart(run.emitFrom())) && bucket.isBefore(run.end())) {
                found.put(id, doc);
            }
        });
        return found;
    }

    /** The stored watermark's two instants; empty until a run has moved it. */
    Optional<WatermarkStore.Watermark> storedWatermark() {
        JsonNode doc = watermark();
        return doc.isMissingNode() ? Optional.empty() : Optional.of(new WatermarkStore.Watermark(
                Instant.parse(doc.path("ingested_before").asText()), Instant.parse(doc.path("computed_until").asText())));
    }
}
