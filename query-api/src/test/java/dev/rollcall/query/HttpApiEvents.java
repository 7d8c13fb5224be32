package dev.rollcall.query;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;

/**
 * HTTP API (payload 2.0) events for tests: the published sample event (see SOURCES.md) with the method, path,
 * query, headers and body of the request under test, deserialized the way the Lambda Java runtime does.
 */
public final class HttpApiEvents {

    private static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiEvents.class.getClassLoader());
    private static final JsonNode SAMPLE = load();

    private HttpApiEvents() {
    }

    public static APIGatewayV2HTTPEvent get(String path) {
        return request("GET", path, "", Map.of(), null);
    }

    /** A GET with this raw query string, exactly as a client would send it (literal commas separate list items). */
    public static APIGatewayV2HTTPEvent get(String path, String rawQuery) {
        return request("GET", path, rawQuery, Map.of(), null);
    }

    public static APIGatewayV2HTTPEvent get(String path, String rawQuery, Map<String, String> headers) {
        return request("GET", path, rawQuery, headers, null);
    }

    public static APIGatewayV2HTTPEvent post(String path, String body) {
        return request("POST", path, "", Map.of("content-type", "application/json"), body);
    }

    /** Parses a URL-encoded {@code a=1&a=2} into decoded values by name, keeping repeats. */
    public static Map<String, java.util.List<String>> query(String rawQuery) {
        Map<String, java.util.List<String>> pairs = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return pairs;
    }

    /**
     * The sample event with this request in it; query values are plain text, URL-encoded into rawQueryString the way
     * a client such as curl sends a list: commas stay literal, so {@code service=a,b} is two values.
     */
    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, java.util.List<String>> query,
                                                Map<String, String> headers, String body) {
        StringBuilder raw = new StringBuilder();
        query.forEach((name, values) -> {
            for (String value : values) {
                raw.append(raw.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value).replace("%2C", ","));
            }
        });
        return request(method, path, raw.toString(), headers, body);
    }

    /**
     * The sample event with this request in it: rawQueryString as given and, as API Gateway fills it,
     * queryStringParameters decoded with repeated parameters joined by commas (absent without a query string).
     */
    public static APIGatewayV2HTTPEvent request(String method, String path, String rawQuery, Map<String, String> headers, String body) {
        ObjectNode event = SAMPLE.deepCopy();
        event.put("rawPath", path);
        event.put("rawQueryString", rawQuery);
        Map<String, java.util.List<String>> query = query(rawQuery);
        if (query.isEmpty()) {
            event.remove("queryStringParameters");
        } else {
            ObjectNode decoded = event.putObject("queryStringParameters");
            query.forEach((name, values) -> decoded.put(name, String.join(",", values)));
        }
        ObjectNode headerNode = (ObjectNode) event.get("headers");
        headers.forEach((name, value) -> headerNode.put(name.toLowerCase(java.util.Locale.ROOT), value));
        event.remove("pathParameters");
        ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
        http.put("method", method);
        http.put("path", path);
        ((ObjectNode) event.get("requestContext")).put("requestId", "apigw-" + Integer.toHexString(path.hashCode()));
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", body);
        }
        return deserialize(ApiJson.bytes(event));
    }

    public static APIGatewayV2HTTPEvent deserialize(byte[] json) {
        return SERIALIZER.fromJson(new ByteArrayInputStream(json));
    }

    public static JsonNode sample() {
        return SAMPLE.deepCopy();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode load() {
        try (InputStream in = HttpApiEvents.class.getResourceAsStream("/events/http-api-v2-sample.json")) {
            return ApiJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
