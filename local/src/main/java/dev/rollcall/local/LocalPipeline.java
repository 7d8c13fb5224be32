package dev.rollcall.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.ingest.EventBridgeHandler;
import dev.rollcall.ingest.EventRetryQueue;
import dev.rollcall.ingest.IngestConfig;
import dev.rollcall.ingest.IngestRuntime;
import dev.rollcall.ingest.SqsHandler;
import dev.rollcall.ingest.webhook.StaticWebhookSecrets;
import dev.rollcall.ingest.webhook.WebhookAuthenticator;
import dev.rollcall.ingest.webhook.WebhookConfig;
import dev.rollcall.ingest.webhook.WebhookHandler;
import dev.rollcall.local.demo.DemoLoader;
import dev.rollcall.query.QueryApi;
import dev.rollcall.query.QueryApiConfig;
import dev.rollcall.query.QueryApiHandler;
import dev.rollcall.query.jobs.JobInterval;
import dev.rollcall.query.jobs.JobRequest;
import dev.rollcall.query.jobs.JobStatus;
import dev.rollcall.servers.ElasticMqServer;
import dev.rollcall.servers.OpenSearchProcess;
import dev.rollcall.servers.SqsEventSourceMapping;

/**
 * The whole pipeline on one machine: a real OpenSearch, ElasticMQ for SQS, an EventBridge PutEvents endpoint, the
 * Lambda Invoke API for every function, an SQS poller with Lambda's semantics and the HTTP APIs, all driving the
 * same handlers the Lambdas run. {@code main} prints one {@code ready} line and runs until Ctrl-C or SIGTERM,
 * which stops every child process.
 */
public final class LocalPipeline implements AutoCloseable {

    public static final String INGEST_EVENTBRIDGE = "IngestEventBridge";
    public static final String INGEST_SQS = "IngestSqs";
    public static final String INGEST_WEBHOOK = "IngestWebhook";
    public static final String QUERY_API = "QueryApi";

    private static final Logger LOG = LogManager.getLogger(LocalPipeline.class);
    /** The logging configuration ./rollcall starts local mode with, and the file it sends the functions' lines to. */
    private static final String FUNCTION_LOGS_CONFIG = "log4j2-local.xml";
    private static final Path FUNCTION_LOGS = Path.of(".rollcall/logs/local.log");
    /** How long a stop waits for a start in progress to notice it; OpenSearch's own stop takes up to 30 s of that. */
    private static final Duration START_SETTLE_LIMIT = Duration.ofSeconds(60);
    /** The file in a demo's data folder that says where its generated history begins. */
    static final String DEMO_HISTORY_START = "demo-history-start";
    /** The file a running local mode holds locked in its data folder. */
    static final String LOCK_FILE = ".lock";

    /** Lambda waits minutes between asynchronous retries; local mode a second per attempt, so a demo sees them. */
    private static final long ASYNC_RETRY_DELAY_MILLIS = 1_000;

    private final LocalConfig config;
    /** Where the demo's generated traffic ends (an hour boundary), fixed before any job runs; null without --demo. */
    private Instant demoTrafficEnd;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final LocalFunctions functions = new LocalFunctions();
    private final CountDownLatch startSettled = new CountDownLatch(1);
    private boolean closed;
    private volatile boolean stopRequested;
    private volatile SupervisedOpenSearch openSearch;
    private LocalAggregationJobs jobs;
    private SqsClient sqs;
    private String queueUrl;
    private AsyncInvocations async;

    private LocalPipeline(LocalConfig config) {
        this.config = config;
    }

