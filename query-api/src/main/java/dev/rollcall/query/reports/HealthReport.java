package dev.rollcall.query.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiResponse;

/**
 * {@code GET /v1/health}: 200 when the rollup indices answer and the job has computed up to within the staleness
 * limit of now, with how fresh the rollups are per interval (latest bucket end, whether the job has computed all of
 * that bucket, and when it was computed) and the job's {@code computed_until}. How far the job has computed comes from
 * its watermark, which moves every hourly run also when no alert fired (quiet hours leave no rollup); without one (only
 * windows run by hand), from the newest hour rollup. 502 with a {@code reason} when OpenSearch does not answer or refuses the search ({@code unavailable};
 * {@code opensearch} says {@code unreachable} or {@code refused}); 503 with a {@code reason} when neither a watermark
 * nor a rollup exists under the prefix ({@code no_rollups}: no job has run, or the prefix is another installation's),
 * or the job has stopped or falls behind ({@code stale}). The reports would answer empty or old rows then.
 */
public final class HealthReport {

    private static final Logger LOG = LogManager.getLogger(HealthReport.class);

    public static final String ROUTE = "health";
    private static final String OK = "ok";
    private static final String UNAVAILABLE = "unavailable";
    private static final String NO_ROLLUPS = "no_rollups";
    private static final String STALE = "stale";
    /** How far computed_until trails the clock right after an hourly run: its settle delay and the hour it rounds to. */
    static final Duration TRAIL_BY_DESIGN = Duration.ofHours(2);
    /** The values of {@code status}: ok (200), unavailable (502), then the reasons for a 503. */
    public static final List<String> STATUSES = List.of(OK, UNAVAILABLE, NO_ROLLUPS, STALE);
    static final String STALE_AFTER_VARIABLE = "ROLLCALL_HEALTH_STALE_AFTER";

    private final RollupSearch search;
    private final Duration staleAfter;
    private final Clock clock;

