package dev.rollcall.query.params;

import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;
import dev.rollcall.core.rollup.Interval;

/**
 * How much one request may ask for: the longest range per interval, in buckets, and the rows of one page.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_QUERY_MAX_HOURS</td><td>hour buckets in one request; default 2400 (100 days)</td></tr>
 * <tr><td>ROLLCALL_QUERY_MAX_DAYS</td><td>day buckets; default 1830 (about 5 years)</td></tr>
 * <tr><td>ROLLCALL_QUERY_MAX_MONTHS</td><td>month buckets; default 120</td></tr>
 * <tr><td>ROLLCALL_QUERY_PAGE_SIZE</td><td>rows of a page when {@code limit} is absent; default 5000</td></tr>
 * <tr><td>ROLLCALL_QUERY_MAX_PAGE_SIZE</td><td>the largest {@code limit}; default 10000</td></tr>
 * </table>
 */
public record QueryLimits(int maxHours, int maxDays, int maxMonths, int defaultPageSize, int maxPageSize) {

    /** OpenSearch refuses answers of more than 65,535 buckets; a page stays well below with its sub-buckets. */
    public static final int MAX_PAGE_SIZE_CEILING = 10_000;

    public QueryLimits {
        requirePositive("ROLLCALL_QUERY_MAX_HOURS", maxHours);
        requirePositive("ROLLCALL_QUERY_MAX_DAYS", maxDays);
        requirePositive("ROLLCALL_QUERY_MAX_MONTHS", maxMonths);
        requirePositive("ROLLCALL_QUERY_MAX_PAGE_SIZE", maxPageSize);
        if (maxPageSize > MAX_PAGE_SIZE_CEILING) {
            throw new IllegalArgumentException("ROLLCALL_QUERY_MAX_PAGE_SIZE must be at most " + MAX_PAGE_SIZE_CEILING + ", got " + maxPageSize);
        }
        if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("ROLLCALL_QUERY_PAGE_SIZE must be from 1 to ROLLCALL_QUERY_MAX_PAGE_SIZE (" + maxPageSize + "), got " + defaultPageSize);
        }
    }

    public static QueryLimits defaults() {
        return new QueryLimits(2400, 1830, 120, 5000, 10_000);
    }

    /** Reads the variables above, each defaulting as documented; a bad value fails naming the variable. */
    public static QueryLimits fromEnvironment(Map<String, String> env) {
        QueryLimits d = defaults();
        return new QueryLimits(
                EnvironmentValues.integer(env, "ROLLCALL_QUERY_MAX_HOURS", d.maxHours()),
                EnvironmentValues.integer(env, "ROLLCALL_QUERY_MAX_DAYS", d.maxDays()),
                EnvironmentValues.integer(env, "ROLLCALL_QUERY_MAX_MONTHS", d.maxMonths()),
                EnvironmentValues.integer(env, "ROLLCALL_QUERY_PAGE_SIZE", d.defaultPageSize()),
                EnvironmentValues.integer(env, "ROLLCALL_QUERY_MAX_PAGE_SIZE", d.maxPageSize()));
    }

    /** The most buckets of {@code interval} one request may span. */
    public int maxBuckets(Interval interval) {
        return switch (interval) {
            case HOUR -> maxHours;
            case DAY -> maxDays;
            case MONTH -> maxMonths;
        };
    }

    private static void requirePositive(String variable, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(variable + " must be 1 or more, got " + value);
        }
    }
}
