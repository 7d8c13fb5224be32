package dev.rollcall.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.batch.Action;
import software.amazon.awscdk.services.batch.CustomReason;
import software.amazon.awscdk.services.batch.EcsFargateContainerDefinition;
import software.amazon.awscdk.services.batch.EcsJobDefinition;
import software.amazon.awscdk.services.batch.FargateComputeEnvironment;
import software.amazon.awscdk.services.batch.JobQueue;
import software.amazon.awscdk.services.batch.JobStateTimeLimitAction;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsAction;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsReason;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsState;
import software.amazon.awscdk.services.batch.OrderedComputeEnvironment;
import software.amazon.awscdk.services.batch.Reason;
import software.amazon.awscdk.services.batch.RetryStrategy;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.Unit;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.amazon.awscdk.services.scheduler.targets.UniversalTargetProps;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import dev.rollcall.core.rollup.JobDoneLine;
import dev.rollcall.core.rollup.JobExitCodes;
import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.store.EventsRetention;

/**
 * The aggregation job on AWS Batch: a Fargate compute environment in the VPC, a job queue, a job definition built
 * from the aggregate-batch-job Dockerfile, and two EventBridge Scheduler schedules (hourly incremental run, daily
 * re-run of the previous day). The job's own failures are routed into Rollcall and counted for an alarm.
 */
final class AggregationConstruct extends Construct {

    /**
     * How long a job may wait RUNNABLE for capacity Batch cannot give it (Fargate Spot out, the compute environment
     * too small) before it is cancelled, which fails it and raises the failed-jobs alarm: half the hourly schedule.
     */
    static final Duration UNPLACED_JOB_LIMIT = Duration.minutes(30);

    /** Core's pattern of failed AWS Batch jobs, of which the failure rule takes this stack's own. */
    static final String BATCH_FAILURE_PATTERN = "batch-job-failure";

    static final List<String> HOURLY_COMMAND = List.of("--incremental");
    /** The job expands this to --from <yesterday 00:00Z> --to <today 00:00Z> --interval all. */
    static final List<String> DAILY_COMMAND = List.of("--previous-day");
    /** Exit code the job uses for invalid arguments: retrying cannot help, so Batch stops at once. */
    static final String USAGE_ERROR_EXIT_CODE = Integer.toString(JobExitCodes.BAD_USAGE);
    /** The JVM's exit on an exhausted heap: the same window runs out the same way, so Batch stops at once too. */
    static final String OUT_OF_MEMORY_EXIT_CODE = Integer.toString(JobExitCodes.OUT_OF_MEMORY);

    private final JobQueue jobQueue;
    private final EcsJobDefinition jobDefinition;
    /**
     * Submitted by name, Batch runs the definition's latest active revision: a deploy that makes a new revision
     * never leaves the query function or a schedule holding a revision that is deregistered or not granted.
     */
    private final String jobDefinitionName;
    private final Role jobRole;
    private final Schedule hourly;
    private final Schedule daily;
    private final PatternRule failureRule;
    private final Metric watermarkMoves;
    private final Metric aggregatedEvents;
    private final Metric computedUntilLag;

