package dev.rollcall.ingest;

import java.time.Duration;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.store.OpenSearchConfig;

/**
 * Configuration of the EventBridge and SQS ingest handlers, read once at init.
 *
 * <table>
 * <caption>Environment variables (besides those of {@link OpenSearchConfig})</caption>
 * <tr><td>ROLLCALL_DEADLINE_MARGIN_MS</td><td>time kept free before the Lambda timeout to report results; at least
 * the longest one OpenSearch request can take (connect plus ROLLCALL_OPENSEARCH_TIMEOUT_MS); default that plus 2000</td></tr>
 * <tr><td>ROLLCALL_RULES_FILE</td><td>classification rules file; default the bundled rules</td></tr>
 * </table>
 */
public record IngestConfig(OpenSearchConfig openSearch, Duration deadlineMargin, Map<String, String> environment) {

    public IngestConfig {
        if (deadlineMargin.isNegative()) {
            throw new IllegalArgumentException("ROLLCALL_DEADLINE_MARGIN_MS must be 0 or more");
        }
        environment = Map.copyOf(environment);
    }

    static final String DEADLINE_MARGIN_VARIABLE = "ROLLCALL_DEADLINE_MARGIN_MS";
    /** What reporting the stored events takes after the last request, beyond that request's own time. */
    static final Duration REPORT_TIME = Duration.ofSeconds(2);

    /**
     * {@code openSearch} with the request timeout and margin the CDK stack sets ({@link FunctionBudgets}), as local
     * mode runs the handlers.
     */
    public static IngestConfig asDeployed(OpenSearchConfig openSearch) {
        return new IngestConfig(openSearch.withTimeout(FunctionBudgets.INGEST_OPENSEARCH_TIMEOUT), FunctionBudgets.INGEST_DEADLINE_MARGIN, Map.of());
    }

    /**
     * A request started just before the margin begins may run its whole course: a margin shorter than that lets a
     * stalled node outlive the invocation, which then fails its whole batch with a bare timeout.
     */
    private static Duration longestRequest(OpenSearchConfig openSearch) {
        return OpenSearchConfig.CONNECT_TIMEOUT.plus(openSearch.timeout());
    }

    public static IngestConfig fromEnvironment(Map<String, String> env) {
        OpenSearchConfig openSearch = OpenSearchConfig.fromEnvironment(env);
        Duration longestRequest = longestRequest(openSearch);
        Duration margin = Duration.ofMillis(EnvironmentValues.nonNegativeLong(env, DEADLINE_MARGIN_VARIABLE,
                longestRequest.plus(REPORT_TIME).toMillis()));
        if (margin.compareTo(longestRequest) < 0) {
            throw new IllegalArgumentException(DEADLINE_MARGIN_VARIABLE + " is " + margin.toMillis() + " but must be at least "
                    + longestRequest.toMillis() + ": the longest one OpenSearch request may take (a " + OpenSearchConfig.CONNECT_TIMEOUT.toMillis()
                    + " ms connect plus ROLLCALL_OPENSEARCH_TIMEOUT_MS " + openSearch.timeout().toMillis()
                    + "); lower that or raise the margin (and the function's timeout)");
        }
        return new IngestConfig(openSearch, margin, env);
    }
}
