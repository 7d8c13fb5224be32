package dev.rollcall.query.params;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.QueryString;

/**
 * The query parameters of one request, checked against the names its route accepts, each with its list of
 * values (see {@link QueryString}). A blank single value counts as absent; every accessor fails with an
 * {@link ApiError} naming the parameter and what it allows.
 */
public final class QueryParameters {

    /** Parameters that page through an answer rather than choose it; left out of a query's fingerprint. */
    private static final List<String> PAGING = List.of("cursor", "limit");

    /**
     * Every parameter sent, by name in sorted order, its items as sent: a filter value may end in a space that an
     * alert's name or service holds, so only the readers that want it ({@link #text}, {@link #list}) strip.
     */
    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** The parameters of {@code query}; a name not in {@code allowed} is a 400 listing the allowed ones. */
    public static QueryParameters of(QueryString query, List<String> allowed) {
        Map<String, List<String>> values = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(query.values()).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.unknownParameter(e.getKey(), allowed);
            }
            values.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return new QueryParameters(values);
    }

    /** Decoded values by name, each comma separating list items (an in-process caller's map). */
    public static QueryParameters of(Map<String, String> decoded, List<String> allowed) {
        return of(QueryString.decoded(decoded), allowed);
    }

    /** A single value: the items as sent, rejoined; absent when blank. */
    public Optional<String> text(String name) {
        List<String> items = values.get(name);
        if (items != null && items.size() > 1) {
            // API Gateway joins a parameter given twice with a comma, so from=a&from=b arrives as from=a,b: no
            // single-valued parameter holds a comma, and naming the parse error of "a,b" would blame a value nobody sent.
            throw ApiError.badParameter(name, name + " takes one value, got " + items.size() + ": "
                    + items.stream().map(ApiError::quoted).collect(java.util.stream.Collectors.joining(", "))
                    + " (given twice, or with a comma)");
        }
        return Optional.ofNullable(items).map(only -> only.get(0).strip()).filter(text -> !text.isEmpty());
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

    /**
     * A list of names from an allow-list ({@code group_by}, {@code metrics}): values trimmed, empty ones dropped. No
     * name holds a comma, so an encoded one ({@code %2C}) separates too: JavaScript's URLSearchParams and Python's
     * requests encode the commas of {@code group_by=service,source} that way.
     */
    public List<String> list(String name) {
        return values.getOrDefault(name, List.of()).stream()
                .flatMap(item -> java.util.Arrays.stream(item.split(",")))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /**
     * A list whose every value has text, each as sent, spaces included. A parameter sent with an empty or blank value
     * ({@code service=}, {@code service=,}, {@code service=a,,b}) is a 400 rather than absent: dropping it would
     * widen the answer.
     */
    public List<String> nonEmptyList(String name) {
        List<String> items = values.getOrDefault(name, List.of());
        if (items.stream().anyMatch(String::isBlank)) {
            throw ApiError.badParameter(name, name + " has an empty value: give one or more values separated by commas, or leave "
                    + name + " out to match every value");
        }
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
        // ASCII digits only: Long.parseLong also takes a sign and other scripts' digits, which the API does not document.
        long value = text.get().matches("[0-9]{1,18}") ? Long.parseLong(text.get()) : 0;
        if (value < 1) {
            throw ApiError.badParameter(name, name + " " + ApiError.quoted(text.get()) + " must be a whole number from 1 to " + max);
        }
        if (value > max) {
            throw ApiError.badParameter(name, name + " " + value + " is more than " + max + ", the most one request of this route answers");
        }
        return (int) value;
    }

    /**
     * A short hash of everything that chooses the answer (the scope, i.e. the route and what it resolved, and the
     * parameters, not paging), so a cursor can only continue the query that issued it.
     */
    public String fingerprint(String scope) {
        Map<String, List<String>> chosen = new LinkedHashMap<>(values);
        PAGING.forEach(chosen::remove);
        // Every part with its length before it: values may hold any character once percent-decoded, so no separator
        // could keep name=a%2Cb (one value) apart from name=a,b (two), or a value from a name that follows it.
        StringBuilder text = new StringBuilder();
        appendCounted(text, scope);
        chosen.forEach((name, items) -> {
            appendCounted(text, name);
            text.append(items.size()).append('#');
            items.forEach(item -> appendCounted(text, item));
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void appendCounted(StringBuilder text, String part) {
        text.append(part.length()).append(':').append(part);
    }
}
