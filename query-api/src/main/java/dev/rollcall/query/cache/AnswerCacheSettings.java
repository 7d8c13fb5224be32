package dev.rollcall.query.cache;

import java.time.Duration;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;

/**
 * How long and how much the query API may remember of its answers (see {@link AnswerCache}).
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_API_CACHE_MAX_AGE</td><td>the longest an answer is given again while no job run has changed the
 * rollups, an ISO-8601 duration; {@code PT0S} turns remembering off; default {@code PT1M}</td></tr>
 * <tr><td>ROLLCALL_API_CACHE_MAX_BYTES</td><td>characters of answers kept (bodies, headers and the requests they answer), least recently used dropped first;
 * 0 turns remembering off; default 33554432 (32 MiB)</td></tr>
 * </table>
 */
public record AnswerCacheSettings(Duration maxAge, long maxBytes) {

    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(1);
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;

    public AnswerCacheSettings {
        if (maxAge == null || maxAge.isNegative() || maxBytes < 0) {
            throw new IllegalArgumentException("an answer cache needs a max age of zero or more and a size of zero or more, got "
                    + maxAge + " and " + maxBytes);
        }
    }

    /** A minute and 32 MiB. */
    public static AnswerCacheSettings defaults() {
        return new AnswerCacheSettings(DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES);
    }

    /** Remembers nothing: every request asks OpenSearch. */
    public static AnswerCacheSettings off() {
        return new AnswerCacheSettings(Duration.ZERO, 0);
    }

    /** Reads both variables; a malformed one fails start-up with a message naming it. */
    public static AnswerCacheSettings fromEnvironment(Map<String, String> env) {
        return new AnswerCacheSettings(EnvironmentValues.nonNegativeDuration(env, "ROLLCALL_API_CACHE_MAX_AGE", DEFAULT_MAX_AGE),
                EnvironmentValues.nonNegativeLong(env, "ROLLCALL_API_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES));
    }

    /** Whether anything is remembered at all. */
    public boolean enabled() {
        return !maxAge.isZero() && maxBytes > 0;
    }
}
