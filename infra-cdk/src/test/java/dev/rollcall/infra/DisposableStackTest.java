package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Template;

/** {@code retainData} decides for every stateful resource together: kept by default, removed by {@code false}. */
class DisposableStackTest {

    @Test
    void byDefaultEveryStatefulResourceOutlivesTheStackIncludingTheAlarmTopicKey() {
        Map<String, String> policies = deletionPolicies(TestApps.defaults().central());
        assertThat(policies).containsEntry("AWS::KMS::Key", "Retain").containsEntry("AWS::OpenSearchService::Domain", "Retain")
                .containsEntry("AWS::SQS::Queue", "Retain");
    }

    @Test
    void withRetainDataFalseNothingIsLeftBehindToCostMoney() {
        Map<String, String> policies = deletionPolicies(TestApps.with(Map.of("retainData", "false")).central());
        assertThat(policies).containsEntry("AWS::KMS::Key", "Delete").containsEntry("AWS::OpenSearchService::Domain", "Delete")
                .containsEntry("AWS::SQS::Queue", "Delete");
        assertThat(policies).doesNotContainValue("Retain");
    }

    /** Each resource type's deletion policy ("mixed" when its resources disagree; absent means Delete). */
    private static Map<String, String> deletionPolicies(Template template) {
        Map<String, String> policies = new TreeMap<>();
        Map<String, Object> resources = template.toJSON().get("Resources") instanceof Map<?, ?> map ? castMap(map) : Map.of();
        for (Object value : resources.values()) {
            Map<String, Object> resource = castMap((Map<?, ?>) value);
            String type = (String) resource.get("Type");
            String policy = (String) resource.getOrDefault("DeletionPolicy", "Delete");
            policies.merge(type, policy, (a, b) -> a.equals(b) ? a : "mixed");
        }
        return policies;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
