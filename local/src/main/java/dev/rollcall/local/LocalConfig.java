package dev.rollcall.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.rollcall.core.classify.ClassificationRules;
import dev.rollcall.core.classify.RulesFileException;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.routing.DeliveryDefaults;

/**
 * Local mode's settings, from command-line options. Ports default to the ones SAM local and the AWS tools use, so
 * {@code --endpoint-url} examples work as written. With an external SQS endpoint (such as LocalStack) local mode
 * creates its queues there instead of starting ElasticMQ, and {@code sqsPort} is unused. {@code jobStopGrace} is
 * how long an aggregation job stopped at its timeout (or with local mode) gets between SIGTERM and SIGKILL, from
 * {@value #JOB_STOP_GRACE_VARIABLE}. {@code dataDirGiven} says whether {@code --data-dir} chose the data folder: one
 * given by hand is never moved or emptied.
 */
public record LocalConfig(Path dataDir, boolean dataDirGiven, int queryPort, int lambdaPort, int eventsPort, int sqsPort,
                          Optional<URI> externalSqsEndpoint, int openSearchPort,
                          Duration schedule, boolean demo, int demoDays, long seed, Optional<Path> rulesFile,
                          Duration jobStopGrace) {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String INDEX_PREFIX = "rollcall";
    public static final String QUEUE = "rollcall-events";
    public static final String DEAD_LETTER_QUEUE = "rollcall-events-dlq";
    public static final String EVENTBRIDGE_DEAD_LETTER_QUEUE = "rollcall-eventbridge-dlq";
    /** As in the CDK stack: a message that failed this many receives moves to the dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = DeliveryDefaults.MAX_RECEIVE_COUNT;
    /** The SQS event source's batching window. */
    public static final Duration SQS_BATCHING_WINDOW = Duration.ofSeconds(1);
    /**
     * The CDK stack's formula, six function timeouts plus the batching window: 361 s with local mode's 1 s window (the
     * stack's default 5 s window makes 365 s). At 30 s, shorter than the function's timeout, a batch waiting out an
     * OpenSearch outage was received again every 30 s while it waited, and reached the dead-letter queue in minutes
     * instead of half an hour.
     */
    public static final int VISIBILITY_TIMEOUT_SECONDS = DeliveryDefaults.ingestQueueVisibilitySeconds(
            (int) FunctionBudgets.SQS_INGEST_TIMEOUT.toSeconds(), (int) SQS_BATCHING_WINDOW.toSeconds());
    public static final String WEBHOOK_SECRET = "local-webhook-secret";
    public static final String JOB_STOP_GRACE_VARIABLE = "ROLLCALL_LOCAL_JOB_STOP_GRACE";

    static final String USAGE = """
            usage: ./rollcall local [options]    (./rollcall demo adds --demo)
              --demo                 load a month of generated alert traffic, aggregate it, print example requests
              --demo-days N          days of demo traffic (default 30)
              --seed N               demo generator seed (default 42)
              --data-dir DIR         where OpenSearch keeps its data across restarts (default .rollcall/local;
                                     a demo's is .rollcall/demo, emptied as each demo starts; a DIR given is kept)
              --query-port N         query API and webhooks, as sam local start-api (default 3000)
              --lambda-port N        Lambda Invoke API, as sam local start-lambda (default 3001)
              --events-port N        EventBridge PutEvents endpoint (default 3002)
              --sqs-port N           SQS (ElasticMQ) endpoint (default 9324)
              --sqs-endpoint URL     use the SQS at URL (e.g. LocalStack's http://127.0.0.1:4566) instead of starting ElasticMQ
              --opensearch-port N    OpenSearch HTTP port (default 9200)
              --schedule-minutes N   run the incremental aggregation every N minutes, 0 to turn off (default 5)
              --rules FILE           classification rules file, as ROLLCALL_RULES_FILE in the stack (default
                                     $ROLLCALL_RULES_FILE, else the bundled rules); check one with ./rollcall rules FILE
            environment:
              ROLLCALL_LOCAL_JOB_STOP_GRACE   time an aggregation job stopped at its timeout gets between SIGTERM and
                                              SIGKILL, as Batch gives it (ISO-8601, default PT30S)
            """;

    /** Parses options; a bad option fails with a message naming it. */
    public static LocalConfig parse(List<String> args) {
        return parse(args, System.getenv());
    }

    /** As {@link #parse(List)}, with {@code env} in place of the process's environment. */
    static LocalConfig parse(List<String> args, Map<String, String> env) {
        Map<String, String> options = new LinkedHashMap<>();
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.isBlank()) {
                continue;
            }
            if (arg.equals("--demo")) {
                demo = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(USAGE, true);
            } else if (arg.startsWith("--") && i + 1 < args.size()) {
                options.put(arg, args.get(++i));
            } else {
                throw new UsageException("unknown or incomplete option '" + arg + "'\n" + USAGE);
            }
        }
        Path dataDir = Path.of(options.getOrDefault("--data-dir", defaultDataDir(demo).toString()));
        LocalConfig config = new LocalConfig(dataDir, options.containsKey("--data-dir"),
                port(options, "--query-port", 3000), port(options, "--lambda-port", 3001), port(options, "--events-port", 3002),
                port(options, "--sqs-port", 9324), endpoint(options, "--sqs-endpoint"), port(options, "--opensearch-port", 9200),
                Duration.ofMinutes(number(options, "--schedule-minutes", 5, 0, 1440)), demo,
                (int) number(options, "--demo-days", 30, 1, 400), number(options, "--seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                rulesFile(options, env), stopGrace(env));
        options.keySet().removeAll(List.of("--data-dir", "--query-port", "--lambda-port", "--events-port", "--sqs-port",
                "--sqs-endpoint", "--opensearch-port", "--schedule-minutes", "--demo-days", "--seed", "--rules"));
        if (!options.isEmpty()) {
            throw new UsageException("unknown option '" + options.keySet().iterator().next() + "'\n" + USAGE);
        }
        return config;
    }

    /**
     * Where OpenSearch keeps its data unless {@code --data-dir} says otherwise: the demo has a folder of its own, which
     * each demo starts afresh (its traffic ends at the hour it starts), so that it never mixes with local mode's.
     */
    public static Path defaultDataDir(boolean demo) {
        return Path.of(demo ? ".rollcall/demo" : ".rollcall/local");
    }

    /** This configuration with its data in {@code folder}. */
    public LocalConfig withDataDir(Path folder) {
        return new LocalConfig(folder, dataDirGiven, queryPort, lambdaPort, eventsPort, sqsPort, externalSqsEndpoint, openSearchPort, schedule, demo,
                demoDays, seed, rulesFile, jobStopGrace);
    }

    /** The ingest functions' normalizer: the rules file's, else the bundled rules. */
    public EventNormalizer normalizer() {
        return rulesFile.map(EventNormalizer::withRulesFile).orElseGet(EventNormalizer::withBundledRules);
    }

    /** {@code --rules}, else the stack's variable, checked now so that a typo stops local mode before anything starts. */
    private static Optional<Path> rulesFile(Map<String, String> options, Map<String, String> env) {
        String option = options.get("--rules");
        String variable = env.get(EventNormalizer.RULES_FILE_VARIABLE);
        String name = option != null ? "--rules" : EventNormalizer.RULES_FILE_VARIABLE;
        String text = option != null ? option : variable;
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(text.trim());
        try {
            ClassificationRules.load(file);
        } catch (RulesFileException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
        return Optional.of(file);
    }

    /** {@value #JOB_STOP_GRACE_VARIABLE}, a duration such as {@code PT30S} or {@code 30s}; Batch's default if unset. */
    private static Duration stopGrace(Map<String, String> env) {
        String text = env.get(JOB_STOP_GRACE_VARIABLE);
        if (text == null || text.isBlank()) {
            return LocalJobSettings.DEFAULT_STOP_GRACE;
        }
        try {
            Duration grace = dev.rollcall.core.config.EnvironmentValues.parseDuration(text);
            if (!grace.isNegative() && grace.compareTo(Duration.ofMinutes(10)) <= 0) {
                return grace;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below, with the variable's name
        }
        throw new UsageException(JOB_STOP_GRACE_VARIABLE + " must be a duration from PT0S to PT10M such as PT30S or 30s, got '" + text + "'");
    }

    /** The ports local mode listens on, by the option that sets each, for the "port taken" check. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--query-port", queryPort);
        ports.put("--lambda-port", lambdaPort);
        ports.put("--events-port", eventsPort);
        if (externalSqsEndpoint.isEmpty()) {
            ports.put("--sqs-port", sqsPort);
        }
        ports.put("--opensearch-port", openSearchPort);
        return ports;
    }

    /** Where producers send SQS messages: the external endpoint, else local mode's ElasticMQ. */
    public URI sqsEndpoint() {
        return externalSqsEndpoint.orElseGet(() -> URI.create("http://127.0.0.1:" + sqsPort));
    }

    private static Optional<URI> endpoint(Map<String, String> options, String name) {
        String text = options.get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below, with the option's name
        }
        throw new UsageException(name + " must be an http(s) URL such as http://127.0.0.1:4566, got '" + text + "'");
    }

    private static int port(Map<String, String> options, String name, int defaultValue) {
        return (int) number(options, name, defaultValue, 1, 65535);
    }

    private static long number(Map<String, String> options, String name, long defaultValue, long min, long max) {
        String text = options.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < min || value > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + text + "'");
        }
    }

    /** A bad command line: printed as one message, never a stack trace. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean helpAsked;

        public UsageException(String message) {
            this(message, false);
        }

        UsageException(String message, boolean helpAsked) {
            super(message, null, false, false);
            this.helpAsked = helpAsked;
        }

        /** The usage was asked for ({@code --help}): an answer, not an error. */
        public boolean helpAsked() {
            return helpAsked;
        }
    }
}
