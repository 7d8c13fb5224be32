package dev.rollcall.query.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

/** A status, headers and a text body, as the HTTP API returns them to the client. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static final String JSON = "application/json";
    public static final String CSV = "text/csv; charset=utf-8";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Map.of("Content-Type", JSON), ApiJson.write(body));
    }

    public static ApiResponse csv(String body) {
        return new ApiResponse(200, Map.of("Content-Type", CSV), body);
    }

    /** The same response with more headers (later ones win). */
    public ApiResponse withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(more);
        return new ApiResponse(status, merged, body);
    }

    public ApiResponse withHeader(String name, String value) {
        return withHeaders(Map.of(name, value));
    }

    /** The same status and headers with an empty body, as the answer to a HEAD request. */
    public ApiResponse withoutBody() {
        return new ApiResponse(status, headers, "");
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    public APIGatewayV2HTTPResponse toEvent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
