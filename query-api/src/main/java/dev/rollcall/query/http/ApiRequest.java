package dev.rollcall.query.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * An HTTP request as the API sees it: method, path without the stage, query parameters with their lists of values,
 * lower-case header names, the decoded body and the request id.
 */
public record ApiRequest(String method, String path, QueryString query, Map<String, String> headers,
                         String body, String requestId) {

    public ApiRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = normalizePath(path);
        query = query == null ? QueryString.EMPTY : query;
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            // A directly invoked event may hold null values, which API Gateway never sends: as if absent.
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    lower.put(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        headers = Map.copyOf(lower);
    }

    /**
     * A request without body and headers, e.g. for in-process callers; the values are decoded, so each comma in
     * them separates list items.
     */
    public static ApiRequest get(String path, Map<String, String> query) {
        return new ApiRequest("GET", path, QueryString.decoded(query), Map.of(), null, null);
    }

    /**
     * Reads an HTTP API (payload 2.0) event. The request id is the Lambda invocation's when given, else API
     * Gateway's. Malformed encodings in client-controlled parts are a 400, not a failure.
     */
    public static ApiRequest from(APIGatewayV2HTTPEvent event, String lambdaRequestId) {
        var context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
        String path = event.getRawPath() != null ? event.getRawPath()
                : context != null && context.getHttp() != null ? context.getHttp().getPath() : null;
        String stage = context == null ? null : context.getStage();
        // With a named stage the raw path starts with it (/prod/v1/...); routes are declared without it.
        if (path != null && stage != null && !stage.isEmpty() && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        // API Gateway decodes queryStringParameters and joins repeated ones with commas, which makes a comma inside a
        // value a separator; the raw query string still tells them apart. Events made by hand may have only the map.
        String raw = event.getRawQueryString();
        QueryString query = raw != null && !raw.isEmpty() ? QueryString.parse(raw) : QueryString.decoded(event.getQueryStringParameters());
        String requestId = lambdaRequestId != null ? lambdaRequestId : context == null ? null : context.getRequestId();
        return new ApiRequest(method, path, query, event.getHeaders(), decodeBody(event), requestId);
    }

    /** A HEAD request: answered like the GET of its path, without the body. */
    public boolean isHead() {
        return method.equals("HEAD");
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the client asked for CSV: {@code text/csv} acceptable ({@code q > 0}) and preferred to
     * {@code application/json} in {@code Accept} (RFC 9110, 12.5.1). Each type takes the quality of the most specific
     * range that matches it ({@code text/csv} before {@code text/*} before {@code *}{@code /*}); the higher quality
     * wins, and only an equal quality goes to the type named more specifically. Anything else, or no
     * {@code Accept}, gets JSON.
     */
    public boolean prefersCsv() {
        String accept = header("accept");
        if (accept == null || accept.isBlank()) {
            return false;
        }
        Preference csv = Preference.of(accept, "text", "csv");
        Preference json = Preference.of(accept, "application", "json");
        return csv.quality() > 0 && csv.compareTo(json) > 0;
    }

    /**
     * How much an {@code Accept} header wants one media type: the quality, and how specifically a range named it
     * (2 the type itself, 1 its {@code type/*}, 0 {@code *}{@code /*}, -1 none).
     */
    private record Preference(double quality, int specificity) implements Comparable<Preference> {

        private static final Preference NOT_NAMED = new Preference(0, -1);
        // RFC 9110's qvalue grammar, before clamping: a plain decimal, no exponent, no NaN or Infinity.
        private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

        static Preference of(String accept, String type, String subtype) {
            Preference best = NOT_NAMED;
            for (String range : accept.split(",")) {
                // The limit keeps empty parts: a range of only semicolons is one empty name, not no parts at all.
                String[] parts = range.split(";", -1);
                String[] name = parts[0].strip().toLowerCase(Locale.ROOT).split("/", 2);
                if (name.length < 2) {
                    continue;
                }
                int specificity = name[0].equals(type) && name[1].equals(subtype) ? 2
                        : name[0].equals(type) && name[1].equals("*") ? 1
                        : name[0].equals("*") && name[1].equals("*") ? 0 : -1;
                if (specificity < 0 || specificity < best.specificity()) {
                    continue;
                }
                // The most specific range decides; among equally specific ones, the kindest.
                double quality = quality(parts);
                if (specificity > best.specificity() || quality > best.quality()) {
                    best = new Preference(quality, specificity);
                }
            }
            return best;
        }

        /** {@code q} clamped to 0..1; one that is not a number makes the range unacceptable (0), not preferred. */
        private static double quality(String[] parameters) {
            for (int i = 1; i < parameters.length; i++) {
                String[] parameter = parameters[i].split("=", 2);
                if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q")) {
                    String value = parameter[1].strip();
                    return DECIMAL.matcher(value).matches() ? Math.max(0, Math.min(1, Double.parseDouble(value))) : 0;
                }
            }
            return 1;
        }

        /** Quality first; specificity only breaks a tie. */
        @Override
        public int compareTo(Preference other) {
            int byQuality = Double.compare(quality, other.quality);
            return byQuality != 0 ? byQuality : Integer.compare(specificity, other.specificity);
        }
    }

    private static String normalizePath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String decodeBody(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null || !event.getIsBase64Encoded()) {
            return event.getBody();
        }
        try {
            return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("body", "body is marked base64-encoded but is not valid base64");
        }
    }
}
