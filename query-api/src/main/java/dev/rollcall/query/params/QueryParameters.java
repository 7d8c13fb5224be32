package dev.rollcall.query.params;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.rollcall.query.http.ApiError;

/**
 * The query parameters of one request, checked against the names its route accepts. Blank values count as
 * absent; every accessor fails with an {@link ApiError} naming the parameter and what it allows.
 */
public final class QueryParameters {

    /** Parameters that page through an answer rather than choose it; left out of a query's fingerprint. */
    private static final List<String> PAGING = List.of("cursor", "limit");

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /** Keeps the non-blank parameters; a name not in {@code allowed} is a 400 listing the allowed ones. */
    public static QueryParameters of(Map<String, String> raw, List<String> allowed) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.unknownParameter(e.getKey(), allowed);
            }
            if (e.getValue() != null && !e.getValue().isBlank()) {
                values.put(e.getKey(), e.getValue().strip());
            }
        }
        return new QueryParameters(values);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value of a required parameter; the message shows an example of a good one. */
    public String required(String name, String example) {
        return text(name).orElseThrow(() -> ApiError.badParameter(name, name + " is required, e.g. " + name + "=" + example));
    }

    public Instant instant(String name) {
        return DateParameter.parse(name, required(name, DateParameter.EXAMPLE));
    }

    public Optional<Instant> optionalInstant(String name) {
        return text(name).map(text -> DateParameter.parse(name, text));
    }

    /** A comma-separated list: values trimmed, empty ones dropped. */
    public List<String> list(String name) {
        List<String> items = new ArrayList<>();
        text(name).ifPresent(text -> {
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        });
        return items;
    }

    /** One of {@code allowed} (case-insensitive, answered in lower case), or {@code defaultValue} when absent. */
    public String choice(String name, List<String> allowed, String defaultValue) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String lower = value.get().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw ApiError.notOneOf(name, value.get(), allowed);
        }
        return lower;
    }

    /** A whole number from 1 to {@code max}, or {@code defaultValue} when absent. */
    public int limit(String name, int defaultValue, int max) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1) {
            throw ApiError.badParameter(name, name + " '" + text.get() + "' must be a whole number from 1 to " + max);
        }
        if (value > max) {
            throw ApiError.badParameter(name, name + " " + value + " is more than the bucket limit of " + max);
        }
        return (int) value;
    }

    /**
     * A short hash of everything that chooses the answer (route and parameters, not paging), so a cursor can only
     * continue the query that issued it.
     */
    public String fingerprint(String routeName) {
        Map<String, String> chosen = new LinkedHashMap<>(values);
        PAGING.forEach(chosen::remove);
        StringBuilder text = new StringBuilder(routeName);
        chosen.forEach((k, v) -> text.append('\u0000').append(k).append('=').append(v));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
