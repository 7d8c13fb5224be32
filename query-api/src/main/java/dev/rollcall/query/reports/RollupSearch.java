package dev.rollcall.query.reports;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.JobWatermark;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;

/**
 * Runs one search over the rollup indices of the given intervals, and reads the job's watermark and its change token, and nothing else:
 * this is the API's only way to OpenSearch, so a request can never read the raw events. Missing indices (no job has
 * run yet) answer empty ({@code _shards.total} 0), which only {@code /v1/health} treats as a fault.
 */
public final class RollupSearch {

    private static final Logger LOG = LogManager.getLogger(RollupSearch.class);
    // Identical requests (the same dashboard refreshed) are answered from the shard request cache until the
    // next refresh writes new rollups.
    private static final Map<String, String> PARAMETERS = Map.of(
            "request_cache", "true", "ignore_unavailable", "true", "allow_no_indices", "true");

    private final OpenSearchHttp http;
    private final IndexNames names;

    public RollupSearch(OpenSearchHttp http, IndexNames names) {
        this.http = http;
        this.names = names;
    }

    public IndexNames names() {
        return names;
    }

    /**
     * The token the job replaces whenever it writes rollups ({@link RollupsChange}), by a GET: real time, and about a
     * third of the cost of the smallest search. Empty when there is none, when the last run has not ended (or failed,
     * or left array siblings writing: its phase is not {@link RollupsChange#DONE}), or when OpenSearch will not give
     * it (logged): answers are then searched for every time. An {@link ApiError} 503 when OpenSearch does not answer.
     */
    public Optional<String> changeToken() {
        OpenSearchHttp.Answer answer;
        try {
            answer = http.execute("GET", "/" + names.stateIndex() + "/_doc/" + RollupsChange.ID,
                    Map.of("_source_includes", RollupsChange.TOKEN + "," + RollupsChange.PHASE), null, null);
        } catch (IOException e) {
            throw ApiError.unavailable("OpenSearch did not answer (" + e.getClass().getSimpleName() + "); retry shortly");
        }
        if (!answer.ok()) {
            if (answer.status() != 404) {
                LOG.warn("OpenSearch refused the rollups change token (HTTP {}), so no answer is remembered: {}", answer.status(),
                        answer.text());
            }
            return Optional.empty();
        }
        JsonNode source = ApiJson.read(answer.body()).path("_source");
        return RollupsChange.DONE.equals(source.path(RollupsChange.PHASE).textValue())
                ? Optional.ofNullable(source.path(RollupsChange.TOKEN).textValue())
                : Optional.empty();
    }

    /**
     * The job's watermark: every rollup before {@code computedUntil} is computed; a run last moved it at {@code updatedAt};
     * collecting began at {@code collectingSince} (empty for a watermark written before the job recorded it).
     */
    public record JobProgress(Instant computedUntil, Instant updatedAt, Optional<Instant> collectingSince) {
    }

