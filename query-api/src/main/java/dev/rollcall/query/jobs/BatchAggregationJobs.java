package dev.rollcall.query.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.BatchClientBuilder;
import software.amazon.awssdk.services.batch.model.ArrayProperties;
import software.amazon.awssdk.services.batch.model.ArrayPropertiesDetail;
import software.amazon.awssdk.services.batch.model.AttemptContainerDetail;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.DescribeJobsResponse;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobSummary;
import software.amazon.awssdk.services.batch.model.KeyValuesPair;
import software.amazon.awssdk.services.batch.model.ListJobsResponse;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.rollcall.query.http.ApiError;

/**
 * Aggregation jobs on AWS Batch: {@code SubmitJob} to the configured queue and definition with the job's
 * arguments as the container command (the image's entry point runs the job) and, for more than one child, an
 * array size (each child reads {@code AWS_BATCH_JOB_ARRAY_INDEX} / {@code _SIZE}); {@code DescribeJobs} for status.
 */
public final class BatchAggregationJobs implements AggregationJobs {

    private static final Logger LOG = LogManager.getLogger(BatchAggregationJobs.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** How far back {@link #recent} looks: Batch itself keeps finished jobs for about a week. */
    static final Duration RECENT = Duration.ofDays(7);
    private static final int MAX_PAGES = 5;
    /** The most job ids one DescribeJobs call takes. */
    private static final int DESCRIBE_MAX_JOBS = 100;
    /** The name {@link #jobName} gives: interval, from and to. */
    private static final Pattern NAME = Pattern.compile(
            "rollcall-aggregate-([a-z]+)-(\\d{8}T\\d{6}Z)-(\\d{8}T\\d{6}Z)");

    private final BatchClient batch;
    private final BatchJobTarget target;
    /**
     * Longest a SubmitJob or DescribeJobs call may take, retries included: a Batch endpoint that hangs is the API's
     * retryable 503 well before the function's 29 s timeout would make it API Gateway's bare 500. An array job's
     * status takes two calls at most (its children's in one), 20 s.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Clock clock;

    public BatchAggregationJobs(BatchClient batch, BatchJobTarget target, Clock clock) {
        this.batch = batch;
        this.target = target;
        this.clock = clock;
    }

    /** A client for the Lambda's region and role, through the Apache HTTP client that the OpenSearch transport also uses. */
    public static BatchAggregationJobs create(BatchJobTarget target) {
        return create(target, BatchClient.builder());
    }

    /** The same client settings on {@code builder} (tests point it elsewhere). */
    public static BatchAggregationJobs create(BatchJobTarget target, BatchClientBuilder builder) {
        BatchClient client = builder.httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT))
                .build();
        return new BatchAggregationJobs(client, target, Clock.systemUTC());
    }

    @Override
    public JobStatus submit(JobRequest request) {
        SubmitJobRequest.Builder submit = SubmitJobRequest.builder()
                .jobName(jobName(request))
                .jobQueue(target.jobQueue())
                .jobDefinition(target.jobDefinition());
        ContainerOverrides.Builder overrides = ContainerOverrides.builder().command(request.arguments());
        if (request.arraySize() > 1) {
            // Batch sets each child's AWS_BATCH_JOB_ARRAY_INDEX and _SIZE itself, and refuses overrides named AWS_BATCH_*.
            submit.arrayProperties(ArrayProperties.builder().size(request.arraySize()).build());
        }
        submit.containerOverrides(overrides.build());
        SubmitJobResponse response = call("SubmitJob", () -> batch.submitJob(submit.build()));
        LOG.info("submitted aggregation job {} ({}) with {} children", response.jobId(), response.jobName(), request.arraySize());
        return JobStatus.submitted(response.jobId(), response.jobName(), request, clock.instant());
    }

