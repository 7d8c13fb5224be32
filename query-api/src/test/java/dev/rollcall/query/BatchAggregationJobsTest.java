package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.jobs.BatchAggregationJobs;
import dev.rollcall.query.jobs.BatchJobTarget;
import dev.rollcall.query.jobs.JobInterval;
import dev.rollcall.query.jobs.JobAttempt;
import dev.rollcall.query.jobs.JobRequest;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobStatus;
import dev.rollcall.servers.SilentServer;

/** The real SDK path: SubmitJob and DescribeJobs as the AWS SDK sends them, to a recording server on loopback. */
class BatchAggregationJobsTest {

    private static final BatchJobTarget TARGET = new BatchJobTarget("rollcall-aggregation", "rollcall-aggregate-job:3");
    private static final String SUBMITTED = "{\"jobArn\":\"arn:aws:batch:us-east-1:123456789012:job/7f0c\",\"jobName\":\"n\",\"jobId\":\"7f0c2d1e-aaaa-bbbb-cccc-000000000001\"}";

    private FakeBatchServer server;
    private BatchClient client;
    private BatchAggregationJobs jobs;

    @BeforeEach
    void start() throws Exception {
        server = new FakeBatchServer();
        client = BatchClient.builder()
                .endpointOverride(server.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        jobs = new BatchAggregationJobs(client, TARGET, QueryApiFixtures.CLOCK);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void submitsAnArrayJobWithTheWindowAsTheContainerCommand() {
        server.answer("/v1/submitjob", 200, SUBMITTED);
        JobRequest request = new JobRequest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), JobInterval.DAY, 5);

        JobStatus status = jobs.submit(request);

        assertThat(status.id()).isEqualTo("7f0c2d1e-aaaa-bbbb-cccc-000000000001");
        assertThat(status.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(status.request()).isEqualTo(request);
        FakeBatchServer.Recorded sent = server.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/submitjob");
        assertThat(sent.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/").contains("/us-east-1/batch/aws4_request");
        JsonNode body = ApiJson.read(sent.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.path("jobName").asText()).isEqualTo("rollcall-aggregate-day-20260101T000000Z-20260201T000000Z");
        assertThat(body.path("jobQueue").asText()).isEqualTo("rollcall-aggregation");
        assertThat(body.path("jobDefinition").asText()).isEqualTo("rollcall-aggregate-job:3");
        assertThat(body.path("arrayProperties").path("size").asInt()).isEqualTo(5);
        assertThat(strings(body.path("containerOverrides").path("command")))
                .containsExactly("--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--interval", "day");
        // Batch sets each child's index and the array's size, and refuses any override named AWS_BATCH_*.
        assertThat(body.path("containerOverrides").has("environment")).isFalse();
    }

    @Test
    void aSingleChildJobIsNotAnArrayJob() {
        server.answer("/v1/submitjob", 200, SUBMITTED);
        jobs.submit(new JobRequest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), JobInterval.ALL, 1));
        JsonNode body = ApiJson.read(server.requests().get(0).body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.has("arrayProperties")).isFalse();
        assertThat(body.path("containerOverrides").has("environment")).isFalse();
        assertThat(strings(body.path("containerOverrides").path("command"))).endsWith("--interval", "all");
    }

