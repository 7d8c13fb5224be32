package dev.rollcall.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.rollup.ArrayJobSize;
import dev.rollcall.core.rollup.RollupRules;
import dev.rollcall.core.store.EventsRetention;
import dev.rollcall.core.store.OpenSearchConfig;

/**
 * The job's configuration, read once from the environment (see the module README for every variable); a wrong
 * value fails fast with a {@link UsageException} naming the variable.
 *
 * @param leaseExpiry how long the run lease lasts without renewal; a killed run blocks the next one for at most this long
 * @param leaseWait   how long a window or previous-day run waits for another plan's lease before giving up (exit 1)
 * @param eventsRetention how long raw events are kept (the stack's {@code eventsRetentionDays}); zero when nothing
 *                        deletes them, as in local mode
 * @param maxIncrementalWindow the most an incremental run computes; a backlog larger than that (an outage, a first
 *                             run over a long retention, a flood of late events) is worked off by successive runs,
 *                             each finishing inside its Batch attempt
 * @param retryFor how long one request to OpenSearch is retried (unreachable, 429, 5xx) before the run fails with
 *                 exit 1 and Batch retries the job
 * @param catchUpFor how long after the job started a capped incremental run may go on with the next window at once,
 *                   so a backlog (a first run over the retention, a late event weeks old) is worked off in one job
 *                   instead of one window per scheduled run; zero stops after one window
 * @param jobId  AWS_BATCH_JOB_ID, or a generated {@code local-…} id
 * @param planId the array job's parent id (AWS_BATCH_JOB_ID without {@code :index}): children and retries of one
 *               Batch job share one plan; null outside Batch
 */
