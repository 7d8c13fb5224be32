package dev.rollcall.query.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One operation of the API: method, path template ({@code /v1/jobs/{id}}), a short name for logs and metrics, the
 * query parameters it accepts (anything else is a 400), and the code that answers it.
 */
public record Route(String method, String template, String name, List<String> queryParameters, Endpoint endpoint) {

    /** The code behind a route. */
    @FunctionalInterface
    public interface Endpoint {
        ApiResponse handle(RouteCall call);
    }

    public Route {
        queryParameters = List.copyOf(queryParameters);
    }

    /** Names of the path parameters, in order ({@code id} for {@code /v1/jobs/{id}}). */
    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        for (String segment : segments(template)) {
            if (isVariable(segment)) {
                names.add(variableName(segment));
            }
        }
        return names;
    }

    /**
     * Whether {@code path} has this route's shape; variable segments match any one non-empty segment, fixed ones
     * their text percent-decoded (one with a malformed escape matches none).
     */
    boolean matches(String path) {
        List<String> want = segments(template);
        List<String> got = segments(path);
        if (want.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            if (!isVariable(want.get(i)) && !PercentEscapes.decode(got.get(i), false).equals(Optional.of(want.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The values of the path parameters in {@code path}, which {@link #matches} already, percent-decoded: clients
     * encode a path segment ({@code encodeURIComponent} sends the {@code :} of a job id as {@code %3A}), and the raw
     * path keeps the escapes. A path API Gateway decoded already holds no {@code %} in a valid value, so decoding it
     * again changes nothing. A malformed escape is a 400 naming the parameter.
     */
    List<String> pathValues(String path) {
        List<String> want = segments(template);
        List<String> got = segments(path);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < want.size(); i++) {
            if (isVariable(want.get(i))) {
                String raw = got.get(i);
                String name = variableName(want.get(i));
                values.add(PercentEscapes.decode(raw, false).orElseThrow(() -> PercentEscapes.malformed(name, raw)));
            }
        }
        return values;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static String variableName(String segment) {
        return segment.substring(1, segment.length() - 1);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }
}
