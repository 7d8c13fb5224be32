package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://127.0.0.1:9200"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ROLLCALL_JOB_SETTLE_DELAY         | soon   | ROLLCALL_JOB_SETTLE_DELAY must be a duration",
            "ROLLCALL_JOB_FLAP_CHANGES         | 1      | ROLLCALL_JOB_FLAP_CHANGES must be within 2..1000",
            "ROLLCALL_JOB_FLAP_WINDOW          | 0s     | ROLLCALL_JOB_FLAP_WINDOW must be longer than zero",
            "ROLLCALL_JOB_PAGE_SIZE            | 20000  | ROLLCALL_JOB_PAGE_SIZE must be within 1..10000",
            "ROLLCALL_JOB_PAGE_SIZE            | many   | ROLLCALL_JOB_PAGE_SIZE must be a whole number",
            "ROLLCALL_JOB_LEASE_EXPIRY         | 0s     | ROLLCALL_JOB_LEASE_EXPIRY must be longer than zero",
            "ROLLCALL_JOB_LEASE_EXPIRY         | 3ms    | ROLLCALL_JOB_LEASE_EXPIRY must be at least 1s",
            "ROLLCALL_JOB_SETTLE_DELAY         | 99999999999999999999s | ROLLCALL_JOB_SETTLE_DELAY is longer than any duration",
            "ROLLCALL_JOB_SETTLE_DELAY         | 999999999999999999d   | ROLLCALL_JOB_SETTLE_DELAY is longer than any duration",
            "ROLLCALL_OPENSEARCH_ENDPOINT      | //localhost:9200      | ROLLCALL_OPENSEARCH_ENDPOINT must be an http(s) URL",
            "ROLLCALL_JOB_LEASE_WAIT           | later  | ROLLCALL_JOB_LEASE_WAIT must be a duration",
            "ROLLCALL_JOB_STANDING_THRESHOLD   | P30D   | must be shorter than the episode max age",
            "ROLLCALL_JOB_CORRELATION_WINDOW   | -PT1M  | ROLLCALL_JOB_CORRELATION_WINDOW must not be negative",
            "ROLLCALL_EVENTS_RETENTION_DAYS    | 90d    | ROLLCALL_EVENTS_RETENTION_DAYS must be a whole number",
            "ROLLCALL_EVENTS_RETENTION_DAYS    | 4000   | ROLLCALL_EVENTS_RETENTION_DAYS must be within 0..3650",
            "ROLLCALL_JOB_MAX_WINDOW           | 30m    | ROLLCALL_JOB_MAX_WINDOW must be at least 1h",
            "ROLLCALL_JOB_MAX_WINDOW           | a week | ROLLCALL_JOB_MAX_WINDOW must be a duration",
            "ROLLCALL_JOB_RETRY_FOR            | 0s     | ROLLCALL_JOB_RETRY_FOR must be longer than zero",
            "ROLLCALL_JOB_RETRY_FOR            | ever   | ROLLCALL_JOB_RETRY_FOR must be a duration",
            "ROLLCALL_JOB_CATCH_UP_FOR         | -1m    | ROLLCALL_JOB_CATCH_UP_FOR must be a duration",
            "ROLLCALL_JOB_CATCH_UP_FOR         | -PT1M  | ROLLCALL_JOB_CATCH_UP_FOR must not be negative",
            "ROLLCALL_COLLECTING_SINCE         | 2026-03-10 | ROLLCALL_COLLECTING_SINCE must be an ISO-8601 instant",
            "AWS_BATCH_JOB_ARRAY_INDEX         | 1      | AWS_BATCH_JOB_ARRAY_SIZE is required",
            "ROLLCALL_OPENSEARCH_ENDPOINT      | ftp:// | ROLLCALL_OPENSEARCH_ENDPOINT"})
    void wrongValuesNameTheVariable(String name, String value, String message) {
        assertThatThrownBy(() -> JobConfig.fromEnvironment(env(name, value))).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAndShortDurations() {
        JobConfig config = JobConfig.fromEnvironment(env("ROLLCALL_JOB_SETTLE_DELAY", "90s", "ROLLCALL_JOB_EPISODE_MAX_AGE", "P14D",
                "ROLLCALL_JOB_TRANSIENT_THRESHOLD", "PT2M"));
        assertThat(config.settleDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.rules().episodeMaxAge()).isEqualTo(Duration.ofDays(14));
        assertThat(config.rules().transientThreshold()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.rules().flapChanges()).isEqualTo(4);
        assertThat(config.pageSize()).isEqualTo(10_000);
        assertThat(config.leaseExpiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.leaseRenewal()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.leaseWait()).isEqualTo(Duration.ofMinutes(30));
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_JOB_LEASE_WAIT", "0s")).leaseWait()).as("0s refuses at once").isZero();
        assertThat(config.eventsRetention()).as("nothing deletes events unless the deployment says so").isZero();
        assertThat(config.collectingSince()).isEmpty();
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_COLLECTING_SINCE", "2026-03-10T00:00:00Z")).collectingSince())
                .contains(java.time.Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_EVENTS_RETENTION_DAYS", "90")).eventsRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.maxIncrementalWindow()).isEqualTo(Duration.ofDays(31));
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_JOB_MAX_WINDOW", "P7D")).maxIncrementalWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(config.retryFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_JOB_RETRY_FOR", "30s")).retryFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.catchUpFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(JobConfig.fromEnvironment(env("ROLLCALL_JOB_CATCH_UP_FOR", "0s")).catchUpFor()).as("one window per job").isZero();
        assertThat(config.shard()).isEqualTo(ShardSpec.WHOLE);
        assertThat(config.planId()).isNull();
        assertThat(config.forRound(2)).as("without a Batch job id, every run plans afresh").isSameAs(config);
        JobConfig batch = JobConfig.fromEnvironment(env("AWS_BATCH_JOB_ID", "job-7"));
        assertThat(batch.forRound(1).planId()).isEqualTo("job-7");
        assertThat(batch.forRound(3).planId()).isEqualTo("job-7-round-3");
        assertThat(batch.forRound(3).jobId()).isEqualTo("job-7");
        assertThat(config.jobId()).startsWith("local-");
    }

    @Test
    void arrayChildrenShareTheParentsPlan() {
        JobConfig child = JobConfig.fromEnvironment(env("AWS_BATCH_JOB_ID", "b1f3:2", "AWS_BATCH_JOB_ARRAY_INDEX", "2",
                "AWS_BATCH_JOB_ARRAY_SIZE", "4"));
        assertThat(child.shard()).isEqualTo(new ShardSpec(2, 4));
        assertThat(child.planId()).isEqualTo("b1f3");
        assertThat(child.jobId()).isEqualTo("b1f3:2");
        assertThatThrownBy(() -> JobConfig.fromEnvironment(env("AWS_BATCH_JOB_ARRAY_INDEX", "0", "AWS_BATCH_JOB_ARRAY_SIZE", "2")))
                .hasMessageContaining("AWS_BATCH_JOB_ID is required");
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({"0, 1", "0, 2", "1, 2", "2, 3", "63, 64"})
    void everyFingerprintHasExactlyOneOwner(int unused, int count) {
        for (String fp : new String[] {"a", "fp-00017", "cloudwatch|123456789012|eu-west-1|HighErrorRate", "ünïcödé", ""}) {
            int owners = 0;
            for (int i = 0; i < count; i++) {
                owners += new ShardSpec(i, count).owns(fp) ? 1 : 0;
            }
            assertThat(owners).as(fp).isEqualTo(1);
        }
        assertThat(ShardSpec.partition("fp1")).isEqualTo(39);
    }
}