public record JobConfig(OpenSearchConfig openSearch, RollupRules rules, Duration settleDelay, int pageSize,
                        Duration pagePause, Duration progressInterval, Duration leaseExpiry, Duration leaseWait, Duration eventsRetention,
                        Duration maxIncrementalWindow, Duration retryFor, Duration catchUpFor, String jobId, String planId, ShardSpec shard,
                        Optional<Instant> collectingSince) {

    /** How long a request is retried unless {@code ROLLCALL_JOB_RETRY_FOR} says otherwise. */
    static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(5);

    /**
     * A month of events per incremental run: an hourly run normally covers an hour or two, and 1M events take about
     * 20 s on two cores, so a month fits any attempt timeout; a first run over 90 days of retention catches up in
     * three runs instead of one that could outlast its attempt and, never retried after a timeout, start over for ever.
     */
    static final Duration DEFAULT_MAX_INCREMENTAL_WINDOW = Duration.ofDays(31);

    /**
     * A quarter of the stack's default attempt timeout (60 minutes): the window started last still finishes well within
     * it (a month of a million events takes about 30 s).
     */
    static final Duration DEFAULT_CATCH_UP_FOR = Duration.ofMinutes(15);

    private static final Duration MIN_LEASE_EXPIRY = Duration.ofSeconds(1);

    /** OpenSearch's default {@code index.max_result_window}: the largest page a search may ask for. */
    public static final int MAX_PAGE_SIZE = 10_000;


    public static JobConfig fromEnvironment(Map<String, String> env) {
        OpenSearchConfig openSearch;
        try {
            openSearch = OpenSearchConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        RollupRules defaults = RollupRules.DEFAULTS;
        RollupRules rules;
        int flapChanges = integer(env, "ROLLCALL_JOB_FLAP_CHANGES", defaults.flapChanges(), 2, 1000);
        Duration flapWindow = duration(env, "ROLLCALL_JOB_FLAP_WINDOW", defaults.flapWindow());
        Duration transientThreshold = duration(env, "ROLLCALL_JOB_TRANSIENT_THRESHOLD", defaults.transientThreshold());
        Duration standingThreshold = duration(env, "ROLLCALL_JOB_STANDING_THRESHOLD", defaults.standingThreshold());
        Duration correlationWindow = duration(env, "ROLLCALL_JOB_CORRELATION_WINDOW", defaults.correlationWindow());
        Duration maxAge = duration(env, "ROLLCALL_JOB_EPISODE_MAX_AGE", defaults.episodeMaxAge());
        try {
            rules = new RollupRules(flapChanges, flapWindow, transientThreshold, standingThreshold, correlationWindow, maxAge);
        } catch (IllegalArgumentException e) {
            throw new UsageException("ROLLCALL_JOB_STANDING_THRESHOLD / ROLLCALL_JOB_EPISODE_MAX_AGE: " + e.getMessage());
        }
        Duration settle = duration(env, "ROLLCALL_JOB_SETTLE_DELAY", Duration.ofMinutes(15));
        int pageSize = integer(env, "ROLLCALL_JOB_PAGE_SIZE", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        Duration pause = durationOrZero(env, "ROLLCALL_JOB_PAGE_PAUSE");
        Duration progress = durationOrZero(env, "ROLLCALL_JOB_PROGRESS_INTERVAL", Duration.ofSeconds(10));
        Duration leaseExpiry = duration(env, "ROLLCALL_JOB_LEASE_EXPIRY", Duration.ofMinutes(5));
        if (leaseExpiry.compareTo(MIN_LEASE_EXPIRY) < 0) {
            // It is renewed every fifth of it: a few milliseconds would renew it every 0 ms, which no scheduler takes.
            throw new UsageException("ROLLCALL_JOB_LEASE_EXPIRY must be at least 1s, got " + env.get("ROLLCALL_JOB_LEASE_EXPIRY"));
        }
        Duration leaseWait = durationOrZero(env, "ROLLCALL_JOB_LEASE_WAIT", Duration.ofMinutes(30));
        Duration retention = Duration.ofDays(integer(env, EventsRetention.VARIABLE, 0, 0, 3650));
        Duration maxWindow = duration(env, "ROLLCALL_JOB_MAX_WINDOW", DEFAULT_MAX_INCREMENTAL_WINDOW);
        if (maxWindow.compareTo(Duration.ofHours(1)) < 0) {
            throw new UsageException("ROLLCALL_JOB_MAX_WINDOW must be at least 1h (a run computes whole hours), got " + env.get("ROLLCALL_JOB_MAX_WINDOW"));
        }
        Duration retryFor = duration(env, "ROLLCALL_JOB_RETRY_FOR", DEFAULT_RETRY_FOR);
        Duration catchUpFor = durationOrZero(env, "ROLLCALL_JOB_CATCH_UP_FOR", DEFAULT_CATCH_UP_FOR);
        Optional<Instant> collectingSince = instant(env, "ROLLCALL_COLLECTING_SINCE");

        String batchJobId = blankToNull(env.get("AWS_BATCH_JOB_ID"));
        String jobId = batchJobId != null ? batchJobId : "local-" + UUID.randomUUID().toString().substring(0, 8);
        String planId = batchJobId == null ? null : batchJobId.contains(":") ? batchJobId.substring(0, batchJobId.indexOf(':')) : batchJobId;
        ShardSpec shard = shard(env, planId);
        return new JobConfig(openSearch, rules, settle, pageSize, pause, progress, leaseExpiry, leaseWait, retention, maxWindow, retryFor,
                catchUpFor, jobId, planId, shard, collectingSince);
    }

    /** The job id the environment gives, for log lines written before the rest is read. */
    public static String jobIdFrom(Map<String, String> env) {
        String id = blankToNull(env.get("AWS_BATCH_JOB_ID"));
        return id != null ? id : "local-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The same configuration with another job id (the one already used for log lines). */
    public JobConfig withJobId(String id) {
        return new JobConfig(openSearch, rules, settleDelay, pageSize, pagePause, progressInterval, leaseExpiry, leaseWait,
                eventsRetention, maxIncrementalWindow, retryFor, catchUpFor, id, planId, shard, collectingSince);
    }

    /**
     * The configuration of the job's {@code round}th run when it catches up (round 1 is its first): a plan of its own
     * each, since a Batch job's plan is made once per id and its retries share it (a retry of this job takes the rounds'
     * plans again by their ids; see aggregate-batch-job/README.md for where it resumes and where it stops).
     */
    JobConfig forRound(int round) {
        if (round == 1 || planId == null) {
            return this;
        }
        return new JobConfig(openSearch, rules, settleDelay, pageSize, pagePause, progressInterval, leaseExpiry, leaseWait,
                eventsRetention, maxIncrementalWindow, retryFor, catchUpFor, jobId, planId + "-round-" + round, shard, collectingSince);
    }

    /** How often a running job renews its lease: five times per expiry, so a few slow or failed renewals do not lose it. */
    public Duration leaseRenewal() {
        return leaseExpiry.dividedBy(5);
    }

    private static ShardSpec shard(Map<String, String> env, String planId) {
        String index = blankToNull(env.get("AWS_BATCH_JOB_ARRAY_INDEX"));
        String size = blankToNull(env.get(ArrayJobSize.VARIABLE));
        if (index == null && size == null) {
            return ShardSpec.WHOLE;
        }
        if (size == null) {
            throw new UsageException("AWS_BATCH_JOB_ARRAY_SIZE is required with AWS_BATCH_JOB_ARRAY_INDEX (pass the array size to the children)");
        }
        int count = integer(env, ArrayJobSize.VARIABLE, 1, 1, 10_000);
        int i = index == null ? 0 : integer(env, "AWS_BATCH_JOB_ARRAY_INDEX", 0, 0, count - 1);
        if (count > 1 && planId == null) {
            throw new UsageException("AWS_BATCH_JOB_ID is required with AWS_BATCH_JOB_ARRAY_SIZE > 1: the children share one plan by it");
        }
        return new ShardSpec(i, count);
    }

    private static Optional<Instant> instant(Map<String, String> env, String name) {
        String text = blankToNull(env.get(name));
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.strip()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(name + " must be an ISO-8601 instant such as 2026-03-10T00:00:00Z, got '" + text + "'");
        }
    }

    private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
        String text = blankToNull(env.get(name));
        if (text == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException(name + " must be within " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static Duration duration(Map<String, String> env, String name, Duration defaultValue) {
        Duration d = durationOrZero(env, name, defaultValue);
        if (d.isZero()) {
            throw new UsageException(name + " must be longer than zero");
        }
        return d;
    }

    private static Duration durationOrZero(Map<String, String> env, String name) {
        return durationOrZero(env, name, Duration.ZERO);
    }

    /** ISO-8601 ({@code PT15M}, {@code P7D}) or a number with a unit ({@code 500ms}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}). */
    static Duration durationOrZero(Map<String, String> env, String name, Duration defaultValue) {
        String text = blankToNull(env.get(name));
        if (text == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = EnvironmentValues.parseDuration(text);
        } catch (ArithmeticException e) {
            // Exit 2 like any other bad value: an exit 1 would have Batch retry a job that cannot start.
            throw new UsageException(name + " is longer than any duration the job can wait, got '" + text + "'");
        } catch (DateTimeParseException e) {
            throw new UsageException(name + " must be a duration such as PT15M, P7D, 90s or 15m, got '" + text + "'");
        }
        if (d.isNegative()) {
            throw new UsageException(name + " must not be negative, got '" + text + "'");
        }
        return d;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
