package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StoreConfigTest {

    @Test
    void namesMonthlyEventIndicesByTheTimeTheEventOccurred() {
        IndexNames names = IndexNames.defaults();
        assertThat(names.eventsIndex(Instant.parse("2026-11-30T23:59:59.999Z"))).isEqualTo("rollcall-events-2026.11");
        assertThat(names.eventsIndex(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo("rollcall-events-2026.12");
        assertThat(names.rollupsIndex("day")).isEqualTo("rollcall-rollups-day");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Rollcall", "-x", "a b", "x*", "averyveryveryveryveryveryverylongprefix-too-long"})
    void rejectsPrefixesOpenSearchWouldRefuse(String prefix) {
        assertThatThrownBy(() -> new IndexNames(prefix)).hasMessageContaining("index prefix");
    }

    static Stream<Arguments> environments() {
        return Stream.of(
                Arguments.of(Map.of(), "ROLLCALL_OPENSEARCH_ENDPOINT is not set"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "localhost:9200"), "ROLLCALL_OPENSEARCH_ENDPOINT must be an http(s) URL"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_OPENSEARCH_AUTH", "basic"), "ROLLCALL_OPENSEARCH_AUTH must be none or sigv4"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "https://x.eu-west-1.es.amazonaws.com"), "AWS_REGION is required"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_INDEX_REPLICAS", "two"), "ROLLCALL_INDEX_REPLICAS must be a whole number"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_INDEX_REPLICAS", "-1"), "ROLLCALL_INDEX_REPLICAS must be 0 or more, got -1"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_OPENSEARCH_TIMEOUT_MS", "0"), "ROLLCALL_OPENSEARCH_TIMEOUT_MS must be 1 or more, got 0"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_OPENSEARCH_TIMEOUT_MS", "-5"), "ROLLCALL_OPENSEARCH_TIMEOUT_MS must be 1 or more, got -5"),
                Arguments.of(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_INDEX_PREFIX", "UPPER"), "ROLLCALL_INDEX_PREFIX"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("environments")
    void failsFastNamingTheVariable(Map<String, String> env, String message) {
        assertThatThrownBy(() -> OpenSearchConfig.fromEnvironment(env)).hasMessageContaining(message);
    }

    @Test
    void readsDefaults() {
        OpenSearchConfig config = OpenSearchConfig.fromEnvironment(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://127.0.0.1:9200"));
        assertThat(config.auth()).isEqualTo(OpenSearchConfig.Auth.NONE);
        assertThat(config.indexNames().prefix()).isEqualTo("rollcall");
        assertThat(config.replicas()).isEqualTo(1);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        // Blank means the default, as for every other variable; a value is trimmed.
        assertThat(OpenSearchConfig.fromEnvironment(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_INDEX_PREFIX", " "))
                .indexNames().prefix()).isEqualTo("rollcall");
        assertThat(OpenSearchConfig.fromEnvironment(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://a:1", "ROLLCALL_INDEX_PREFIX", "team-a "))
                .indexNames().prefix()).isEqualTo("team-a");
        OpenSearchConfig aws = OpenSearchConfig.fromEnvironment(Map.of(
                "ROLLCALL_OPENSEARCH_ENDPOINT", "https://vpc-rollcall.eu-west-1.es.amazonaws.com", "AWS_REGION", "eu-west-1"));
        assertThat(aws.auth()).isEqualTo(OpenSearchConfig.Auth.SIGV4);
    }

    @Test
    void backoffGrowsExponentiallyUpToItsCapAndJitters() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(400)).isEqualTo(Duration.ofSeconds(2));
        Set<Long> delays = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            long delay = backoff.delay(2).toMillis();
            assertThat(delay).isBetween(1L, 400L);
            delays.add(delay);
        }
        // Jitter: retries of many invocations must not land on OpenSearch at the same moment.
        assertThat(delays).as("100 delays").hasSizeGreaterThan(10);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("backoff");
    }

    @Test
    void hashesEventIdsTooLongForAnOpenSearchId() {
        assertThat(AlertStore.documentId("abc")).isEqualTo("abc");
        String longId = "x".repeat(600);
        // SHA-256 of 600 'x', as `printf 'x%.0s' $(seq 600) | sha256sum` gives it.
        assertThat(AlertStore.documentId(longId)).isEqualTo("sha256:5130b33e6b87fbf5316ed9049e98924eb110800bcbaaad8050f642fba6df37c9");
        assertThat(AlertStore.documentId("x".repeat(599) + "y")).as("ids that differ past the limit stay apart")
                .startsWith("sha256:").isNotEqualTo(AlertStore.documentId(longId));
    }
}
