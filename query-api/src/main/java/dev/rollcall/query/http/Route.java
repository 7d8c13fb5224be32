package dev.rollcall.query.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
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
            if (!isVariable(want.get(i)) && !percentDecoded(got.get(i)).equals(Optional.of(want.get(i)))) {
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
                values.add(percentDecoded(raw).orElseThrow(() -> ApiError.badParameter(name, name + " " + ApiError.quoted(raw)
                        + " has a malformed %-escape: a % starts two hex digits of UTF-8, e.g. %3A for ':'")));
            }
        }
        return values;
    }

    /**
     * {@code segment} with its {@code %XX} escapes decoded as UTF-8; empty when an escape is cut short, not hex, or
     * spells bytes that are not UTF-8. Unlike a query string's {@code URLDecoder}, a {@code +} stays a plus.
     */
    static Optional<String> percentDecoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return Optional.of(segment);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) != '%') {
                // Up to the next escape at once, so that a character outside the BMP keeps both its surrogates.
                int next = segment.indexOf('%', i);
                int end = next < 0 ? segment.length() : next;
                bytes.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            } else if (i + 2 < segment.length() && HexFormat.isHexDigit(segment.charAt(i + 1)) && HexFormat.isHexDigit(segment.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(segment, i + 1, i + 3));
                i += 3;
            } else {
                return Optional.empty();
            }
        }
        try {
            // The strict decoder: String's constructor would put U+FFFD for bytes that are not UTF-8 and hide the fault.
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
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
