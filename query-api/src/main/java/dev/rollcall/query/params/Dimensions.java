package dev.rollcall.query.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rollcall.core.normalize.FieldLimits;
import dev.rollcall.query.http.ApiError;

/**
 * The rollup dimensions a client may name: the only field names that ever reach an OpenSearch request from a
 * parameter. Group-by takes up to three; filters take the same fields plus {@code fingerprint}, one alert.
 */
public final class Dimensions {

    public static final List<String> GROUP_BY = List.of("service", "source", "urgency", "severity", "account", "environment", "name");
    public static final List<String> FILTERS = List.of("service", "source", "urgency", "severity", "account", "environment", "name", "fingerprint");
    /**
     * The fields whose values come from a closed set, stored in lower case: a filter value is matched in any case,
     * and one outside the set is a 400 listing it rather than an empty answer.
     */
    private static final Map<String, List<String>> CLOSED_SETS = Map.of(
            "urgency", wires(dev.rollcall.core.alert.Urgency.values()),
            "severity", wires(dev.rollcall.core.alert.Severity.values()));
    public static final int MAX_GROUP_BY = 3;
    public static final int MAX_FILTER_VALUES = 100;

    private Dimensions() {
    }

    /** {@code group_by}: up to three distinct fields of {@link #GROUP_BY}, in the order given. */
    public static List<String> groupBy(QueryParameters parameters) {
        List<String> fields = new ArrayList<>();
        for (String field : parameters.list("group_by")) {
            String lower = field.toLowerCase(java.util.Locale.ROOT);
            if (!GROUP_BY.contains(lower)) {
                throw ApiError.notOneOf("group_by", field, GROUP_BY);
            }
            if (fields.contains(lower)) {
                throw ApiError.badParameter("group_by", "group_by lists '" + lower + "' more than once");
            }
            fields.add(lower);
        }
        if (fields.size() > MAX_GROUP_BY) {
            throw ApiError.badParameter("group_by", "group_by takes at most " + MAX_GROUP_BY + " fields, got " + fields.size());
        }
        return List.copyOf(fields);
    }

    /**
     * The longest value of {@code field} a rollup can hold: a name past the mapping's {@code ignore_above} is not
     * indexed, and every other dimension is cut (a fingerprint hashed) where OpenSearch's keyword limit would be.
     */
    public static int maxValueLength(String field) {
        return field.equals("name") ? FieldLimits.NAME_CHARS : FieldLimits.KEYWORD_CHARS;
    }

    /**
     * The filters present: field to the values any of which a rollup must have (comma-separated in the parameter),
     * each as sent and without its outer spaces. A value may have at most {@link #maxValueLength} characters (Unicode
     * code points), outer spaces included.
     */
    public static Map<String, List<String>> filters(QueryParameters parameters) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String field : FILTERS) {
            List<String> values = parameters.nonEmptyList(field);
            if (values.isEmpty()) {
                continue;
            }
            if (values.size() > MAX_FILTER_VALUES) {
                throw ApiError.badParameter(field, field + " takes at most " + MAX_FILTER_VALUES + " values, got " + values.size());
            }
            if (CLOSED_SETS.containsKey(field)) {
                filters.put(field, closedSetValues(field, values));
                continue;
            }
            int maxLength = maxValueLength(field);
            java.util.Set<String> matched = new java.util.LinkedHashSet<>();
            for (String value : values) {
                // Counted on the value as sent, which is sent on too, in characters (code points) as the message and
                // the documentation say: every value core stores fits (it cuts in UTF-16 units, never more code
                // points), and 8191 of them are at most 32,764 bytes of UTF-8, a term OpenSearch takes.
                int length = value.codePointCount(0, value.length());
                if (length > maxLength) {
                    throw ApiError.badParameter(field, field + " has a value of " + length + " characters, more than the " + maxLength
                            + " allowed (counted as sent, outer spaces included)");
                }
                // Each value as sent, since names and services are stored as they came ("Disk full " included), and
                // without its outer spaces, since "a, b" is how people write a list.
                matched.add(value);
                matched.add(value.strip());
            }
            filters.put(field, List.copyOf(matched));
        }
        return filters;
    }

    /** The values {@code field} takes when they come from a closed set (urgency, severity), else an empty list. */
    public static List<String> closedSet(String field) {
        return CLOSED_SETS.getOrDefault(field, List.of());
    }

    private static List<String> closedSetValues(String field, List<String> values) {
        List<String> allowed = CLOSED_SETS.get(field);
        java.util.Set<String> matched = new java.util.LinkedHashSet<>();
        for (String value : values) {
            String lower = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw ApiError.notOneOf(field, value, allowed);
            }
            matched.add(lower);
        }
        return List.copyOf(matched);
    }

    private static List<String> wires(Enum<?>[] values) {
        List<String> wires = new ArrayList<>();
        for (Enum<?> value : values) {
            wires.add(value.name().toLowerCase(java.util.Locale.ROOT));
        }
        wires.add(dev.rollcall.core.rollup.RollupKey.UNKNOWN);
        return List.copyOf(wires);
    }
}