    public HealthReport(RollupSearch search, Duration staleAfter, Clock clock) {
        this.search = search;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    public ApiResponse run() {
        ObjectNode body = ApiJson.object();
        JsonNode answer;
        Optional<RollupSearch.JobProgress> progress;
        try {
            // One request for both, as a probe calls this every minute or so.
            RollupSearch.Together found = search.searchWithJobProgress(List.of(Map.entry(List.of(Interval.values()), body())));
            answer = found.answers().get(0);
            progress = found.jobProgress();
        } catch (ApiError e) {
            // A refusal (403 from a missing role mapping, a 400) will not pass by itself, unlike a timeout or a 429:
            // the operator needs to know which one to look at.
            body.put("status", UNAVAILABLE);
            body.put("opensearch", e.status() == 502 ? "refused" : "unreachable");
            body.put("reason", e.getMessage());
            // 502, not 503: the rollups are not the problem but OpenSearch is, which the deployment's query-failure
            // alarm must hear of even when a health probe is the only caller (it leaves health's 503s to the
            // stale-rollups alarms).
            return unhealthy(502, body);
        }
        body.put("status", OK);
        body.put("opensearch", "reachable");
        ObjectNode rollups = body.putObject("rollups");
        // A day or month rollup exists from its first hour on, so its end is usually ahead of the clock: say whether
        // the job has computed all of it, which is what a reader of that number wants to know.
        // How far the job has computed is its watermark's to say; without one (windows run by hand only) it is unknown:
        // hour rollups exist only for hours with alerts, so the newest of them proves nothing about the hours after.
        Instant completeUntil = progress.map(RollupSearch.JobProgress::computedUntil).orElse(null);
        for (JsonNode bucket : answer.path("aggregations").path("intervals").path("buckets")) {
            ObjectNode interval = rollups.putObject(bucket.path("key").asText());
            interval.put("documents", bucket.path("doc_count").asLong());
            Optional<Instant> latestEnd = putInstant(interval, "latest_bucket_end", bucket.path("latest_bucket_end"));
            if (latestEnd.isPresent() && completeUntil != null) {
                interval.put("latest_bucket_complete", !latestEnd.get().isAfter(completeUntil));
            } else {
                interval.putNull("latest_bucket_complete");
            }
            putInstant(interval, "latest_computed_at", bucket.path("latest_computed_at"));
        }
        if (progress.isPresent()) {
            body.put("computed_until", progress.get().computedUntil().toString());
            body.put("job_updated_at", progress.get().updatedAt().toString());
        } else {
            body.putNull("computed_until");
            body.putNull("job_updated_at");
        }
        Problem problem = problem(answer, progress, rollups.path(Interval.HOUR.wire()).path("latest_computed_at"));
        if (problem == null) {
            return ApiResponse.json(200, body);
        }
        body.put("status", problem.status());
        body.put("reason", problem.reason());
        return unhealthy(503, body);
    }

    /**
     * An unhealthy answer, with a line saying why: the access line shows only the status, and a probe's
     * 503s are what an operator looks up first.
     */
    private static ApiResponse unhealthy(int status, ObjectNode body) {
        LOG.warn("health {}: {}", body.path("status").asText(), body.path("reason").asText());
        return ApiResponse.json(status, body);
    }

    /** Why the rollups cannot be served as current: the health status and a reason for the operator. */
    private record Problem(String status, String reason) {
    }

    /** What keeps the rollups from being served as current, or null. */
    private Problem problem(JsonNode answer, Optional<RollupSearch.JobProgress> progress, JsonNode hourComputedAt) {
        IndexNames names = search.names();
        if (progress.isPresent()) {
            // When a run last moved it, as the stale-rollups alarm counts: computed_until itself always trails the
            // clock by the settle delay and up to an hour more.
            Instant updatedAt = progress.get().updatedAt();
            if (updatedAt.plus(staleAfter).isBefore(clock.instant())) {
                return new Problem(STALE, "no aggregation run has moved the watermark (computed up to " + progress.get().computedUntil()
                        + ") since " + updatedAt + ", more than " + staleAfter + " (" + STALE_AFTER_VARIABLE
                        + ") ago: its hourly runs have stopped, fail or fall behind");
            }
            // Runs that move it but by less than the clock does (catching up after an outage, a window cap) leave
            // the rollups as stale as stopped runs would.
            Instant computedUntil = progress.get().computedUntil();
            if (computedUntil.plus(staleAfter).plus(TRAIL_BY_DESIGN).isBefore(clock.instant())) {
                return new Problem(STALE, "the rollups are computed up to " + computedUntil + ", more than " + staleAfter + " ("
                        + STALE_AFTER_VARIABLE + ") behind the clock beyond the " + TRAIL_BY_DESIGN + " an hourly run trails it by: "
                        + "the runs fall behind (catching up after an outage?)");
            }
            return null;
        }
        if (answer.path("_shards").path("total").asInt() == 0) {
            return new Problem(NO_ROLLUPS, "no rollup index under the prefix '" + names.prefix() + "' (" + names.rollupsPattern()
                    + "): no aggregation job has run yet, or ROLLCALL_INDEX_PREFIX names another installation");
        }
        if (!hourComputedAt.isTextual()) {
            return new Problem(NO_ROLLUPS, "no hour rollups in " + names.rollupsIndex(Interval.HOUR.wire())
                    + ": no aggregation job has written any yet");
        }
        Instant computedAt = Instant.parse(hourComputedAt.asText());
        if (computedAt.plus(staleAfter).isBefore(clock.instant())) {
            return new Problem(STALE, "the newest hour rollup was computed at " + computedAt + ", more than " + staleAfter
                    + " (" + STALE_AFTER_VARIABLE + ") ago, and no incremental run has stored a watermark: the aggregation"
                    + " job has stopped or falls behind, or no alert fired or stayed open since");
        }
        return null;
    }

    static ObjectNode body() {
        ObjectNode intervals = ApiJson.object();
        intervals.putObject("terms").put("field", "interval").put("size", Interval.values().length);
        ObjectNode aggs = intervals.putObject("aggs");
        aggs.set("latest_bucket_end", SearchBodies.metric("max", "bucket_end"));
        aggs.set("latest_computed_at", SearchBodies.metric("max", "computed_at"));
        ObjectNode root = ApiJson.object();
        root.set("intervals", intervals);
        return SearchBodies.search(SearchBodies.dimensionFilter(Map.of()), root);
    }

    private static Optional<Instant> putInstant(ObjectNode node, String name, JsonNode max) {
        if (max.path("value").isNumber()) {
            Instant value = Instant.ofEpochMilli(max.path("value").asLong());
            node.put(name, value.toString());
            return Optional.of(value);
        }
        node.putNull(name);
        return Optional.empty();
    }
}