    public static void main(String[] args) {
        LocalConfig config;
        try {
            // Moving the data folder can refuse it too (a folder of that name someone else made): one line as well.
            config = reachableByTheNode(LocalConfig.parse(Arrays.asList(args)));
        } catch (LocalConfig.UsageException e) {
            if (e.helpAsked()) {
                System.out.println(e.getMessage());
                System.exit(0);
            }
            System.err.println("rollcall local: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalPipeline pipeline = new LocalPipeline(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before the first child starts: a signal while OpenSearch is still starting (the longest part)
        // must stop it and what started before it, not leave them running without an owner.
        // Log4j's own hook is off (log4j2-local.xml): it raced this one, and what stopping logged went to a fallback
        // logger after a warning on every stop. Logging stops here, after everything else has.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pipeline.stop();
                stopped.countDown();
            } finally {
                LogManager.shutdown();
            }
        }, "rollcall-local-stop"));
        try {
            pipeline.startOrClose();
        } catch (RuntimeException e) {
            if (pipeline.stopRequested()) {
                return; // the signal's own doing: the hook is stopping what had started
            }
            if (e instanceof LocalConfig.UsageException) {
                System.err.println("rollcall local: " + e.getMessage());
                System.exit(2);
            }
            throw e;
        }
        System.out.println(pipeline.readyLine());
        System.out.flush();
        if (pipeline.config().demo()) {
            try {
                pipeline.runDemo();
            } catch (Exception e) {
                if (!pipeline.stopRequested()) {
                    System.err.println("rollcall local: the demo failed: " + e.getMessage());
                }
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public static LocalPipeline start(LocalConfig config) {
        LocalPipeline pipeline = new LocalPipeline(config);
        pipeline.startOrClose();
        return pipeline;
    }

    private void startOrClose() {
        try {
            // The lock first: a second run of the same command finds every port taken as well, and must hear that
            // local mode is already running, not be told to choose another port.
            lockDataDir();
            checkPortsFree(config);
            startAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        } finally {
            startSettled.countDown();
        }
    }

    private void startAll() {
        // Queues first: an external SQS endpoint that does not answer fails before OpenSearch's slow start.
        startQueues();
        startOpenSearch();
        registerFunctions();
        String dlq = sqs.getQueueUrl(b -> b.queueName(LocalConfig.EVENTBRIDGE_DEAD_LETTER_QUEUE)).queueUrl();
        // As in the stack: the EventBridge function's failed asynchronous invocations go to the event-delivery DLQ.
        async = started(new AsyncInvocations(functions,
                Map.of(INGEST_EVENTBRIDGE, json -> sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(json))), ASYNC_RETRY_DELAY_MILLIS));
        LambdaInvokeEndpoint lambda = started(new LambdaInvokeEndpoint(config.lambdaPort(), functions, async));
        lambda.start();
        endpoints.put("lambda", "http://127.0.0.1:" + config.lambdaPort() + " (functions " + String.join(", ", functions.names()) + ")");
        EventBusEndpoint bus = started(new EventBusEndpoint(config.eventsPort(), async, INGEST_EVENTBRIDGE));
        bus.start();
        endpoints.put("eventbridge", "http://127.0.0.1:" + config.eventsPort());
        HttpApiEndpoint api = started(new HttpApiEndpoint(config.queryPort(), functions, INGEST_WEBHOOK, QUERY_API));
        api.start();
        endpoints.put("api", "http://127.0.0.1:" + config.queryPort() + " (POST /v1/events/{source}, GET /v1/...)");
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(sqs, queueUrl, LocalConfig.REGION,
                new SqsEventSourceMapping.Settings(10, LocalConfig.SQS_BATCHING_WINDOW), event -> {
                    LocalFunctions.Result result = functions.invoke(INGEST_SQS, event);
                    if (result.error() != null) {
                        throw new IllegalStateException(result.error());
                    }
                    return result.response();
                });
        started(mapping).start();
        if (!config.schedule().isZero()) {
            var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("aggregation-schedule").unstarted(r));
            scheduler.scheduleAtFixedRate(() -> jobs.start(List.of("--incremental"), 1, null, "rollcall-incremental"),
                    config.schedule().toSeconds(), config.schedule().toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            started(scheduler::shutdownNow);
            endpoints.put("scheduler", "incremental aggregation every " + config.schedule().toMinutes() + " min");
        }
    }

    /**
     * Under root the node runs as nobody, who cannot enter a checkout under a private home such as /root: the default
     * data folder moves to the temp folder then, said in one line ({@link #requireReachableByTheNode} refuses a folder
     * given by hand once OpenSearch is about to start).
     */
    static LocalConfig reachableByTheNode(LocalConfig config) {
        if (config.dataDirGiven() || OpenSearchProcess.nodeUserCanReach(config.dataDir())) {
            return config;
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "rollcall-" + config.dataDir().getFileName() + "-"
                + Integer.toHexString(config.dataDir().toAbsolutePath().toString().hashCode()));
        System.err.println("rollcall local: " + config.dataDir().toAbsolutePath() + " is not reachable by user nobody, who runs OpenSearch"
                + " under root; keeping the data in " + fallback);
        requireOwnFolder(fallback);
        return config.withDataDir(fallback);
    }

    /**
     * Makes {@code dir} this user's own folder, or refuses one that exists and is not: its name in the shared temp
     * folder is predictable, and a folder another user made first (a planted OpenSearch distribution, a link where
     * root writes its config) would let that user run code as root.
     */
    static void requireOwnFolder(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                return;
            }
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal self = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
            Set<PosixFilePermission> perms = attributes.permissions();
            if (!attributes.isDirectory() || !attributes.owner().equals(self)
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new LocalConfig.UsageException(dir + " is not a folder of " + self.getName() + "'s that only "
                        + self.getName() + " can write (" + (attributes.isSymbolicLink() ? "a link" : "owner " + attributes.owner().getName()
                        + ", " + PosixFilePermissions.toString(perms)) + "); another user may have made it: remove it, or choose a folder with --data-dir");
            }
        } catch (IOException e) {
            throw new LocalConfig.UsageException("cannot create data directory " + dir + ": " + e.getMessage());
        }
    }

    /** A data folder or JDK the node's user cannot reach, as one line naming what to change rather than a failed start. */
    static void requireReachableByTheNode(LocalConfig config) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        if (!OpenSearchProcess.nodeUserCanReach(javaHome) && System.getenv("OPENSEARCH_JAVA_HOME") == null) {
            throw new LocalConfig.UsageException("OpenSearch runs as nobody under root, and nobody cannot run the JDK in " + javaHome
                    + ": use a JDK 21+ installed for all users (such as /usr/lib/jvm), or set OPENSEARCH_JAVA_HOME to one");
        }
        if (!OpenSearchProcess.nodeUserCanReach(config.dataDir())) {
            throw new LocalConfig.UsageException("OpenSearch runs as nobody under root, and nobody cannot enter " + config.dataDir().toAbsolutePath()
                    + " (--data-dir): choose a folder every user can reach, such as one under /tmp, or run as a normal user");
        }
    }

    /**
     * Whether OpenSearch's data is deleted before it starts: only a demo's own folder (or where it moved under root).
     * Its traffic ends at the hour it starts, and kept beside an earlier one it would count a second, shifted month;
     * a folder given by hand is kept.
     */
    static boolean startsAfresh(LocalConfig config) {
        return config.demo() && !config.dataDirGiven();
    }

    /**
     * Holds the data folder for this run: a second run on the same folder (a demo started again on other ports)
     * would delete, or share, the data the first one's OpenSearch is using. The lock ends with this JVM.
     */
    private void lockDataDir() {
        Path data = config.dataDir().toAbsolutePath();
        Path lockFile = data.resolve(LOCK_FILE);
        try {
            Files.createDirectories(data);
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new LocalConfig.UsageException("another ./rollcall local or demo is running on " + data
                        + ": stop it first, or give this one a folder of its own with --data-dir");
            }
            started(channel);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new LocalConfig.UsageException("this process already runs local mode on " + data);
        } catch (IOException e) {
            throw new LocalConfig.UsageException("cannot create data directory " + data + ": " + e.getMessage());
        }
    }

    private void startOpenSearch() {
        requireReachableByTheNode(config);
        Path data = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new LocalConfig.UsageException("cannot create data directory " + data + ": " + e.getMessage());
        }
        String zip = System.getProperty("rollcall.opensearch.zip");
        if (zip == null) {
            throw new LocalConfig.UsageException("system property rollcall.opensearch.zip is not set; start local mode with ./rollcall local");
        }
        // The node's start is the longest silence of a start; every refusal of it (folder, ports, user) is behind.
        System.out.println("rollcall local: starting OpenSearch (about a minute) ...");
        System.out.flush();
        openSearch = started(SupervisedOpenSearch.launch(new OpenSearchProcess.Settings(Path.of(zip), System.getProperty("rollcall.opensearch.version"),
                data.resolve("dist"), data.resolve("opensearch"), config.openSearchPort(), "512m", Duration.ofSeconds(180), !startsAfresh(config)),
                ProcessHandle.current().pid()));
        openSearch.awaitHealthy();
        OpenSearchConfig search = openSearchConfig();
        new IndexTemplateInstaller(OpenSearchClients.create(search), search.indexNames(), 0).install();
        endpoints.put("opensearch", openSearch.uri().toString());
    }

    private void startQueues() {
        URI endpoint = config.externalSqsEndpoint().orElseGet(() ->
                started(ElasticMqServer.start(config.sqsPort(), LocalConfig.REGION, LocalConfig.ACCOUNT_ID)).endpoint());
        sqs = started(SqsClient.builder().endpointOverride(endpoint).region(Region.of(LocalConfig.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
        try {
            createQueues();
        } catch (SdkException e) {
            if (config.externalSqsEndpoint().isEmpty()) {
                throw e;
            }
            throw new LocalConfig.UsageException("cannot create the queues at the SQS endpoint " + endpoint
                    + " (--sqs-endpoint): " + e.getMessage());
        }
        endpoints.put("sqs", endpoint + " (queue " + queueUrl + ")");
    }

    /**
     * The queues of the CDK stack: the ingest queue with its redrive policy, its DLQ and the EventBridge DLQ, each
     * taking SQS's largest message as the stack's do (an SQS endpoint that enforces the 256 KiB default would refuse a
     * larger webhook body on every retry).
     */
    private void createQueues() {
        String dlqUrl = queue(LocalConfig.DEAD_LETTER_QUEUE, LARGEST_MESSAGES);
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = queue(LocalConfig.QUEUE, Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + LocalConfig.MAX_RECEIVE_COUNT + "\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(LocalConfig.VISIBILITY_TIMEOUT_SECONDS),
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, LARGEST_MESSAGES.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)));
        queue(LocalConfig.EVENTBRIDGE_DEAD_LETTER_QUEUE, LARGEST_MESSAGES);
    }

    /**
     * The queue's URL, created with {@code attributes}; an SQS endpoint that keeps queues between runs (LocalStack)
     * refuses to create one again with other attributes than an earlier release gave it, so that one is updated.
     */
    private String queue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        } catch (software.amazon.awssdk.services.sqs.model.QueueNameExistsException e) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            return url;
        }
    }

    /** SQS's largest message, 1 MiB. */
    private static final Map<QueueAttributeName, String> LARGEST_MESSAGES = Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            Integer.toString(1024 * 1024));

    private void registerFunctions() {
        // Every function runs with the stack's timeouts and OpenSearch budgets: a hung node looks here as deployed.
        IngestRuntime ingest = new IngestRuntime(IngestConfig.asDeployed(openSearchConfig()),
                config.normalizer(), Clock.systemUTC());
        endpoints.put("rules", config.rulesFile().map(Path::toString).orElse("bundled"));
        // As deployed: what OpenSearch cannot take yet waits on the ingest queue.
        EventBridgeHandler eventBridge = new EventBridgeHandler(ingest,
                java.util.Optional.of(new EventRetryQueue.SqsEventRetryQueue(sqs, URI.create(queueUrl))));
        functions.register(INGEST_EVENTBRIDGE, LambdaRuntimeAdapter.ofStream(INGEST_EVENTBRIDGE, eventBridge, FunctionBudgets.EVENTBRIDGE_INGEST_TIMEOUT));
        functions.register(INGEST_SQS, LambdaRuntimeAdapter.of(INGEST_SQS, new SqsHandler(ingest), SQSEvent.class, SQSBatchResponse.class, FunctionBudgets.SQS_INGEST_TIMEOUT));
        WebhookConfig webhook = new WebhookConfig(URI.create(queueUrl), null, webhookSecretsJson(), WebhookConfig.DEFAULT_MAX_BODY_BYTES, null);
        WebhookHandler webhookHandler = new WebhookHandler(webhook,
                new WebhookAuthenticator(StaticWebhookSecrets.parse(webhookSecretsJson(), "local webhook secrets")), sqs);
        functions.register(INGEST_WEBHOOK, LambdaRuntimeAdapter.of(INGEST_WEBHOOK, webhookHandler,
                APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class, FunctionBudgets.WEBHOOK_TIMEOUT));
        LocalJobSettings jobSettings = LocalJobSettings.of(LocalJobSettings.DEFAULT_TIMEOUT, config.jobStopGrace());
        // The demo's history arrives in one go, today: without its start the job would date collecting from today, and
        // /v1/oncall would compare none of the demo's months. Kept in the data folder for a later ./rollcall local on
        // it, whose first incremental run may be the first to record it (the demo's own aggregation is a window).
        Path historyStart = config.dataDir().resolve(DEMO_HISTORY_START);
        try {
            if (config.demo()) {
                demoTrafficEnd = Instant.now().truncatedTo(ChronoUnit.HOURS);
                Files.writeString(historyStart, demoTrafficEnd.minus(Duration.ofDays(config.demoDays())).toString());
            }
            if (Files.exists(historyStart)) {
                String start = Files.readString(historyStart).strip();
                try {
                    Instant.parse(start);
                } catch (java.time.format.DateTimeParseException e) {
                    // Every job would refuse to start on it, the scheduled ones without a word here.
                    throw new LocalConfig.UsageException(historyStart.toAbsolutePath() + " holds '" + start
                            + "', not a time such as 2026-09-28T02:00:00Z: correct it or delete it");
                }
                jobSettings = jobSettings.with("ROLLCALL_COLLECTING_SINCE", start);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the demo's start in " + historyStart, e);
        }
        jobs = started(new LocalAggregationJobs(openSearchConfig(), config.dataDir().toAbsolutePath().resolve("jobs"), jobSettings,
                Clock.systemUTC()));
        QueryApiHandler query = new QueryApiHandler(QueryApi.create(QueryApiConfig.local(
                openSearchConfig().withTimeout(FunctionBudgets.QUERY_OPENSEARCH_TIMEOUT)), jobs));
        functions.register(QUERY_API, LambdaRuntimeAdapter.of(QUERY_API, query, APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class,
                FunctionBudgets.QUERY_TIMEOUT));
    }

    /** Loads a month of generated traffic through the real doors and waits until all of it is in OpenSearch. */
    void runDemo() throws Exception {
        System.out.println("demo: sending " + config.demoDays() + " days of generated alert traffic through SQS, PutEvents and webhooks ...");
        DemoLoader loader = new DemoLoader(sqs, queueUrl, URI.create("http://127.0.0.1:" + config.queryPort()),
                URI.create("http://127.0.0.1:" + config.eventsPort()), LocalConfig.WEBHOOK_SECRET);
        DemoLoader.Sent sent = loader.load(config.seed(), config.demoDays(),
                java.util.Objects.requireNonNull(demoTrafficEnd, "the demo's end is fixed when local mode starts with --demo"));
        // PutEvents answers once its events are matched; their deliveries run in the background, as in AWS.
        if (!async.awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the event bus's deliveries did not end within 5 minutes");
        }
        awaitQueueDrained(Duration.ofMinutes(5));
        // Stored is not yet searchable: the events index refreshes every 5 s, and a job that starts in between misses
        // the last events, which no later incremental run revisits.
        refreshEvents();
        System.out.printf("demo: %d events sent (%d via SQS, %d via PutEvents, %d via webhooks) for %s .. %s%n",
                sent.total(), sent.viaSqs(), sent.viaPutEvents(), sent.viaWebhooks(), sent.from(), sent.to());
        System.out.println("demo: aggregating hour, day and month rollups ...");
        // Up to the current hour, where the job stops anyway: the window it lists is then the one it computed.
        Instant afterLast = sent.to().plus(Duration.ofHours(1));
        Instant currentHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant until = afterLast.isAfter(currentHour) ? currentHour : afterLast;
        JobStatus job = jobs.submit(new JobRequest(sent.from().minus(Duration.ofDays(1)), until, JobInterval.ALL, 1));
        JobStatus done = jobs.await(job.id(), Duration.ofMinutes(10));
        System.out.println("demo: aggregation job " + done.id() + " " + done.state()
                + (done.statusReason() == null ? "" : " (" + done.statusReason() + ")") + "; log in " + jobs.logFile(done.id()));
        Path exampleEvent = config.dataDir().resolve(DemoGuide.EXAMPLE_EVENT);
        Instant now = Instant.now();
        Files.writeString(exampleEvent, DemoGuide.exampleEvent(DemoGuide.exampleTime(now)));
        System.out.println(DemoGuide.examples(config, exampleEvent, now));
    }

    private void refreshEvents() throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> answer;
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            answer = http.send(java.net.http.HttpRequest.newBuilder(openSearch.uri().resolve("/" + new dev.rollcall.core.store.IndexNames(
                    LocalConfig.INDEX_PREFIX).eventsPattern() + "/_refresh")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("refreshing the events indices failed: HTTP " + answer.statusCode() + " " + answer.body());
        }
    }

    private void awaitQueueDrained(Duration timeout) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        while (java.time.Instant.now().isBefore(deadline)) {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            long left = Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            if (left == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the queue did not drain within " + timeout);
    }

    /**
     * Every source shares one secret locally; printed in the ready line's examples. Sentry and PagerDuty are named:
     * signing sources never fall back to the default.
     */
    static String webhookSecretsJson() {
        String secret = "\"" + LocalConfig.WEBHOOK_SECRET + "\"";
        return "{\"sentry\":" + secret + ",\"pagerduty\":" + secret + ",\"default\":" + secret + "}";
    }

    public OpenSearchConfig openSearchConfig() {
        return OpenSearchConfig.local(openSearch.uri(), LocalConfig.INDEX_PREFIX);
    }

    public LocalAggregationJobs jobs() {
        return jobs;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public LocalConfig config() {
        return config;
    }

    /** One line naming every endpoint, printed when all are up. */
    public String readyLine() {
        StringBuilder line = new StringBuilder("rollcall local ready:");
        endpoints.forEach((name, value) -> line.append(' ').append(name).append('=').append(value).append(';'));
        line.append(" data=").append(config.dataDir().toAbsolutePath());
        if (String.valueOf(System.getProperty("log4j2.configurationFile")).endsWith(FUNCTION_LOGS_CONFIG)) {
            line.append("; function logs=").append(FUNCTION_LOGS.toAbsolutePath());
        }
        return line.toString();
    }

    /** Registers what just started for {@link #close}; after a stop began, closes it at once and ends the start. */
    private synchronized <T extends AutoCloseable> T started(T resource) {
        if (closed) {
            closeQuietly(resource);
            throw new StartStopped();
        }
        running.push(resource);
        return resource;
    }

    /** Whether {@link #stop} was called (a signal), so a start that fails from then on failed because of it. */
    boolean stopRequested() {
        return stopRequested;
    }

    /**
     * {@link #close}, then a bounded wait for a start in progress to give up: the starting thread may have launched
     * a child it has not registered yet, and the JVM must not halt before it registers (and so closes) it.
     */
    void stop() {
        stopRequested = true;
        close();
        try {
            startSettled.await(START_SETTLE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops everything that was started, newest first; safe to call twice. */
    @Override
    public synchronized void close() {
        closed = true;
        if (openSearch != null) {
            // First: a signal to the process group (Ctrl-C, a stop of the whole group) ends the node as well, before the
            // closes below reach it, and that exit is this stop's, not a crash to restart from (the supervisor waits
            // SupervisedOpenSearch.STOP_NOTICE for this call before it restarts).
            openSearch.stopSupervising();
        }
        if (jobs != null) {
            // Before the scheduler, the poller and the endpoints, which take seconds to close.
            jobs.stopStarting();
        }
        while (!running.isEmpty()) {
            closeQuietly(running.pop());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", resource, e.toString());
        }
    }

    /** A start ended because local mode is stopping: expected, so without a stack trace. */
    private static final class StartStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartStopped() {
            super("local mode is stopping", null, false, false);
        }
    }

    private static void checkPortsFree(LocalConfig config) {
        for (Map.Entry<String, Integer> port : config.ports().entrySet()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port.getValue()));
            } catch (IOException e) {
                throw new LocalConfig.UsageException("port " + port.getValue() + " is already in use; choose another with " + port.getKey());
            }
        }
    }
}
