package dev.rollcall.query;

import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.jobs.BatchJobTarget;
import dev.rollcall.query.jobs.JobSizing;
import dev.rollcall.query.params.QueryLimits;

/**
 * Everything the query API reads from its environment, once, at start-up. {@code batch} is null where jobs are
 * run some other way (local mode, benchmarks), which then pass their own runner to {@link QueryApi#create}.
 *
 * <table>
 * <caption>Environment variables (besides those of {@link OpenSearchConfig}, {@link QueryLimits} and {@link JobSizing})</caption>
 * <tr><td>ROLLCALL_BATCH_JOB_QUEUE</td><td>required: the AWS Batch job queue of aggregation jobs</td></tr>
 * <tr><td>ROLLCALL_BATCH_JOB_DEFINITION</td><td>required: their job definition</td></tr>
 * <tr><td>ROLLCALL_METRICS_NAMESPACE</td><td>CloudWatch namespace of the latency metric; default {@code Rollcall}</td></tr>
 * </table>
 */
public record QueryApiConfig(OpenSearchConfig openSearch, BatchJobTarget batch, QueryLimits limits, JobSizing jobSizing,
                             String metricsNamespace) {

    public static final String DEFAULT_METRICS_NAMESPACE = "Rollcall";

    public QueryApiConfig {
        if (openSearch == null || limits == null || jobSizing == null || metricsNamespace == null || metricsNamespace.isBlank()) {
            throw new IllegalArgumentException("a query API config needs OpenSearch, limits, job sizing and a metrics namespace");
        }
    }

    /** Defaults everywhere and no Batch: for local mode, tests and benchmarks, which bring their own job runner. */
    public static QueryApiConfig local(OpenSearchConfig openSearch) {
        return new QueryApiConfig(openSearch, null, QueryLimits.defaults(), JobSizing.defaults(), DEFAULT_METRICS_NAMESPACE);
    }

    public static QueryApiConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads every variable; the first missing or malformed one fails start-up with a message naming it. */
    public static QueryApiConfig fromEnvironment(Map<String, String> env) {
        return new QueryApiConfig(OpenSearchConfig.fromEnvironment(env), BatchJobTarget.fromEnvironment(env),
                QueryLimits.fromEnvironment(env), JobSizing.fromEnvironment(env),
                EnvironmentValues.text(env, "ROLLCALL_METRICS_NAMESPACE", DEFAULT_METRICS_NAMESPACE));
    }
}
