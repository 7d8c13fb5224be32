package dev.rollcall.ingest;

import java.time.Duration;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.store.OpenSearchConfig;

/**
 * Configuration of the EventBridge and SQS ingest handlers, read once at init.
 *
 * <table>
 * <caption>Environment variables (besides those of {@link OpenSearchConfig})</caption>
 * <tr><td>ROLLCALL_DEADLINE_MARGIN_MS</td><td>time kept free before the Lambda timeout to report results; default 3000</td></tr>
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

    public static IngestConfig fromEnvironment(Map<String, String> env) {
        return new IngestConfig(OpenSearchConfig.fromEnvironment(env),
                Duration.ofMillis(EnvironmentValues.nonNegativeLong(env, "ROLLCALL_DEADLINE_MARGIN_MS", 3_000)), env);
    }
}
