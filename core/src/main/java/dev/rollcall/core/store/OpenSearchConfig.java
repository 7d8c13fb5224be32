package dev.rollcall.core.store;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;

/**
 * Where OpenSearch is and how to talk to it, read once from the environment.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_OPENSEARCH_ENDPOINT</td><td>required; e.g. {@code http://127.0.0.1:9200} or the domain's https endpoint</td></tr>
 * <tr><td>ROLLCALL_OPENSEARCH_AUTH</td><td>{@code none} or {@code sigv4}; default sigv4 for {@code *.amazonaws.com}, else none</td></tr>
 * <tr><td>ROLLCALL_INDEX_PREFIX</td><td>default {@code rollcall}</td></tr>
 * <tr><td>ROLLCALL_INDEX_REPLICAS</td><td>replicas of new indices; default 1</td></tr>
 * <tr><td>ROLLCALL_OPENSEARCH_TIMEOUT_MS</td><td>response timeout of one request; default 30000</td></tr>
 * <tr><td>AWS_REGION</td><td>signing region for sigv4 (set by Lambda and Batch)</td></tr>
 * </table>
 */
public record OpenSearchConfig(URI endpoint, Auth auth, String region, IndexNames indexNames, int replicas, Duration timeout) {

    /** Longest a connection to OpenSearch may take to open, before a request's own {@code timeout} starts. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** How requests are authenticated. */
    public enum Auth { NONE, SIGV4 }

    public OpenSearchConfig {
        if (endpoint == null || endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException("ROLLCALL_OPENSEARCH_ENDPOINT must be an http(s) URL, got '" + endpoint + "'");
        }
        if (auth == Auth.SIGV4 && (region == null || region.isBlank())) {
            throw new IllegalArgumentException("AWS_REGION is required when ROLLCALL_OPENSEARCH_AUTH is sigv4");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("ROLLCALL_INDEX_REPLICAS must be 0 or more, got " + replicas);
        }
    }

    /** The same config with another response timeout per request. */
    public OpenSearchConfig withTimeout(Duration requestTimeout) {
        return new OpenSearchConfig(endpoint, auth, region, indexNames, replicas, requestTimeout);
    }

    /** A config for a local, unauthenticated node (tests, local mode). */
    public static OpenSearchConfig local(URI endpoint, String indexPrefix) {
        return new OpenSearchConfig(endpoint, Auth.NONE, null, new IndexNames(indexPrefix), 0, Duration.ofSeconds(30));
    }

    public static OpenSearchConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the variables above; fails with a message naming the variable that is missing or wrong. */
    public static OpenSearchConfig fromEnvironment(Map<String, String> env) {
        String endpointText = EnvironmentValues.required(env, "ROLLCALL_OPENSEARCH_ENDPOINT", "http://127.0.0.1:9200");
        URI endpoint;
        try {
            endpoint = URI.create(endpointText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ROLLCALL_OPENSEARCH_ENDPOINT is not a URL: '" + endpointText + "'", e);
        }
        String authText = env.get("ROLLCALL_OPENSEARCH_AUTH");
        Auth auth;
        if (authText == null || authText.isBlank()) {
            auth = endpoint.getHost() != null && endpoint.getHost().endsWith(".amazonaws.com") ? Auth.SIGV4 : Auth.NONE;
        } else {
            try {
                auth = Auth.valueOf(authText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ROLLCALL_OPENSEARCH_AUTH must be none or sigv4, got '" + authText + "'", e);
            }
        }
        String prefix = EnvironmentValues.text(env, "ROLLCALL_INDEX_PREFIX", IndexNames.DEFAULT_PREFIX);
        IndexNames names;
        try {
            names = new IndexNames(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ROLLCALL_INDEX_PREFIX: " + e.getMessage(), e);
        }
        return new OpenSearchConfig(endpoint, auth, env.get("AWS_REGION"), names,
                EnvironmentValues.integerAtLeast(env, "ROLLCALL_INDEX_REPLICAS", 1, 0),
                // 0 would be the HTTP client's "no timeout": a stuck node would hold every invocation to its deadline.
                Duration.ofMillis(EnvironmentValues.integerAtLeast(env, "ROLLCALL_OPENSEARCH_TIMEOUT_MS", 30_000, 1)));
    }
}