    /**
     * The watermark and the searches of {@code rollupSearches} (intervals and body, as {@link #search} takes them) in
     * one request: each answer checked as {@link #search} checks it, in order.
     */
    public Together searchWithJobProgress(List<Map.Entry<List<Interval>, ObjectNode>> rollupSearches) {
        StringBuilder lines = new StringBuilder();
        appendSearch(lines, names.stateIndex(), watermarkBody());
        for (Map.Entry<List<Interval>, ObjectNode> search : rollupSearches) {
            appendSearch(lines, indices(search.getKey()), search.getValue());
        }
        OpenSearchHttp.Answer answer;
        try {
            answer = http.execute("POST", "/_msearch", Map.of(), lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "application/x-ndjson");
        } catch (IOException e) {
            throw ApiError.unavailable("OpenSearch did not answer (" + e.getClass().getSimpleName() + "); retry shortly");
        }
        JsonNode responses = checked(answer).path("responses");
        if (responses.size() != rollupSearches.size() + 1) {
            throw ApiError.upstream("OpenSearch answered " + responses.size() + " of " + (rollupSearches.size() + 1) + " searches");
        }
        List<JsonNode> answers = new java.util.ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            JsonNode response = responses.get(i);
            if (response.has("error")) {
                int status = response.path("status").asInt(500);
                if (status == 429 || status >= 500) {
                    throw ApiError.unavailable("OpenSearch is busy or unavailable (HTTP " + status + "); retry shortly");
                }
                LOG.error("OpenSearch refused a rollup search: HTTP {} {}", status, response.path("error"));
                throw ApiError.upstream("OpenSearch refused the query (HTTP " + status + ")");
            }
            answers.add(requireEveryShard(response));
        }
        return new Together(jobProgress(answers.get(0)), answers.subList(1, answers.size()));
    }

    /** What {@link #searchWithJobProgress} found: the watermark, and the rollup searches' answers in order. */
    public record Together(Optional<JobProgress> jobProgress, List<JsonNode> answers) {
    }

    private static void appendSearch(StringBuilder lines, String indices, ObjectNode body) {
        ObjectNode header = ApiJson.object();
        header.put("index", indices);
        header.put("ignore_unavailable", true);
        header.put("allow_no_indices", true);
        header.put("request_cache", true);
        lines.append(header).append('\n').append(body).append('\n');
    }

    /**
     * The job's watermark ({@link JobWatermark}) by a search for its id rather than a GET: a missing watermark (or
     * state index) is then an empty answer, not a 404, and the reader's one permission (search) covers it.
     */
    private static ObjectNode watermarkBody() {
        ObjectNode body = ApiJson.object();
        body.put("size", 1);
        body.putArray("_source").add(JobWatermark.COMPUTED_UNTIL).add(JobWatermark.UPDATED_AT).add(JobWatermark.COLLECTING_SINCE);
        body.putObject("query").putObject("ids").putArray("values").add(JobWatermark.ID);
        return body;
    }

    private static Optional<JobProgress> jobProgress(JsonNode answer) {
        JsonNode hit = answer.path("hits").path("hits").path(0);
        if (hit.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode source = hit.path("_source");
        try {
            Instant computedUntil = Instant.parse(source.path(JobWatermark.COMPUTED_UNTIL).asText());
            Instant updatedAt = Instant.parse(source.path(JobWatermark.UPDATED_AT).asText(computedUntil.toString()));
            return Optional.of(new JobProgress(computedUntil, updatedAt, collectingSince(source)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The watermark's start of collecting; empty when there is none yet, or when it is not a time (only that field is lost then). */
    private static Optional<Instant> collectingSince(JsonNode watermark) {
        if (!watermark.hasNonNull(JobWatermark.COLLECTING_SINCE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(watermark.path(JobWatermark.COLLECTING_SINCE).asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private String indices(List<Interval> intervals) {
        return intervals.stream().map(i -> names.rollupsIndex(i.wire())).collect(Collectors.joining(","));
    }

    /**
     * The search answer; an {@link ApiError} 503 when OpenSearch is unreachable or busy, or answers from only some
     * of the shards (a partial answer would be a wrong one), 502 when it refuses the request.
     */
    public JsonNode search(List<Interval> intervals, ObjectNode body) {
        OpenSearchHttp.Answer answer;
        try {
            answer = http.postJson("/" + indices(intervals) + "/_search", PARAMETERS, ApiJson.bytes(body));
        } catch (IOException e) {
            throw ApiError.unavailable("OpenSearch did not answer (" + e.getClass().getSimpleName() + "); retry shortly");
        }
        return requireEveryShard(checked(answer));
    }

    private static JsonNode checked(OpenSearchHttp.Answer answer) {
        if (answer.status() == 429 || answer.status() >= 500) {
            throw ApiError.unavailable("OpenSearch is busy or unavailable (HTTP " + answer.status() + "); retry shortly");
        }
        if (!answer.ok()) {
            // A request this API built was refused: a bug or a mapping out of step, worth a loud log line.
            LOG.error("OpenSearch refused a rollup search: HTTP {} {}", answer.status(), answer.text());
            throw ApiError.upstream("OpenSearch refused the query (HTTP " + answer.status() + ")");
        }
        return ApiJson.read(answer.body());
    }

    private static JsonNode requireEveryShard(JsonNode json) {
        JsonNode shards = json.path("_shards");
        if (shards.path("failed").asInt() > 0) {
            LOG.warn("OpenSearch answered a rollup search from {} of {} shards: {}", shards.path("successful").asInt(),
                    shards.path("total").asInt(), shards.path("failures").path(0).path("reason"));
            throw ApiError.unavailable("OpenSearch answered from " + shards.path("successful").asInt() + " of "
                    + shards.path("total").asInt() + " shards; retry shortly");
        }
        return json;
    }
}