    @Override
    public Optional<JobStatus> describe(String id) {
        DescribeJobsResponse response = call("DescribeJobs", () -> batch.describeJobs(d -> d.jobs(id)));
        // DescribeJobs reads any job of the account: one of another queue is not Rollcall's to show (its name and
        // status reason may say more than a rollup reader should know).
        return response.jobs().stream().filter(job -> id.equals(job.jobId()) && onQueue(job.jobQueue(), target.jobQueue()))
                .findFirst().map(job -> withChildrenAttempts(job, status(job)));
    }

    /**
     * An array job's status with its children's attempts, each with its {@code array_index}, as local mode shows
     * them: Batch keeps attempts on the children only, and which child failed, and why, is what a failed array job's
     * reader asks first. Without them (the children's DescribeJobs refused or unanswered) the parent's status is
     * still the answer.
     */
    private JobStatus withChildrenAttempts(JobDetail job, JobStatus status) {
        ArrayPropertiesDetail array = job.arrayProperties();
        if (array == null || array.size() == null || array.size() < 2 || array.index() != null) {
            return status;
        }
        if (array.size() > DESCRIBE_MAX_JOBS) {
            // Not one Rollcall submits (at most ArrayJobSize.MOST_CHILDREN): one call, within the function's time.
            LOG.warn("no attempts for array job {}: {} children, more than one DescribeJobs takes", job.jobId(), array.size());
            return status;
        }
        List<JobAttempt> attempts = new ArrayList<>();
        try {
            List<String> ids = new ArrayList<>();
            for (int index = 0; index < array.size(); index++) {
                ids.add(job.jobId() + ":" + index);
            }
            DescribeJobsResponse children = call("DescribeJobs", () -> batch.describeJobs(d -> d.jobs(ids)));
            for (JobDetail child : children.jobs()) {
                Integer index = child.arrayProperties() == null ? null : child.arrayProperties().index();
                if (index != null && child.hasAttempts()) {
                    child.attempts().forEach(attempt -> attempts.add(attempt(attempt).ofChild(index)));
                }
            }
        } catch (ApiError e) {
            LOG.warn("no attempts for array job {}: {}", job.jobId(), e.getMessage());
            return status;
        }
        attempts.sort(Comparator.comparing(JobAttempt::arrayIndex).thenComparing(JobAttempt::startedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return new JobStatus(status.id(), status.name(), status.state(), status.statusReason(), status.createdAt(), status.startedAt(),
                status.stoppedAt(), status.request(), status.children(), attempts);
    }

    /**
     * {@code ListJobs} of the configured queue for jobs created within {@link #RECENT}, newest first: with a
     * filter Batch lists every status (without one, only RUNNING jobs). A summary carries no command, so the window
     * of a job this API submitted is read back from its name; a scheduled run's is not shown.
     */
    @Override
    public List<JobStatus> recent(int limit) {
        long after = clock.instant().minus(RECENT).toEpochMilli();
        List<JobSummary> found = new ArrayList<>();
        String next = null;
        // A page may hold fewer than asked for: follow the token, a few pages at most within the call's time limit.
        for (int page = 0; page < MAX_PAGES && found.size() < limit; page++) {
            String token = next;
            ListJobsResponse response = call("ListJobs", () -> batch.listJobs(l -> l.jobQueue(target.jobQueue())
                    .maxResults(limit).nextToken(token)
                    .filters(KeyValuesPair.builder().name("AFTER_CREATED_AT").values(Long.toString(after)).build())));
            found.addAll(response.jobSummaryList());
            next = response.nextToken();
            if (next == null) {
                break;
            }
        }
        return found.stream()
                .map(BatchAggregationJobs::status)
                .sorted(Comparator.comparing(JobStatus::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(limit)
                .toList();
    }

    static JobStatus status(JobSummary job) {
        JobState state = state(job.statusAsString());
        int arraySize = job.arrayProperties() != null && job.arrayProperties().size() != null ? job.arrayProperties().size() : 1;
        return new JobStatus(job.jobId(), job.jobName(), state, job.statusReason(), instant(job.createdAt()),
                instant(job.startedAt()), instant(job.stoppedAt()), requestOfName(job.jobName(), arraySize), Map.of(), List.of());
    }

    /** The window and interval {@link #jobName} wrote into a job's name; null for another name. */
    static JobRequest requestOfName(String name, int arraySize) {
        Matcher m = NAME.matcher(name == null ? "" : name);
        if (!m.matches()) {
            return null;
        }
        try {
            return new JobRequest(NAME_TIME.parse(m.group(2), Instant::from), NAME_TIME.parse(m.group(3), Instant::from),
                    JobInterval.fromWire(m.group(1)), arraySize);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether a job's queue (an ARN, as DescribeJobs gives it) is the configured one, given by ARN or by name. */
    public static boolean onQueue(String jobQueue, String configured) {
        return jobQueue != null && (jobQueue.equals(configured) || jobQueue.endsWith(":job-queue/" + configured));
    }

    /** {@code rollcall-aggregate-<interval>-<from>-<to>}: letters, digits, hyphens, as Batch requires, and readable in its console. */
    public static String jobName(JobRequest request) {
        return "rollcall-aggregate-" + request.interval().wire() + "-" + NAME_TIME.format(request.from()) + "-" + NAME_TIME.format(request.to());
    }

    static JobStatus status(JobDetail job) {
        JobState state = state(job.statusAsString());
        int arraySize = job.arrayProperties() != null && job.arrayProperties().size() != null ? job.arrayProperties().size() : 1;
        Map<JobState, Integer> children = new EnumMap<>(JobState.class);
        if (job.arrayProperties() != null && job.arrayProperties().hasStatusSummary()) {
            job.arrayProperties().statusSummary().forEach((name, count) -> children.put(state(name), count));
        }
        List<String> command = job.container() != null && job.container().hasCommand() ? job.container().command() : List.of();
        List<JobAttempt> attempts = job.hasAttempts() ? job.attempts().stream().map(BatchAggregationJobs::attempt).toList() : List.of();
        return new JobStatus(job.jobId(), job.jobName(), state, job.statusReason(), instant(job.createdAt()),
                instant(job.startedAt()), instant(job.stoppedAt()), JobRequest.fromArguments(command, arraySize), children, attempts);
    }

    /** An attempt as DescribeJobs gives it; the container's reason (out of memory, a lost task) says more than the attempt's. */
    static JobAttempt attempt(AttemptDetail attempt) {
        AttemptContainerDetail container = attempt.container();
        String reason = container != null && container.reason() != null ? container.reason() : attempt.statusReason();
        return new JobAttempt(null, instant(attempt.startedAt()), instant(attempt.stoppedAt()), container == null ? null : container.exitCode(),
                reason, container == null ? null : container.logStreamName());
    }

    private static JobState state(String batchStatus) {
        try {
            return JobState.valueOf(batchStatus);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.upstream("AWS Batch answered a job status this API does not know: " + batchStatus);
        }
    }

    private static Instant instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }

    private interface BatchCall<T> {
        T run();
    }

    /** Maps SDK failures: no answer or throttling/5xx is 503 (retry), any other refusal 502 with Batch's reason. */
    private static <T> T call(String operation, BatchCall<T> call) {
        try {
            return call.run();
        } catch (AwsServiceException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw ApiError.unavailable("AWS Batch is busy or unavailable (" + operation + " HTTP " + e.statusCode() + "); retry shortly");
            }
            LOG.error("AWS Batch refused {}: HTTP {} {}", operation, e.statusCode(), e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
            throw ApiError.upstream("AWS Batch refused " + operation + ": "
                    + (e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorMessage()));
        } catch (SdkClientException e) {
            throw ApiError.unavailable("AWS Batch did not answer " + operation + "; retry shortly");
        }
    }
}
