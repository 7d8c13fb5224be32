package dev.rollcall.query.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiResponse;
import dev.rollcall.query.params.DateParameter;

/**
 * {@code POST /v1/jobs}, {@code GET /v1/jobs/{id}} and {@code GET /v1/jobs}: reads a job window from a JSON body,
 * sizes it, submits it through {@link AggregationJobs}, and answers job statuses (one, or the recent ones) as JSON.
 */
public final class JobsEndpoint {

    public static final String SUBMIT_ROUTE = "jobs_submit";
    public static final String STATUS_ROUTE = "jobs_status";
    public static final String LIST_ROUTE = "jobs_list";
    /** How many jobs {@code GET /v1/jobs} answers unless {@code limit} says otherwise, and the most it answers. */
    public static final int DEFAULT_LIST_LIMIT = 20;
    public static final int MAX_LIST_LIMIT = 100;
    public static final List<String> BODY_FIELDS = List.of("from", "to", "interval");
    private static final String EXAMPLE = "{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\",\"interval\":\"all\"}";
    /** The longest job request read: its three fields with generous room for whitespace. */
    public static final int MAX_BODY_CHARS = 4096;
    // Batch job ids are UUIDs (array children add ":<index>"); a local runner may use any such token.
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_-]{0,127}");
    // A body with a second object after the first, or a field given twice, would otherwise be read as one of its
    // readings (Jackson keeps the last value) and run a job the client may not have meant.
    private static final ObjectReader BODY = ApiJson.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final AggregationJobs jobs;
    private final JobSizing sizing;
    private final Clock clock;

    /** {@code jobs} may be null where no runner is configured: submissions and statuses then answer 503. */
    public JobsEndpoint(AggregationJobs jobs, JobSizing sizing, Clock clock) {
        this.jobs = jobs;
        this.sizing = sizing;
        this.clock = clock;
    }

    public ApiResponse submit(String body) {
        JobRequest request = parse(body, sizing, clock.instant());
        JobStatus status = runner().submit(request);
        return ApiResponse.json(202, toJson(status)).withHeader("Location", "/v1/jobs/" + status.id());
    }

    public ApiResponse status(String id) {
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw ApiError.badParameter("id", "id " + ApiError.quoted(id) + " is not a job id: 1 to 128 letters, digits, '-', '_' or ':'");
        }
        return runner().describe(id)
                .map(status -> ApiResponse.json(200, toJson(status)))
                .orElseThrow(() -> ApiError.notFound("no job with id " + id));
    }

    /** {@code GET /v1/jobs}: the runner's most recent jobs, newest first, as {@code {"jobs":[...]}}. */
    public ApiResponse list(int limit) {
        ObjectNode body = ApiJson.object();
        var array = body.putArray("jobs");
        runner().recent(limit).forEach(status -> array.add(toJson(status)));
        return ApiResponse.json(200, body);
    }

    private AggregationJobs runner() {
        if (jobs == null) {
            throw ApiError.unavailable("aggregation jobs are not configured here (set ROLLCALL_BATCH_JOB_QUEUE and ROLLCALL_BATCH_JOB_DEFINITION)");
        }
        return jobs;
    }

    /**
     * The job a body asks for: {@code from} and {@code to} (required), {@code interval} (default all), no other field.
     * The window must start before the current hour: the job rolls up whole hours that have passed, so a window
     * wholly ahead of {@code now} would be accepted, run, and compute nothing. A window reaching past the current
     * hour is cut there, as the job would cut it, so that the array size and the answer are those of the work done.
     */
    public static JobRequest parse(String body, JobSizing sizing, Instant now) {
        // A leading byte order mark (.NET and Windows editors write one) says only that the text is UTF-8, as the
        // webhooks read it too; Jackson would refuse it as an unexpected character.
        if (body != null && body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        if (body == null || body.isBlank()) {
            throw ApiError.badParameter("body", "body is required: a JSON object such as " + EXAMPLE);
        }
        if (body.length() > MAX_BODY_CHARS) {
            // Refused unread: a job request is three short fields, and nothing else may cost the function its time.
            throw ApiError.badParameter("body", "body is " + body.length() + " characters; a job request is at most "
                    + MAX_BODY_CHARS + ", an object such as " + EXAMPLE);
        }
        JsonNode node;
        try {
            node = BODY.readTree(body);
        } catch (MismatchedInputException e) {
            throw ApiError.badParameter("body", "body has more after its JSON object; send one object such as " + EXAMPLE);
        } catch (JsonProcessingException e) {
            throw ApiError.badParameter("body", "body " + fault(e) + "; send an object such as " + EXAMPLE);
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badParameter("body", "body must be a JSON object such as " + EXAMPLE);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!BODY_FIELDS.contains(field.getKey())) {
                throw ApiError.unknownParameter(field.getKey(), BODY_FIELDS);
            }
        }
        Instant from = date(node, "from");
        Instant requestedTo = date(node, "to");
        if (!from.isBefore(requestedTo)) {
            throw ApiError.badParameter("from", "from (" + from + ") must be before to (" + requestedTo + ")");
        }
        Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
        if (!from.isBefore(currentHour)) {
            throw ApiError.badParameter("from", "from (" + from + ") must be before the current hour (" + currentHour
                    + "): a job rolls up whole hours that have passed");
        }
        Instant to = requestedTo.isAfter(currentHour) ? currentHour : requestedTo;
        Duration window = Duration.between(from, to);
        if (window.compareTo(sizing.maxWindow()) > 0) {
            throw ApiError.badParameter("to", "from " + from + " to " + to + " is " + window.toDays() + " days; one job covers at most "
                    + sizing.maxWindow().toDays() + " days: submit several jobs");
        }
        JobInterval interval = JobInterval.ALL;
        if (node.hasNonNull("interval")) {
            JsonNode value = node.get("interval");
            // asText() of an object or array is "", which the message would then blame as if it had been sent.
            if (!value.isTextual()) {
                throw ApiError.notText("interval", JobInterval.WIRE);
            }
            String text = value.asText().toLowerCase(java.util.Locale.ROOT);
            if (!JobInterval.WIRE.contains(text)) {
                throw ApiError.notOneOf("interval", value.asText(), JobInterval.WIRE);
            }
            interval = JobInterval.fromWire(text);
        }
        return new JobRequest(from, to, interval, sizing.arraySize(from, to));
    }

    /**
     * What is wrong with a body Jackson could not read, in this API's words and with where it is: Jackson's own
     * messages name its settings and sources ("StreamReadConstraints.getMaxNestingDepth()", "[Source: REDACTED
     * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"), which tell a client nothing it can act on.
     */
    private static String fault(JsonProcessingException e) {
        StreamReadConstraints limits = BODY.getFactory().streamReadConstraints();
        String original = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            // The only limits a body of MAX_BODY_CHARS can reach are the nesting depth and the length of a number.
            return original.contains("nesting depth") ? "nests deeper than " + limits.getMaxNestingDepth() + " levels"
                    : original.contains("Number value length") ? "has a number of more than " + limits.getMaxNumberLength() + " digits"
                    : "has a value longer than this API reads";
        }
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        if (e instanceof JsonEOFException) {
            return "is not valid JSON: unexpected end of input" + where;
        }
        if (original.startsWith("Duplicate field ") && e.getProcessor() instanceof JsonParser parser) {
            // STRICT_DUPLICATE_DETECTION names the field it met twice as the parser's current one.
            return "is not valid JSON: field " + ApiError.quoted(currentName(parser)) + " is given twice" + where;
        }
        return "is not valid JSON: syntax error" + where;
    }

    private static String currentName(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Instant date(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.badParameter(field, field + " is required, e.g. " + EXAMPLE);
        }
        if (!value.isTextual()) {
            throw ApiError.badParameter(field, field + " must be a string such as \"" + DateParameter.EXAMPLE + "\"");
        }
        return DateParameter.parse(field, value.asText());
    }

    public static ObjectNode toJson(JobStatus status) {
        ObjectNode json = ApiJson.object();
        json.put("id", status.id());
        json.put("name", status.name());
        json.put("status", status.state().name());
        json.put("status_reason", status.statusReason());
        putInstant(json, "created_at", status.createdAt());
        putInstant(json, "started_at", status.startedAt());
        putInstant(json, "stopped_at", status.stoppedAt());
        if (status.request() != null) {
            json.put("from", status.request().from().toString());
            json.put("to", status.request().to().toString());
            json.put("interval", status.request().interval().wire());
            json.put("array_size", status.request().arraySize());
        }
        if (!status.children().isEmpty()) {
            ObjectNode children = json.putObject("children");
            for (JobState state : JobState.values()) {
                children.put(state.name(), status.children().getOrDefault(state, 0));
            }
        }
        if (!status.attempts().isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode attempts = json.putArray("attempts");
            for (JobAttempt attempt : status.attempts()) {
                ObjectNode one = attempts.addObject();
                if (attempt.arrayIndex() != null) {
                    one.put("array_index", attempt.arrayIndex());
                }
                putInstant(one, "started_at", attempt.startedAt());
                putInstant(one, "stopped_at", attempt.stoppedAt());
                if (attempt.exitCode() == null) {
                    one.putNull("exit_code");
                } else {
                    one.put("exit_code", attempt.exitCode());
                }
                one.put("reason", attempt.reason());
                one.put("log", attempt.log());
            }
        }
        return json;
    }

    private static void putInstant(ObjectNode json, String name, Instant value) {
        if (value == null) {
            json.putNull(name);
        } else {
            json.put(name, value.toString());
        }
    }
}
