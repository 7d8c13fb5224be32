package dev.rollcall.query.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the client asked for CSV: {@code text/csv} of a higher quality than {@code application/json} in
     * {@code Accept}; an exact type beats a wildcard ({@code text/*}, {@code *}{@code /*}) of the same quality.
     * Anything else, or no {@code Accept}, gets JSON.
     */
    public boolean prefersCsv() {
        String accept = header("accept");
        if (accept == null || accept.isBlank()) {
            return false;
        }
        // Scores are quality * 10 plus 1 for an exact type, so specificity only breaks ties.
        double csv = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            double q = quality(parts);
            if (q <= 0) {
                continue;
            }
            switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                case "text/csv" -> csv = Math.max(csv, q * 10 + 1);
                case "text/*" -> csv = Math.max(csv, q * 10);
                case "application/json" -> json = Math.max(json, q * 10 + 1);
                case "application/*", "*/*" -> json = Math.max(json, q * 10);
                default -> { }
            }
        }
        return csv > json;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
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
