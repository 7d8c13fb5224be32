package dev.rollcall.query.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's query parameters, each with its list of values: {@code service=a,b&service=c} is
 * {@code service: [a, b, c]}. Values are split on the commas the client wrote, so a comma inside a value travels
 * as {@code %2C} ({@code name=5xx%2C%20ALB} is one value).
 */
public record QueryString(Map<String, List<String>> values) {

    public static final QueryString EMPTY = new QueryString(Map.of());

    public QueryString {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((name, items) -> copy.put(name, List.copyOf(items)));
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses a raw query string as the client sent it: pairs split on {@code &}, the name from the value on the
     * first {@code =}, the value's items on literal commas, and only then each part percent-decoded ({@code +} is a
     * space, as API Gateway reads it). A repeated parameter adds its items. A malformed escape, or one of bytes that are not UTF-8, is a 400 naming the
     * parameter (or {@code query} when it is in a parameter's name).
     */
    public static QueryString parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = PercentEscapes.decode(rawName, true).orElseThrow(() -> PercentEscapes.malformed("query", rawName));
            List<String> items = values.computeIfAbsent(name, key -> new ArrayList<>());
            for (String item : (eq < 0 ? "" : pair.substring(eq + 1)).split(",", -1)) {
                items.add(PercentEscapes.decode(item, true).orElseThrow(() -> PercentEscapes.malformed(name, item)));
            }
        }
        return new QueryString(values);
    }

    /**
     * Values decoded already (API Gateway's {@code queryStringParameters}, where repeated parameters are joined with
     * commas, or an in-process caller's map): every comma separates items, since a comma of a value can no longer be
     * told apart. Null values, which only a hand-made event can hold, are left out.
     */
    public static QueryString decoded(Map<String, String> decoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (decoded != null) {
            decoded.forEach((name, value) -> {
                if (name != null && value != null) {
                    values.put(name, List.of(value.split(",", -1)));
                }
            });
        }
        return new QueryString(values);
    }
}
