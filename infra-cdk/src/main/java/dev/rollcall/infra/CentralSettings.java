package dev.rollcall.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Node;

import dev.rollcall.core.classify.ClassificationRules;
import dev.rollcall.core.classify.RulesFileException;
import dev.rollcall.core.rollup.ArrayJobSize;
import dev.rollcall.core.rollup.JobExitCodes;
import dev.rollcall.core.routing.DeliveryDefaults;

/**
 * The central stack's parameters, read from CDK context with small, cheap defaults (see infra-cdk/README.md for the
 * table). Validated at synth time so that a wrong value fails before anything is deployed.
 */
record CentralSettings(
        String busName,
        Optional<String> organizationId,
        Optional<String> datadogEventBusName,
        String indexPrefix,
        String openSearchDomainName,
        OpenSearchSizing openSearch,
        Optional<String> openSearchAdminRoleArn,
        int eventsRetentionDays,
        int maxAzs,
        int natGateways,
        int lambdaMemoryMb,
        int logRetentionDays,
        String logLevel,
        SqsIngestTuning sqs,
        int eventBridgeReservedConcurrency,
        JobSizing job,
        String hourlySchedule,
        String dailySchedule,
        int rollupsStaleAfterHours,
        int ingestionSilentAfterHours,
        int apiRateLimit,
        int apiBurstLimit,
        WebhookLimits webhook,
        Optional<String> alarmEmail,
        boolean retainData,
        Optional<Path> rulesFile,
        Path ingestLambdaJar,
        Path queryLambdaJar,
        Path aggregateJobDirectory,
        Path openSearchSetupDirectory) {

    /**
     * What happens to the data (domain, queues, secret, alarm topic key) when the stack deletes or replaces it. Kept
     * with {@code retainData}, except when the stack's first deploy fails: a rollback that kept them would leave a
     * domain whose name blocks every retry, and resources nothing manages.
     */
    RemovalPolicy dataRemovalPolicy() {
        return retainData ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
    }

    /** OpenSearch domain size. */
    record OpenSearchSizing(String version, String instanceType, int dataNodes, int masterNodes,
                            String masterInstanceType, boolean zoneAwareness, int volumeGb) {

        /** One replica when a second data node can hold it; a single node keeps replicas at 0 to stay green. */
        int indexReplicas() {
            return dataNodes > 1 ? 1 : 0;
        }
    }

    /** How the SQS ingest function reads its queue. */
    record SqsIngestTuning(int batchSize, int batchingWindowSeconds, int maxConcurrency, int maxReceiveCount) {
    }

    /**
     * The webhook route's own throttle and the webhook function's reserved concurrency: the route takes unauthenticated
     * POSTs, which must not use up the query routes' share nor the account's Lambda concurrency.
     */
    record WebhookLimits(int rateLimit, int burstLimit, int reservedConcurrency) {
    }

    /**
     * A function's reserved concurrency as Lambda takes it: null (none) for the setting's 0. Lambda refuses any
     * reservation that leaves the account under its minimum unreserved concurrency, which is all of a new account's
     * quota of 10, so such an account can deploy only without one (Lambda's own 0 would stop the function).
     */
    static Integer reservation(int setting) {
        return setting == 0 ? null : setting;
    }

    /** The aggregation job's container size and run limits. */
    record JobSizing(double vcpus, int memoryMb, int maxVcpus, int timeoutMinutes, int retryAttempts, int arraySize,
                     String cpuArchitecture, boolean spot) {
    }

    /** Retention values CloudWatch Logs accepts. */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,256}");
    private static final Pattern PARTNER_BUS = Pattern.compile("aws\\.partner/datadog\\.com/[A-Za-z0-9._/-]{1,200}");
    private static final Pattern INDEX_PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,40}");
    private static final Pattern DOMAIN_NAME = Pattern.compile("[a-z][a-z0-9-]{2,27}");
    /** The newest engine version aws-cdk-lib names; the tests run against OpenSearch 3.6. */
    static final String DEFAULT_OPENSEARCH_VERSION = "3.5";
    private static final Pattern ENGINE_VERSION = Pattern.compile("[1-9][0-9]*\\.[0-9]+");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9]+\\.[a-z0-9]+\\.search");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+");
    /**
     * Not ERROR: the stack's webhook credentials alarm counts a warning line, and the runbooks name others, which
     * ERROR would drop without a word (the alarm would stay OK while a sender's every delivery is refused).
     */
    private static final Pattern LOG_LEVEL = Pattern.compile("TRACE|DEBUG|INFO|WARN");
    private static final Pattern SCHEDULE = Pattern.compile("(cron|rate)\\(.+\\)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern ARCHITECTURE = Pattern.compile("X86_64|ARM64");
    private static final Set<Double> FARGATE_VCPUS = Set.of(0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0);

    /**
     * The engine version, 3.3 or later: the aggregation job pages through events sorted by {@code _shard_doc}, which
     * OpenSearch has only since 3.3 (earlier versions refuse every page, and no run would ever finish).
     */
    private static String openSearchVersion(ContextReader context) {
        String version = context.matching("openSearchVersion", DEFAULT_OPENSEARCH_VERSION, ENGINE_VERSION, "an OpenSearch version such as 3.5");
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        if (major < 3 || major == 3 && minor < 3) {
            throw new IllegalArgumentException("openSearchVersion='" + version + "': Rollcall needs OpenSearch 3.3 or later "
                    + "(the aggregation job sorts by _shard_doc)");
        }
        return version;
    }

    static CentralSettings fromContext(Node node, RepositoryLayout repo) {
        ContextReader context = new ContextReader(node);
        OpenSearchSizing openSearch = new OpenSearchSizing(
                openSearchVersion(context),
                context.matching("openSearchInstanceType", "t3.small.search", INSTANCE_TYPE, "an instance type such as t3.small.search"),
                context.integer("openSearchDataNodes", 1, 1, 80),
                context.oneOf("openSearchMasterNodes", 0, Set.of(0, 3, 5)),
                context.matching("openSearchMasterInstanceType", "m7g.large.search", INSTANCE_TYPE, "an instance type such as m7g.large.search"),
                context.bool("openSearchZoneAwareness", false),
                context.integer("openSearchVolumeGb", 10, 10, 16384));
        if (openSearch.zoneAwareness() && openSearch.dataNodes() % 2 != 0) {
            throw new IllegalArgumentException("openSearchZoneAwareness=true needs an even openSearchDataNodes (2 AZs), got "
                    + openSearch.dataNodes());
        }
        JobSizing job = new JobSizing(
                fargateVcpus(context),
                // The image gives the heap 75 % of the container: at 512 MiB the other 128 MiB (metaspace, code, the
                // SDK's and client's threads) run out, and the kernel kills the task with no log line.
                context.integer("jobMemoryMb", 2048, 1024, 122880),
                context.integer("jobMaxVcpus", 4, 1, 256),
                context.integer("jobTimeoutMinutes", 60, 5, 24 * 60),
                context.integer("jobRetryAttempts", JobExitCodes.DEFAULT_ATTEMPTS, 1, 10),
                context.integer("jobArraySize", 1, 1, ArrayJobSize.MOST_CHILDREN),
                context.matching("jobCpuArchitecture", "X86_64", ARCHITECTURE, "X86_64 or ARM64"),
                context.bool("jobSpot", false));
        checkFargateJob(job);
        SqsIngestTuning sqs = new SqsIngestTuning(
                context.integer("sqsBatchSize", 100, 1, 10_000),
                context.integer("sqsBatchingWindowSeconds", 5, 0, 300),
                context.integer("sqsMaxConcurrency", 5, 2, 1000),
                context.integer("sqsMaxReceiveCount", DeliveryDefaults.MAX_RECEIVE_COUNT, 1, 1000));
        if (sqs.batchSize() > 10 && sqs.batchingWindowSeconds() == 0) {
            throw new IllegalArgumentException("sqsBatchSize above 10 needs sqsBatchingWindowSeconds of 1 or more (a Lambda rule)");
        }
        // The stacks are environment-agnostic (synth needs no AWS access), and CDK builds such a VPC over two zones
        // whatever maxAzs says: a 3 would quietly be 2.
        int maxAzs = context.integer("maxAzs", 2, 2, 2);
        return new CentralSettings(
                context.matching("busName", "rollcall", NAME, "an event bus name"),
                context.optionalMatching("organizationId", ORG_ID, "an AWS Organizations id such as o-a1b2c3d4e5"),
                context.optionalMatching("datadogEventBusName", PARTNER_BUS, "the partner event bus name aws.partner/datadog.com/..."),
                context.matching("indexPrefix", "rollcall", INDEX_PREFIX, "1-41 characters of a-z, 0-9, '-' or '_'"),
                context.matching("openSearchDomainName", "rollcall", DOMAIN_NAME, "3-28 characters of a-z, 0-9 and '-', starting with a letter"),
                openSearch,
                context.optionalMatching("openSearchAdminRoleArn", ROLE_ARN, "an IAM role ARN"),
                context.integer("eventsRetentionDays", 90, 1, 3650),
                maxAzs,
                context.integer("natGateways", 1, 1, maxAzs),
                context.integer("lambdaMemoryMb", 1024, 512, 10240),
                context.oneOf("logRetentionDays", 30, LOG_RETENTION_DAYS),
                context.matching("logLevel", "INFO", LOG_LEVEL,
                        "TRACE, DEBUG, INFO or WARN (not ERROR: WebhookCredentialsRefused counts a warning line)"),
                sqs,
                context.integer("eventBridgeReservedConcurrency", 10, 0, 1000),
                job,
                context.matching("hourlySchedule", "cron(5 * * * ? *)", SCHEDULE, "an EventBridge Scheduler cron(...) or rate(...)"),
                context.matching("dailySchedule", "cron(30 0 * * ? *)", SCHEDULE, "an EventBridge Scheduler cron(...) or rate(...)"),
                context.integer("rollupsStaleAfterHours", 3, 2, 24),
                context.integer("ingestionSilentAfterHours", 24, 0, 24),
                context.integer("apiRateLimit", 50, 1, 10_000),
                context.integer("apiBurstLimit", 100, 1, 5_000),
                new WebhookLimits(
                        context.integer("webhookRateLimit", 25, 1, 10_000),
                        context.integer("webhookBurstLimit", 50, 1, 5_000),
                        context.integer("webhookReservedConcurrency", 10, 0, 1000)),
                context.optionalMatching("alarmEmail", EMAIL, "an e-mail address"),
                context.bool("retainData", true),
                rulesFile(repo, context),
                existingFile(repo, "ingestLambdaJar", context.text("ingestLambdaJar", repo.defaultIngestLambdaJar())),
                existingFile(repo, "queryLambdaJar", context.text("queryLambdaJar", repo.defaultQueryLambdaJar())),
                dockerContext(repo, context.text("aggregateJobDirectory", repo.defaultAggregateJobDirectory())),
                repo.openSearchSetupDirectory());
    }

    private static double fargateVcpus(ContextReader context) {
        String text = context.text("jobVcpus", "1");
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (!FARGATE_VCPUS.contains(value)) {
            throw new IllegalArgumentException("context value jobVcpus='" + text + "' is invalid: expected one of 0.25, 0.5, 1, 2, 4, 8, 16 (Fargate sizes)");
        }
        return value;
    }

    /**
     * Fargate's task sizes: memory between a minimum and a maximum per vCPU size, in steps (0.25 vCPU takes 512, 1024
     * or 2048 MiB). A job definition outside them is accepted by CloudFormation and then never placed.
     */
    private static void checkFargateJob(JobSizing job) {
        int min = (int) (job.vcpus() * 2048);
        int max = (int) (job.vcpus() <= 2 ? job.vcpus() * 8192 : job.vcpus() * 7680);
        if (job.memoryMb() < min || job.memoryMb() > max) {
            throw new IllegalArgumentException("context value jobMemoryMb='" + job.memoryMb() + "' is invalid: Fargate gives "
                    + job.vcpus() + " vCPU between " + min + " and " + max + " MiB");
        }
        boolean stepped = job.vcpus() == 0.25 ? Set.of(512, 1024, 2048).contains(job.memoryMb())
                : job.memoryMb() % fargateMemoryStep(job.vcpus()) == 0;
        if (!stepped) {
            throw new IllegalArgumentException("context value jobMemoryMb='" + job.memoryMb() + "' is invalid: Fargate gives "
                    + job.vcpus() + " vCPU memory in steps of " + (job.vcpus() == 0.25 ? "512, 1024 or 2048" : fargateMemoryStep(job.vcpus()))
                    + " MiB");
        }
        if (job.maxVcpus() < job.vcpus()) {
            throw new IllegalArgumentException("jobMaxVcpus=" + job.maxVcpus() + " is smaller than jobVcpus=" + job.vcpus()
                    + ": the compute environment could never place the job");
        }
        if (job.spot() && job.cpuArchitecture().equals("ARM64")) {
            throw new IllegalArgumentException("jobSpot=true needs jobCpuArchitecture=X86_64: Fargate Spot runs no ARM64 tasks, "
                    + "and the job queue would never place the job");
        }
    }

    private static int fargateMemoryStep(double vcpus) {
        return vcpus >= 16 ? 8192 : vcpus >= 8 ? 4096 : 1024;
    }

    /**
     * The team's own classification rules, validated here as the ingest functions will load them, so that a typo
     * fails {@code cdk synth} instead of every ingest function's start-up after the deployment.
     */
    private static Optional<Path> rulesFile(RepositoryLayout repo, ContextReader context) {
        Optional<String> path = context.optional("rulesFile");
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path file = repo.resolve(path.get());
        try {
            ClassificationRules.load(file);
        } catch (RulesFileException e) {
            throw new IllegalArgumentException("rulesFile: " + e.getMessage(), e);
        }
        return Optional.of(file);
    }

    private static Path existingFile(RepositoryLayout repo, String key, String path) {
        Path file = repo.resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(key + ": " + file + " does not exist. Build the deployable jars first "
                    + "(./rollcall mvn -B install -DskipTests from the repository root), or point -c " + key + "=PATH at one.");
        }
        return file;
    }

    private static Path dockerContext(RepositoryLayout repo, String path) {
        Path dir = repo.resolve(path);
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new IllegalArgumentException("aggregateJobDirectory: " + dir + " has no Dockerfile; point "
                    + "-c aggregateJobDirectory=PATH at the aggregation job's Docker build context.");
        }
        return dir;
    }
}