    AggregationConstruct(Construct scope, String id, CentralSettings settings, Network network, SearchDomain search,
                         Map<String, String> runtimeEnvironment, LogRetention retention, IFunction failureTarget,
                         IQueue deadLetterQueue) {
        super(scope, id);
        CentralSettings.JobSizing size = settings.job();

        FargateComputeEnvironment compute = FargateComputeEnvironment.Builder.create(this, "ComputeEnvironment")
                .vpc(network.vpc())
                .vpcSubnets(network.privateSubnets())
                .securityGroups(List.of(network.openSearchClients()))
                .maxvCpus(size.maxVcpus())
                .spot(size.spot())
                .build();
        this.jobQueue = JobQueue.Builder.create(this, "JobQueue")
                .computeEnvironments(List.of(OrderedComputeEnvironment.builder().computeEnvironment(compute).order(1).build()))
                .priority(1)
                // A job Batch cannot place stays RUNNABLE for good, with no failure to alarm on, and holds the head of
                // the queue: every later run waits behind it while the rollups go stale.
                .jobStateTimeLimitActions(Stream.of(JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY,
                                JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
                                JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT)
                        .map(reason -> JobStateTimeLimitAction.builder()
                                .action(JobStateTimeLimitActionsAction.CANCEL)
                                .state(JobStateTimeLimitActionsState.RUNNABLE)
                                .reason(reason)
                                .maxTime(UNPLACED_JOB_LIMIT)
                                .build())
                        .toList())
                .build();

        this.jobRole = Role.Builder.create(this, "JobRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Runs the Rollcall aggregation job")
                .build();
        search.grantWrite(jobRole);

        Map<String, String> environment = new LinkedHashMap<>(runtimeEnvironment);
        environment.put("POWERTOOLS_SERVICE_NAME", "rollcall-aggregate");
        environment.put("AWS_REGION", Aws.REGION);
        environment.put(EventsRetention.VARIABLE, Integer.toString(settings.eventsRetentionDays()));
        // Waiting for another run's lease counts against the attempt's timeout, and Batch never retries an attempt it
        // stopped for running too long: wait at most half of it (the job's own default is 30 minutes).
        int leaseWaitMinutes = Math.min(30, size.timeoutMinutes() / 2);
        environment.put("ROLLCALL_JOB_LEASE_WAIT", "PT" + leaseWaitMinutes + "M");
        // A capped incremental run goes on with the next window for at most a quarter of the attempt's timeout, so the
        // attempt has room left for a window longer than those before it; and for at most half the lease wait, so a
        // daily or requested run queued behind it still gets the lease.
        environment.put("ROLLCALL_JOB_CATCH_UP_FOR", "PT" + Math.min(size.timeoutMinutes() / 4, leaseWaitMinutes / 2) + "M");
        boolean arm = size.cpuArchitecture().equals("ARM64");
        LogGroup logs = retention.logGroup(this, "JobLogs", RemovalPolicy.DESTROY);
        // A run's last line says what it did; as metrics it shows throughput, and the stale-rollups alarm watches the
        // watermark moves (a job can succeed for Batch without moving it: a lease held by a run that never ends).
        this.watermarkMoves = doneLineMetric(logs, "WatermarkMoves", JobDoneLine.WATERMARK_MOVED, true,
                "AggregationWatermarkMoves", "1", Unit.COUNT, "Sum");
        // Runs can move the watermark every hour and still fall behind (catching up after an outage, capped
        // windows): how far it trails the clock is what /v1/health calls stale, and what the moves alone miss.
        this.computedUntilLag = doneLineMetric(logs, "ComputedUntilLag", JobDoneLine.WATERMARK_MOVED, true,
                "AggregationLagSeconds", "$." + JobDoneLine.COMPUTED_UNTIL_LAG_S, Unit.SECONDS, "Minimum");
        this.aggregatedEvents = doneLineMetric(logs, "EventsAggregated", JobDoneLine.DRY_RUN, false,
                "AggregatedEvents", "$." + JobDoneLine.EVENTS_ROLLED_UP, Unit.COUNT, "Sum");
        EcsFargateContainerDefinition container = EcsFargateContainerDefinition.Builder.create(this, "Container")
                .image(ContainerImage.fromAsset(settings.aggregateJobDirectory().toString(), AssetImageProps.builder()
                        .platform(arm ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64)
                        .build()))
                .cpu(size.vcpus())
                .memory(Size.mebibytes(size.memoryMb()))
                .fargateCpuArchitecture(arm ? CpuArchitecture.ARM64 : CpuArchitecture.X86_64)
                .fargateOperatingSystemFamily(OperatingSystemFamily.LINUX)
                .command(HOURLY_COMMAND)
                .environment(environment)
                .jobRole(jobRole)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("aggregate").build()))
                .build();
        AcceptedFindings.acceptWildcardResource(container.getExecutionRole(), "ecr:GetAuthorizationToken, which ECS "
                + "needs to pull the job image, supports no resource-level permissions; pulling itself is limited to "
                + "the asset repository.");
        this.jobDefinitionName = Stack.of(this).getStackName() + "-aggregate";
        this.jobDefinition = EcsJobDefinition.Builder.create(this, "JobDefinition")
                .jobDefinitionName(jobDefinitionName)
                .container(container)
                .retryAttempts(size.retryAttempts())
                // Any other failure (OpenSearch briefly unavailable, a lost Fargate task) is retried.
                .retryStrategies(List.of(
                        RetryStrategy.of(Action.EXIT, Reason.custom(CustomReason.builder().onExitCode(USAGE_ERROR_EXIT_CODE).build())),
                        RetryStrategy.of(Action.EXIT, Reason.custom(CustomReason.builder().onExitCode(OUT_OF_MEMORY_EXIT_CODE).build()))))
                .timeout(Duration.minutes(size.timeoutMinutes()))
                .propagateTags(true)
                .build();

        // Every role granted submitJobStatement (the schedules', the query function's) holds this one wildcard.
        NagSuppressions.addStackSuppressions(Stack.of(this), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Any revision of Rollcall's own aggregation job definition, which jobs are submitted to by name so "
                        + "that a deploy's new revision is used at once: Batch authorizes SubmitJob against name:revision.")
                .appliesTo(List.of("Resource::arn:<AWS::Partition>:batch:<AWS::Region>:<AWS::AccountId>:job-definition/"
                        + jobDefinitionName + ":*"))
                .build()));

        this.hourly = schedule("HourlyIncremental", settings.hourlySchedule(),
                "Rollcall: incremental aggregation from the watermark", "rollcall-hourly", HOURLY_COMMAND, size, deadLetterQueue);
        this.daily = schedule("DailyPreviousDay", settings.dailySchedule(),
                "Rollcall: re-aggregates the previous UTC day, catching late events", "rollcall-daily", DAILY_COMMAND, size,
                deadLetterQueue);

        this.failureRule = PatternRule.toFunction(this, "aggregation-job-failure", null,
                "Rollcall's own aggregation jobs that failed: ingested as alerts and counted by an alarm",
                // An array job's failed children each fail it too: its own event is the one alert (children carry an
                // index; the parent and a single job have none).
                PatternRule.narrowedByDetail(PatternRule.narrowedByDetail(PatternRule.patternOf(EventPatterns.named(BATCH_FAILURE_PATTERN)),
                        "jobQueue", List.of(jobQueue.getJobQueueArn())),
                        "arrayProperties", Map.of("index", List.of(Map.of("exists", false)))),
                failureTarget, deadLetterQueue);
    }

    /** An hourly metric of the runs' last lines whose {@code flag} is {@code when}: {@code value} ("1" counts them). */
    private static Metric doneLineMetric(LogGroup logs, String id, String flag, boolean when, String metricName, String value,
                                         Unit unit, String statistic) {
        return logs.addMetricFilter(id, MetricFilterOptions.builder()
                        .filterPattern(FilterPattern.all(FilterPattern.stringValue("$." + JobDoneLine.EVENT, "=", JobDoneLine.DONE),
                                FilterPattern.booleanValue("$." + flag, when)))
                        .metricNamespace(CentralStack.METRIC_NAMESPACE)
                        .metricName(metricName)
                        .metricValue(value)
                        .unit(unit)
                        .build())
                .metric(MetricOptions.builder().statistic(statistic).period(Duration.hours(1)).build());
    }

    private Schedule schedule(String id, String expression, String description, String jobName, List<String> command,
                              CentralSettings.JobSizing size, IQueue deadLetterQueue) {
        Map<String, Object> submitJob = new LinkedHashMap<>();
        submitJob.put("JobName", jobName);
        submitJob.put("JobQueue", jobQueue.getJobQueueArn());
        submitJob.put("JobDefinition", jobDefinitionName);
        if (size.arraySize() > 1) {
            // Each child rolls up its share of the fingerprints: Batch sets its AWS_BATCH_JOB_ARRAY_INDEX and _SIZE
            // (and refuses overrides with that prefix).
            submitJob.put("ArrayProperties", Map.of("Size", size.arraySize()));
        }
        submitJob.put("ContainerOverrides", Map.of("Command", command));
        return Schedule.Builder.create(this, id)
                .description(description)
                .schedule(ScheduleExpression.expression(expression))
                .target(new Universal(UniversalTargetProps.builder()
                        .service("batch")
                        .action("submitJob")
                        .input(ScheduleTargetInput.fromObject(submitJob))
                        .policyStatements(List.of(submitJobStatement()))
                        .retryAttempts(3)
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(deadLetterQueue)
                        .build()))
                .build();
    }

    /** Submitting jobs of this definition (by name, or any of its revisions) to this queue, nothing else. */
    PolicyStatement submitJobStatement() {
        return PolicyStatement.Builder.create()
                .actions(List.of("batch:SubmitJob"))
                // SubmitJob is authorized against name:revision even when the request names no revision.
                .resources(List.of(jobQueue.getJobQueueArn(), jobDefinitionArn(jobDefinitionName + ":*")))
                .build();
    }

    private String jobDefinitionArn(String resourceName) {
        return Stack.of(this).formatArn(ArnComponents.builder().service("batch").resource("job-definition")
                .resourceName(resourceName).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    /** The name jobs are submitted with (see {@link #jobDefinitionName}). */
    String jobDefinitionName() {
        return jobDefinitionName;
    }

    JobQueue jobQueue() {
        return jobQueue;
    }

    EcsJobDefinition jobDefinition() {
        return jobDefinition;
    }

    Role jobRole() {
        return jobRole;
    }

    Schedule hourly() {
        return hourly;
    }

    Schedule daily() {
        return daily;
    }

    PatternRule failureRule() {
        return failureRule;
    }

    /** Hourly sums of the runs that moved the watermark (in an array job, the one child that moves it). */
    Metric watermarkMoves() {
        return watermarkMoves;
    }

    /** Hourly least of how far the watermark trails the clock after the runs that moved it, in seconds. */
    Metric computedUntilLag() {
        return computedUntilLag;
    }

    /** Hourly sums of the events the runs read (dry runs left out). */
    Metric aggregatedEvents() {
        return aggregatedEvents;
    }
}