    @Test
    void describesAJobWithItsChildrenAndWindow() {
        server.answer("/v1/describejobs", 200, """
                {"jobs":[{"jobArn":"arn:aws:batch:us-east-1:123456789012:job/7f0c","jobName":"rollcall-aggregate-day-x",
                  "jobId":"7f0c","jobQueue":"arn:aws:batch:us-east-1:123456789012:job-queue/rollcall-aggregation","status":"RUNNING","statusReason":"2 of 5 running","createdAt":1767225600000,
                  "startedAt":1767225660000,"jobDefinition":"d",
                  "arrayProperties":{"statusSummary":{"RUNNING":2,"SUCCEEDED":3},"size":5},
                  "container":{"image":"rollcall-aggregate","command":["--from","2026-01-01T00:00:00Z","--to","2026-02-01T00:00:00Z","--interval","day"]}}]}
                """);

        JobStatus status = jobs.describe("7f0c").orElseThrow();

        assertThat(status.state()).isEqualTo(JobState.RUNNING);
        assertThat(status.statusReason()).isEqualTo("2 of 5 running");
        assertThat(status.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(status.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(status.stoppedAt()).isNull();
        assertThat(status.children()).containsExactlyInAnyOrderEntriesOf(Map.of(JobState.RUNNING, 2, JobState.SUCCEEDED, 3));
        assertThat(status.request()).isEqualTo(new JobRequest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), JobInterval.DAY, 5));
        FakeBatchServer.Recorded sent = server.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/describejobs");
        assertThat(strings(ApiJson.read(sent.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("jobs"))).containsExactly("7f0c");
    }

    /** A failed job says why per attempt, with the log stream to read, as DescribeJobs gives them. */
    @Test
    void aFailedJobShowsEachAttemptsExitCodeReasonAndLogStream() {
        server.answer("/v1/describejobs", 200, """
                {"jobs":[{"jobName":"rollcall-aggregate-all-x","jobId":"7f0c2d1e-aaaa-bbbb-cccc-000000000002",
                  "jobQueue":"arn:aws:batch:us-east-1:123456789012:job-queue/rollcall-aggregation","status":"FAILED",
                  "statusReason":"Essential container in task exited","createdAt":1767225600000,"startedAt":1767225660000,
                  "stoppedAt":1767229200000,"jobDefinition":"d","attempts":[
                    {"container":{"exitCode":1,"logStreamName":"aggregate/default/0a1b2c","taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c/0a1b2c"},
                     "startedAt":1767225660000,"stoppedAt":1767225720000,"statusReason":"Essential container in task exited"},
                    {"container":{"exitCode":137,"reason":"OutOfMemoryError: Container killed due to memory usage","logStreamName":"aggregate/default/3d4e5f"},
                     "startedAt":1767225780000,"stoppedAt":1767229200000,"statusReason":"Essential container in task exited"}]}]}
                """);
        QueryApiHandler handler = QueryApiFixtures.withoutStore(jobs);

        APIGatewayV2HTTPResponse described = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs/7f0c2d1e-aaaa-bbbb-cccc-000000000002"));

        assertThat(described.getStatusCode()).isEqualTo(200);
        JsonNode attempts = QueryApiFixtures.json(described).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).toString()).isEqualTo("{\"started_at\":\"2026-01-01T00:01:00Z\",\"stopped_at\":\"2026-01-01T00:02:00Z\","
                + "\"exit_code\":1,\"reason\":\"Essential container in task exited\",\"log\":\"aggregate/default/0a1b2c\"}");
        assertThat(attempts.get(1).path("exit_code").asInt()).isEqualTo(137);
        assertThat(attempts.get(1).path("reason").asText()).as("the container's reason says more").isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        assertThat(attempts.get(1).path("log").asText()).isEqualTo("aggregate/default/3d4e5f");
    }

    private static final String FAILED_ARRAY_JOB = """
            {"jobs":[{"jobArn":"arn:aws:batch:us-east-1:123456789012:job/7f0c","jobName":"rollcall-aggregate-day-x",
              "jobId":"7f0c","jobQueue":"rollcall-aggregation","status":"FAILED","statusReason":"Array Child Job failed",
              "createdAt":1767225600000,"jobDefinition":"d","arrayProperties":{"statusSummary":{"FAILED":1,"SUCCEEDED":2},"size":3}}]}
            """;

    /** Batch keeps an array job's attempts on its children: the parent shows them, each with its child's index. */
    @Test
    void anArrayJobShowsItsChildrensAttemptsWithTheirIndex() {
        server.answerInTurn("/v1/describejobs", 200, FAILED_ARRAY_JOB, """
                {"jobs":[
                 {"jobId":"7f0c:2","jobName":"rollcall-aggregate-day-x","jobQueue":"rollcall-aggregation","status":"SUCCEEDED",
                  "jobDefinition":"d","arrayProperties":{"index":2},"attempts":[{"startedAt":1767225700000,"stoppedAt":1767225800000,
                  "container":{"exitCode":0,"logStreamName":"aggregate/default/c2"}}]},
                 {"jobId":"7f0c:0","jobName":"rollcall-aggregate-day-x","jobQueue":"rollcall-aggregation","status":"FAILED",
                  "jobDefinition":"d","arrayProperties":{"index":0},"attempts":[
                   {"startedAt":1767225660000,"stoppedAt":1767225720000,"statusReason":"Essential container in task exited",
                    "container":{"exitCode":3,"reason":"OutOfMemoryError: Container killed due to memory usage","logStreamName":"aggregate/default/c0"}}]},
                 {"jobId":"7f0c:1","jobName":"rollcall-aggregate-day-x","jobQueue":"rollcall-aggregation","status":"SUCCEEDED",
                  "jobDefinition":"d","arrayProperties":{"index":1}}]}
                """);

        JobStatus status = jobs.describe("7f0c").orElseThrow();

        assertThat(status.attempts()).extracting(JobAttempt::arrayIndex, JobAttempt::exitCode, JobAttempt::log)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 3, "aggregate/default/c0"),
                        org.assertj.core.groups.Tuple.tuple(2, 0, "aggregate/default/c2"));
        assertThat(status.attempts().get(0).reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        FakeBatchServer.Recorded children = server.requests().get(1);
        assertThat(strings(ApiJson.read(children.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("jobs")))
                .containsExactly("7f0c:0", "7f0c:1", "7f0c:2");
    }

    /** An array larger than one DescribeJobs takes is none of Rollcall's: its status comes from one call. */
    @Test
    void anArrayJobOfMoreThanAHundredChildrenIsShownWithoutAttempts() {
        server.answer("/v1/describejobs", 200, FAILED_ARRAY_JOB.replace("\"size\":3", "\"size\":10000"));

        JobStatus status = jobs.describe("7f0c").orElseThrow();

        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.attempts()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    /** The children are asked after the parent: when Batch refuses or drops that call, the parent's status still answers. */
    @Test
    void anArrayJobWhoseChildrenCannotBeDescribedStillShowsItsStatus() {
        server.answer("/v1/describejobs", 200, FAILED_ARRAY_JOB).thenAnswer("/v1/describejobs", 500,
                "{\"__type\":\"ServerException\",\"message\":\"internal\"}");

        JobStatus status = jobs.describe("7f0c").orElseThrow();

        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.children()).containsEntry(JobState.FAILED, 1);
        assertThat(status.attempts()).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    /**
     * ListJobs of the configured queue with a creation-time filter (without one Batch lists RUNNING jobs only),
     * newest first; a job this API submitted has its window back from its name, a scheduled run has none.
     */
    @Test
    void listsTheQueuesRecentJobsNewestFirstWithTheWindowsTheirNamesCarry() {
        server.answer("/v1/listjobs", 200, """
                {"jobSummaryList":[
                  {"jobArn":"arn:aws:batch:us-east-1:123456789012:job/h1","jobId":"h1","jobName":"rollcall-hourly",
                   "createdAt":1767225600000,"status":"SUCCEEDED","startedAt":1767225660000,"stoppedAt":1767225720000},
                  {"jobArn":"arn:aws:batch:us-east-1:123456789012:job/b1","jobId":"b1",
                   "jobName":"rollcall-aggregate-day-20251201T000000Z-20260101T000000Z","createdAt":1767229200000,
                   "status":"FAILED","statusReason":"Essential container in task exited","arrayProperties":{"size":4}}]}
                """);

        List<JobStatus> recent = jobs.recent(10);

        assertThat(recent).extracting(JobStatus::id).containsExactly("b1", "h1");
        assertThat(recent.get(0).state()).isEqualTo(JobState.FAILED);
        assertThat(recent.get(0).statusReason()).isEqualTo("Essential container in task exited");
        assertThat(recent.get(0).request()).isEqualTo(new JobRequest(Instant.parse("2025-12-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), JobInterval.DAY, 4));
        assertThat(recent.get(1).request()).isNull();
        assertThat(recent.get(1).stoppedAt()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
        FakeBatchServer.Recorded sent = server.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/listjobs");
        JsonNode body = ApiJson.read(sent.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.path("jobQueue").asText()).isEqualTo("rollcall-aggregation");
        assertThat(body.path("maxResults").asInt()).isEqualTo(10);
        assertThat(body.path("filters").get(0).path("name").asText()).isEqualTo("AFTER_CREATED_AT");
        assertThat(Long.parseLong(body.path("filters").get(0).path("values").get(0).asText()))
                .isEqualTo(QueryApiFixtures.CLOCK.instant().minus(java.time.Duration.ofDays(7)).toEpochMilli());
    }

    /** A page may hold fewer jobs than asked for: the next pages are read by their token, up to a few. */
    @Test
    void followsListJobsPagesUntilItHasEnoughOrThereAreNoMore() {
        server.answerInTurn("/v1/listjobs", 200,
                "{\"jobSummaryList\":[" + summary("a", 1767225600000L) + "," + summary("b", 1767229200000L) + "],\"nextToken\":\"page-2\"}",
                "{\"jobSummaryList\":[" + summary("c", 1767232800000L) + "]}");

        assertThat(jobs.recent(10)).extracting(JobStatus::id).containsExactly("c", "b", "a");
        List<FakeBatchServer.Recorded> sent = server.requests();
        assertThat(sent).hasSize(2);
        assertThat(ApiJson.read(sent.get(0).body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).has("nextToken")).isFalse();
        assertThat(ApiJson.read(sent.get(1).body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("nextToken").asText())
                .isEqualTo("page-2");
    }

    @Test
    void stopsListingOnceAPageFillsTheLimitOrAfterFivePages() {
        server.answerInTurn("/v1/listjobs", 200,
                "{\"jobSummaryList\":[" + summary("a", 1767225600000L) + "," + summary("b", 1767229200000L) + "],\"nextToken\":\"more\"}");
        assertThat(jobs.recent(2)).extracting(JobStatus::id).containsExactly("b", "a");
        assertThat(server.requests()).hasSize(1);

        // A queue whose pages keep coming back nearly empty: the call ends within its time limit all the same.
        server.answerInTurn("/v1/listjobs", 200, "{\"jobSummaryList\":[" + summary("x", 1767225600000L) + "],\"nextToken\":\"more\"}");
        assertThat(jobs.recent(20)).hasSize(5);
        assertThat(server.requests()).hasSize(1 + 5);
    }

    private static String summary(String id, long createdAt) {
        return "{\"jobArn\":\"arn:aws:batch:us-east-1:123456789012:job/" + id + "\",\"jobId\":\"" + id
                + "\",\"jobName\":\"rollcall-hourly\",\"createdAt\":" + createdAt + ",\"status\":\"SUCCEEDED\"}";
    }

    @Test
    void anUnknownJobIsEmpty() {
        server.answer("/v1/describejobs", 200, "{\"jobs\":[]}");
        assertThat(jobs.describe("nope")).isEmpty();
    }

    /** DescribeJobs answers for any job of the account: another queue's is unknown here. */
    @Test
    void aJobOfAnotherQueueIsUnknown() {
        server.answer("/v1/describejobs", 200, """
                {"jobs":[{"jobName":"payroll-export","jobId":"9a9a","jobQueue":"arn:aws:batch:us-east-1:123456789012:job-queue/payroll",
                  "status":"FAILED","statusReason":"secret bucket s3://payroll-private denied","createdAt":1767225600000,"jobDefinition":"d"}]}
                """);
        assertThat(jobs.describe("9a9a")).isEmpty();
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(textBlock = """
            arn:aws:batch:us-east-1:1:job-queue/rollcall-aggregation, rollcall-aggregation, true
            arn:aws:batch:us-east-1:1:job-queue/rollcall-aggregation, arn:aws:batch:us-east-1:1:job-queue/rollcall-aggregation, true
            arn:aws:batch:us-east-1:1:job-queue/x-rollcall-aggregation, rollcall-aggregation, false
            arn:aws:batch:us-east-1:1:job-queue/payroll, arn:aws:batch:us-east-1:1:job-queue/rollcall-aggregation, false
            """)
    void aJobsQueueIsMatchedByArnOrName(String jobQueue, String configured, boolean matches) {
        assertThat(BatchAggregationJobs.onQueue(jobQueue, configured)).isEqualTo(matches);
    }

    /** The client as the Lambda builds it, against an endpoint that accepts the connection and never answers. */
    @Test
    void aBatchEndpointThatHangsIsA503BeforeTheFunctionTimesOut() {
        try (SilentServer hung = SilentServer.start()) {
            BatchAggregationJobs waiting = BatchAggregationJobs.create(TARGET, BatchClient.builder().endpointOverride(hung.uri())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"))));

            long started = System.nanoTime();
            assertThatThrownBy(() -> waiting.describe("x")).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage()).isEqualTo("AWS Batch did not answer DescribeJobs; retry shortly");
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(hung.accepted()).isPositive();
            // The query function's timeout is 29 s (infra-cdk ApiConstruct.QUERY_TIMEOUT).
            assertThat(took).isGreaterThanOrEqualTo(BatchAggregationJobs.CALL_TIMEOUT).isLessThan(Duration.ofSeconds(28));
        }
    }

    @Test
    void aRefusalIs502WithBatchsReasonAndAnOutageIs503() {
        server.answer("/v1/submitjob", 400, "{\"__type\":\"ClientException\",\"message\":\"Job queue rollcall-aggregation does not exist\"}");
        JobRequest request = new JobRequest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), JobInterval.ALL, 1);
        assertThatThrownBy(() -> jobs.submit(request)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).isEqualTo("AWS Batch refused SubmitJob: Job queue rollcall-aggregation does not exist");
        });
        server.answer("/v1/describejobs", 500, "{\"__type\":\"ServerException\",\"message\":\"internal\"}");
        assertThatThrownBy(() -> jobs.describe("x")).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        server.close();
        assertThatThrownBy(() -> jobs.describe("x")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).isEqualTo("AWS Batch did not answer DescribeJobs; retry shortly");
        });
    }

    @Test
    void theRoutesSubmitAndDescribeThroughTheSdk() {
        server.answer("/v1/submitjob", 200, SUBMITTED);
        server.answer("/v1/describejobs", 200, """
                {"jobs":[{"jobName":"n","jobId":"7f0c2d1e-aaaa-bbbb-cccc-000000000001","jobQueue":"arn:aws:batch:us-east-1:123456789012:job-queue/rollcall-aggregation","status":"SUCCEEDED",
                  "createdAt":1767225600000,"startedAt":1767225660000,"stoppedAt":1767229200000,"jobDefinition":"d"}]}
                """);
        QueryApiHandler handler = QueryApiFixtures.withoutStore(jobs);

        APIGatewayV2HTTPResponse submitted = QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-03-01\",\"interval\":\"month\"}"));
        assertThat(submitted.getStatusCode()).isEqualTo(202);
        assertThat(QueryApiFixtures.header(submitted, "Location")).isEqualTo("/v1/jobs/7f0c2d1e-aaaa-bbbb-cccc-000000000001");
        JsonNode sent = ApiJson.read(server.requests().get(0).body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // Cut at the clock's hour (2026-02-15T12:00Z), where the job stops: 45.5 days, one child per started week.
        assertThat(sent.path("arrayProperties").path("size").asInt()).isEqualTo(7);
        assertThat(strings(sent.path("containerOverrides").path("command")))
                .containsSubsequence("--to", "2026-02-15T12:00:00Z");

        APIGatewayV2HTTPResponse described = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/jobs/7f0c2d1e-aaaa-bbbb-cccc-000000000001"));
        assertThat(described.getStatusCode()).isEqualTo(200);
        JsonNode job = QueryApiFixtures.json(described);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("stopped_at").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(job.has("from")).isFalse();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
