package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.params.QueryLimits;

class QueryApiConfigTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "ROLLCALL_OPENSEARCH_ENDPOINT", "http://127.0.0.1:9200",
            "ROLLCALL_BATCH_JOB_QUEUE", "rollcall-aggregation",
            "ROLLCALL_BATCH_JOB_DEFINITION", "rollcall-aggregate-job");

    @Test
    void readsTheEnvironmentWithDefaults() {
        QueryApiConfig config = QueryApiConfig.fromEnvironment(MINIMAL);
        assertThat(config.openSearch().indexNames().prefix()).isEqualTo("rollcall");
        assertThat(config.batch().jobQueue()).isEqualTo("rollcall-aggregation");
        assertThat(config.batch().jobDefinition()).isEqualTo("rollcall-aggregate-job");
        assertThat(config.limits()).isEqualTo(QueryLimits.defaults());
        assertThat(config.jobSizing().shard()).isEqualTo(Duration.ofDays(7));
        assertThat(config.metricsNamespace()).isEqualTo("Rollcall");
        assertThat(config.healthStaleAfter()).isEqualTo(Duration.ofHours(3));
        assertThat(config.answerCache()).isEqualTo(new AnswerCacheSettings(Duration.ofMinutes(1), 32L * 1024 * 1024));

        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("ROLLCALL_QUERY_MAX_HOURS", "48");
        env.put("ROLLCALL_QUERY_PAGE_SIZE", "100");
        env.put("ROLLCALL_JOB_SHARD_DAYS", "1");
        env.put("ROLLCALL_METRICS_NAMESPACE", "Ops");
        env.put("ROLLCALL_HEALTH_STALE_AFTER", "PT90M");
        env.put("ROLLCALL_API_CACHE_MAX_AGE", "PT0S");
        env.put("ROLLCALL_API_CACHE_MAX_BYTES", "1000000");
        QueryApiConfig tuned = QueryApiConfig.fromEnvironment(env);
        assertThat(tuned.limits().maxHours()).isEqualTo(48);
        assertThat(tuned.limits().defaultPageSize()).isEqualTo(100);
        assertThat(tuned.jobSizing().shard()).isEqualTo(Duration.ofDays(1));
        assertThat(tuned.metricsNamespace()).isEqualTo("Ops");
        assertThat(tuned.healthStaleAfter()).isEqualTo(Duration.ofMinutes(90));
        assertThat(tuned.answerCache()).isEqualTo(new AnswerCacheSettings(Duration.ZERO, 1_000_000));
        assertThat(tuned.answerCache().enabled()).isFalse();
        // The job's short forms read the same here.
        env.put("ROLLCALL_HEALTH_STALE_AFTER", "90m");
        env.put("ROLLCALL_API_CACHE_MAX_AGE", "30s");
        QueryApiConfig shortForms = QueryApiConfig.fromEnvironment(env);
        assertThat(shortForms.healthStaleAfter()).isEqualTo(Duration.ofMinutes(90));
        assertThat(shortForms.answerCache().maxAge()).isEqualTo(Duration.ofSeconds(30));
    }

    static Stream<Arguments> badEnvironments() {
        return Stream.of(
                Arguments.of(Map.of(), "ROLLCALL_OPENSEARCH_ENDPOINT is not set (e.g. http://127.0.0.1:9200)"),
                Arguments.of(without("ROLLCALL_BATCH_JOB_QUEUE"), "ROLLCALL_BATCH_JOB_QUEUE is not set (e.g. rollcall-aggregation)"),
                Arguments.of(without("ROLLCALL_BATCH_JOB_DEFINITION"), "ROLLCALL_BATCH_JOB_DEFINITION is not set (e.g. rollcall-aggregate-job)"),
                Arguments.of(with("ROLLCALL_QUERY_MAX_DAYS", "many"), "ROLLCALL_QUERY_MAX_DAYS must be a whole number, got 'many'"),
                Arguments.of(with("ROLLCALL_QUERY_MAX_MONTHS", "0"), "ROLLCALL_QUERY_MAX_MONTHS must be 1 or more, got 0"),
                Arguments.of(with("ROLLCALL_QUERY_PAGE_SIZE", "20000"), "ROLLCALL_QUERY_PAGE_SIZE must be from 1 to ROLLCALL_QUERY_MAX_PAGE_SIZE (10000), got 20000"),
                Arguments.of(with("ROLLCALL_QUERY_MAX_PAGE_SIZE", "50000"), "ROLLCALL_QUERY_MAX_PAGE_SIZE must be at most 10000, got 50000"),
                Arguments.of(with("ROLLCALL_JOB_MAX_ARRAY_SIZE", "100"), "ROLLCALL_JOB_MAX_ARRAY_SIZE must be from 1 to 64, got 100"),
                Arguments.of(with("ROLLCALL_JOB_SHARD_DAYS", "0"), "ROLLCALL_JOB_SHARD_DAYS must be 1 or more, got 0"),
                Arguments.of(with("ROLLCALL_OPENSEARCH_AUTH", "basic"), "ROLLCALL_OPENSEARCH_AUTH must be none or sigv4, got 'basic'"),
                Arguments.of(with("ROLLCALL_HEALTH_STALE_AFTER", "3 hours"), "ROLLCALL_HEALTH_STALE_AFTER must be a duration such as PT3H or 3h, got '3 hours'"),
                Arguments.of(with("ROLLCALL_API_CACHE_MAX_AGE", "-PT1M"), "ROLLCALL_API_CACHE_MAX_AGE must be zero or longer, got -PT1M"),
                Arguments.of(with("ROLLCALL_API_CACHE_MAX_BYTES", "-1"), "ROLLCALL_API_CACHE_MAX_BYTES must be 0 or more, got -1"),
                Arguments.of(with("ROLLCALL_HEALTH_STALE_AFTER", "PT0S"), "ROLLCALL_HEALTH_STALE_AFTER must be longer than zero, got PT0S"),
                Arguments.of(with("ROLLCALL_HEALTH_STALE_AFTER", "-PT1H"), "ROLLCALL_HEALTH_STALE_AFTER must be longer than zero, got -PT1H"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badEnvironments")
    void startUpFailsNamingTheVariable(Map<String, String> env, String message) {
        assertThatThrownBy(() -> QueryApiConfig.fromEnvironment(env)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theLambdaConstructorFailsFastWithoutItsEnvironment() {
        assumeTrue(System.getenv("ROLLCALL_OPENSEARCH_ENDPOINT") == null, "the build environment sets ROLLCALL_OPENSEARCH_ENDPOINT");
        assertThatThrownBy(QueryApiHandler::new).hasMessage("ROLLCALL_OPENSEARCH_ENDPOINT is not set (e.g. http://127.0.0.1:9200)");
    }

    private static Map<String, String> without(String name) {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.remove(name);
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put(name, value);
        return env;
    }
}
