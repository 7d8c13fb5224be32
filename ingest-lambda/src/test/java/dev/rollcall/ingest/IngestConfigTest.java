package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;

import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.store.OpenSearchConfig;
import org.junit.jupiter.params.provider.CsvSource;

/** The deadline margin covers the longest OpenSearch request, so a stalled node cannot outlive an invocation. */
class IngestConfigTest {

    @ParameterizedTest(name = "timeout {0}, margin {1} -> {2} ms")
    @CsvSource(nullValues = "unset", value = {
            "unset, unset, 35000",  // connect 3 s + the 30 s default request timeout + 2 s to report
            "9000, unset, 14000",
            "9000, 14000, 14000",   // what the stack sets
            "9000, 12000, 12000",   // exactly the longest request
            "1, unset, 5001"})
    void theMarginCoversConnectAndRequestTimeout(String timeout, String margin, long expectedMillis) {
        assertThat(IngestConfig.fromEnvironment(env(timeout, margin)).deadlineMargin()).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    /** Local mode runs the handlers with the stack's budgets, which the init rule accepts as the stack sets them. */
    @org.junit.jupiter.api.Test
    void localModeRunsWithTheStacksBudgetsWhichPassTheInitRule() {
        OpenSearchConfig local = OpenSearchConfig.local(java.net.URI.create("http://127.0.0.1:9200"), "rollcall");
        IngestConfig deployed = IngestConfig.asDeployed(local);
        assertThat(deployed.openSearch().timeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(deployed.deadlineMargin()).isEqualTo(Duration.ofSeconds(14));
        assertThat(deployed.openSearch().endpoint()).isEqualTo(local.endpoint());
        assertThat(IngestConfig.fromEnvironment(env(Long.toString(deployed.openSearch().timeout().toMillis()),
                Long.toString(deployed.deadlineMargin().toMillis()))).deadlineMargin()).isEqualTo(deployed.deadlineMargin());
        assertThat(deployed.deadlineMargin()).as("room left for writes in the shortest ingest function")
                .isLessThan(FunctionBudgets.EVENTBRIDGE_INGEST_TIMEOUT.dividedBy(2));
    }

    @ParameterizedTest(name = "timeout {0}, margin {1}")
    @CsvSource(nullValues = "unset", value = {
            "unset, 3000, 'ROLLCALL_DEADLINE_MARGIN_MS is 3000 but must be at least 33000: the longest one OpenSearch request may take"
                    + " (a 3000 ms connect plus ROLLCALL_OPENSEARCH_TIMEOUT_MS 30000); lower that or raise the margin (and the function''s timeout)'",
            "9000, 11999, 'ROLLCALL_DEADLINE_MARGIN_MS is 11999 but must be at least 12000: the longest one OpenSearch request may take"
                    + " (a 3000 ms connect plus ROLLCALL_OPENSEARCH_TIMEOUT_MS 9000); lower that or raise the margin (and the function''s timeout)'"})
    void aMarginShorterThanOneRequestIsRefusedAtInit(String timeout, String margin, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> IngestConfig.fromEnvironment(env(timeout, margin))).withMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0, ROLLCALL_WEBHOOK_MAX_BYTES must be positive",
            "6291457, 'ROLLCALL_WEBHOOK_MAX_BYTES must be at most 6291456 (Lambda''s 6 MB request, which also holds the event around the body), got 6291457'",
            "99999999999, 'ROLLCALL_WEBHOOK_MAX_BYTES must be at most 6291456 (Lambda''s 6 MB request, which also holds the event around the body), got 99999999999'"})
    void aWebhookBodyLimitNoRequestCouldReachIsRefusedAtInit(String bytes, String message) {
        Map<String, String> env = Map.of("ROLLCALL_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
                "ROLLCALL_WEBHOOK_SECRETS", "{\"default\":\"s\"}", "ROLLCALL_WEBHOOK_MAX_BYTES", bytes);
        assertThatIllegalArgumentException().isThrownBy(() -> dev.rollcall.ingest.webhook.WebhookConfig.fromEnvironment(env)).withMessage(message);
        assertThat(dev.rollcall.ingest.webhook.WebhookConfig.fromEnvironment(Map.of("ROLLCALL_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
                "ROLLCALL_WEBHOOK_SECRETS", "{\"default\":\"s\"}", "ROLLCALL_WEBHOOK_MAX_BYTES", "6291456")).maxBodyBytes()).isEqualTo(6291456);
    }

    private static Map<String, String> env(String timeout, String margin) {
        Map<String, String> env = new HashMap<>(Map.of("ROLLCALL_OPENSEARCH_ENDPOINT", "http://127.0.0.1:9200"));
        if (timeout != null) {
            env.put("ROLLCALL_OPENSEARCH_TIMEOUT_MS", timeout);
        }
        if (margin != null) {
            env.put("ROLLCALL_DEADLINE_MARGIN_MS", margin);
        }
        return env;
    }
}
