package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.jobs.JobInterval;
import dev.rollcall.query.jobs.JobRequest;
import dev.rollcall.query.jobs.JobSizing;

/** Job submission against a recording fake of the runner: what the routes ask it to run, and what they answer. */
class JobsTest {

    @Test
    void submittingRecordsTheWindowIntervalAndArraySizeAndPointsAtTheStatus() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();
        QueryApiHandler handler = QueryApiFixtures.withoutStore(jobs);

        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-02-01T00:00:00Z\",\"interval\":\"DAY\"}"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(QueryApiFixtures.header(response, "Location")).isEqualTo("/v1/jobs/job-1");
        assertThat(jobs.submitted()).containsExactly(
                new JobRequest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), JobInterval.DAY, 5));
        JsonNode body = QueryApiFixtures.json(response);
        assertThat(body.path("id").asText()).isEqualTo("job-1");
        assertThat(body.path("status").asText()).isEqualTo("SUBMITTED");
        assertThat(body.path("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(body.path("to").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(body.path("interval").asText()).isEqualTo("day");
        assertThat(body.path("array_size").asInt()).isEqualTo(5);

        JsonNode status = QueryApiFixtures.json(QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs/job-1")));
        assertThat(status.path("status").asText()).isEqualTo("RUNNING");
        assertThat(status.path("started_at").asText()).isEqualTo("2026-02-01T00:01:00Z");
        assertThat(status.path("children").path("RUNNING").asInt()).isEqualTo(5);
        assertThat(status.path("children").path("SUCCEEDED").asInt()).isZero();
    }

    /** The recent jobs, newest first, at most {@code limit}; with no runner configured, the same 503 as a status. */
    @Test
    void listingAnswersTheRecentJobsNewestFirst() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();
        QueryApiHandler handler = QueryApiFixtures.withoutStore(jobs);
        for (String day : List.of("2026-01-01", "2026-01-02", "2026-01-03")) {
            QueryApiFixtures.call(handler, HttpApiEvents.post("/v1/jobs", "{\"from\":\"" + day + "\",\"to\":\"" + day + "T06:00:00Z\"}"));
        }

        JsonNode all = QueryApiFixtures.json(QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs")));
        JsonNode two = QueryApiFixtures.json(QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs", "limit=2")));

        assertThat(all.path("jobs")).extracting(job -> job.path("id").asText()).containsExactly("job-3", "job-2", "job-1");
        assertThat(all.path("jobs").get(0).path("from").asText()).isEqualTo("2026-01-03T00:00:00Z");
        assertThat(two.path("jobs")).extracting(job -> job.path("id").asText()).containsExactly("job-3", "job-2");
        QueryValidationTest.assertError(QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs", "limit=101")), 400, "limit",
                "limit 101 is more than 100, the most one request of this route answers");
        JsonNode unknown = QueryApiFixtures.json(QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs", "status=FAILED")));
        assertThat(unknown.path("status").asInt()).isEqualTo(400);
        assertThat(unknown.path("parameter").asText()).isEqualTo("status");
        assertThat(QueryApiFixtures.call(QueryApiFixtures.withoutStore(null), HttpApiEvents.get("/v1/jobs")).getStatusCode()).isEqualTo(503);
    }

    @Test
    void theIntervalDefaultsToAll() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();
        QueryApiFixtures.call(QueryApiFixtures.withoutStore(jobs), HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01T06:00:00Z\",\"to\":\"2026-01-01T07:00:00Z\"}"));
        assertThat(jobs.submitted()).containsExactly(
                new JobRequest(Instant.parse("2026-01-01T06:00:00Z"), Instant.parse("2026-01-01T07:00:00Z"), JobInterval.ALL, 1));
    }

    /** .NET and Windows editors start a UTF-8 body with a byte order mark; it was a 400 "Unexpected character". */
    @Test
    void aBodyStartingWithAByteOrderMarkIsSubmitted() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(QueryApiFixtures.withoutStore(jobs),
                HttpApiEvents.post("/v1/jobs", "\uFEFF{\"from\":\"2026-01-01T06:00:00Z\",\"to\":\"2026-01-01T07:00:00Z\",\"interval\":\"hour\"}"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(jobs.submitted()).containsExactly(
                new JobRequest(Instant.parse("2026-01-01T06:00:00Z"), Instant.parse("2026-01-01T07:00:00Z"), JobInterval.HOUR, 1));
    }

    @Test
    void anUnknownJobIs404AndNoRunnerIs503() {
        APIGatewayV2HTTPResponse missing = QueryApiFixtures.call(QueryApiFixtures.withoutStore(new RecordingAggregationJobs()), HttpApiEvents.get("/v1/jobs/nope"));
        QueryValidationTest.assertError(missing, 404, null, "no job with id nope");

        APIGatewayV2HTTPResponse noRunner = QueryApiFixtures.call(QueryApiFixtures.withoutStore(null),
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}"));
        QueryValidationTest.assertError(noRunner, 503, null,
                "aggregation jobs are not configured here (set ROLLCALL_BATCH_JOB_QUEUE and ROLLCALL_BATCH_JOB_DEFINITION)");
        assertThat(QueryApiFixtures.header(noRunner, "Retry-After")).isEqualTo("1");
    }

    @Test
    void aWindowStartingInTheCurrentHourOrLaterIsRefusedAndNothingIsSubmitted() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();
        QueryApiHandler handler = QueryApiFixtures.withoutStore(jobs);

        // The fixtures' clock stands at 2026-02-15T12:00Z: the hour 12:00-13:00 has not passed yet.
        APIGatewayV2HTTPResponse current = QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-02-15T12:00:00Z\",\"to\":\"2026-02-16\"}"));
        QueryValidationTest.assertError(current, 400, "from", "from (2026-02-15T12:00:00Z) must be before the current hour "
                + "(2026-02-15T12:00:00Z): a job rolls up whole hours that have passed");
        APIGatewayV2HTTPResponse future = QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2027-01-01\",\"to\":\"2027-02-01\"}"));
        assertThat(future.getStatusCode()).isEqualTo(400);
        assertThat(jobs.submitted()).isEmpty();

        QueryApiFixtures.call(handler, HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-02-15T11:00:00Z\",\"to\":\"2026-02-16\"}"));
        assertThat(jobs.submitted()).extracting(JobRequest::from).containsExactly(Instant.parse("2026-02-15T11:00:00Z"));
    }

    @Test
    void aWindowReachingPastTheCurrentHourIsCutThereBeforeItIsSized() {
        RecordingAggregationJobs jobs = new RecordingAggregationJobs();

        // The fixtures' clock stands at 2026-02-15T12:00Z: the job would stop there, after 14.5 days, 3 weeks started.
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(QueryApiFixtures.withoutStore(jobs),
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-02-01\",\"to\":\"2026-03-01\"}"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(jobs.submitted()).containsExactly(
                new JobRequest(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-15T12:00:00Z"), JobInterval.ALL, 3));
        JsonNode body = QueryApiFixtures.json(response);
        assertThat(body.path("to").asText()).isEqualTo("2026-02-15T12:00:00Z");
        assertThat(body.path("array_size").asInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} -> {1} children")
    @CsvSource({"PT1H, 1", "P7D, 1", "P8D, 2", "P31D, 5", "P90D, 13", "P448D, 64", "P3660D, 64"})
    void oneArrayChildPerStartedWeekUpToTheMaximum(String window, int children) {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(JobSizing.defaults().arraySize(from, from.plus(Duration.parse(window)))).isEqualTo(children);
    }
}
