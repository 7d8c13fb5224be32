package dev.rollcall.query;

import java.time.Duration;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.jobs.BatchJobTarget;
import dev.rollcall.query.jobs.JobSizing;
import dev.rollcall.query.params.QueryLimits;

/**
 * Everything the query API reads from its environment, once, at start-up. {@code batch} is null where jobs are
 * run some other way (local mode, benchmarks), which then pass their own runner to {@link QueryApi#create}.
 *
 * <table>
 * <caption>Environment variables (besides those of {@link OpenSearchConfig}, {@link QueryLimits}, {@link JobSizing}
 * and {@link AnswerCacheSettings})</caption>
 * <tr><td>ROLLCALL_BATCH_JOB_QUEUE</td><td>required: the AWS Batch job queue of aggregation jobs</td></tr>
 * <tr><td>ROLLCALL_BATCH_JOB_DEFINITION</td><td>required: their job definition</td></tr>
 * <tr><td>ROLLCALL_METRICS_NAMESPACE</td><td>CloudWatch namespace of the latency metric; default {@code Rollcall}</td></tr>
 * <tr><td>ROLLCALL_HEALTH_STALE_AFTER</td><td>how old the newest hour rollup may be before {@code /v1/health} answers
 * 503 stale, an ISO-8601 duration; default {@code PT3H}</td></tr>
 * </table>
 */
public record QueryApiConfig(OpenSearchConfig openSearch, BatchJobTarget batch, QueryLimits limits, JobSizing jobSizing,
                             String metricsNamespace, Duration healthStaleAfter, AnswerCacheSettings answerCache) {

    public static final String DEFAULT_METRICS_NAMESPACE = "Rollcall";
    /** Three hourly runs of the aggregation job missed, as the stack's stale-rollups alarm counts by default. */
    public static final Duration DEFAULT_HEALTH_STALE_AFTER = Duration.ofHours(3);

    public QueryApiConfig {
        if (openSearch == null || limits == null || jobSizing == null || metricsNamespace == null || metricsNamespace.isBlank()
                || healthStaleAfter == null || answerCache == null) {
            throw new IllegalArgumentException("a query API config needs OpenSearch, limits, job sizing, a metrics namespace, a staleness limit"
                    + " and answer cache settings");
        }
    }

    /** Defaults everywhere and no Batch: for local mode, tests and benchmarks, which bring their own job runner. */
    public static QueryApiConfig local(OpenSearchConfig openSearch) {
        return new QueryApiConfig(openSearch, null, QueryLimits.defaults(), JobSizing.defaults(), DEFAULT_METRICS_NAMESPACE,
                DEFAULT_HEALTH_STALE_AFTER, AnswerCacheSettings.defaults());
    }

    /** The same config with other answer cache settings (benchmarks compare with and without). */
    public QueryApiConfig withAnswerCache(AnswerCacheSettings settings) {
        return new QueryApiConfig(openSearch, batch, limits, jobSizing, metricsNamespace, healthStaleAfter, settings);
    }

    public static QueryApiConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads every variable; the first missing or malformed one fails start-up with a message naming it. */
    public static QueryApiConfig fromEnvironment(Map<String, String> env) {
        return new QueryApiConfig(OpenSearchConfig.fromEnvironment(env), BatchJobTarget.fromEnvironment(env),
                QueryLimits.fromEnvironment(env), JobSizing.fromEnvironment(env),
                EnvironmentValues.text(env, "ROLLCALL_METRICS_NAMESPACE", DEFAULT_METRICS_NAMESPACE),
                EnvironmentValues.positiveDuration(env, "ROLLCALL_HEALTH_STALE_AFTER", DEFAULT_HEALTH_STALE_AFTER),
                AnswerCacheSettings.fromEnvironment(env));
    }
}
