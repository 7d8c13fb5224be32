package dev.rollcall.local;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import dev.rollcall.core.alert.AlertJson;

/**
 * The HTTP APIs on one local port, as {@code sam local start-api} serves them: each request becomes an API Gateway
 * HTTP API payload 2.0 event for the function behind its route ({@code /v1/events/{source}} the webhook function,
 * everything else the query API), and the function's response becomes the HTTP response.
 */
final class HttpApiEndpoint extends HttpEndpoint {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** API Gateway's largest request line and header values of an HTTP API request together, 10240 bytes. */
    static final int MAX_REQUEST_LINE_BYTES = 10240;

    /** API Gateway's largest HTTP API payload, 10 MB. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final LocalFunctions functions;
    private final String webhookFunction;
    private final String queryFunction;

    HttpApiEndpoint(int port, LocalFunctions functions, String webhookFunction, String queryFunction) {
        super(port, "--query-port", MAX_BODY_BYTES);
        this.functions = functions;
        this.webhookFunction = webhookFunction;
        this.queryFunction = queryFunction;
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        // API Gateway's own answer, before any function runs; the headers, which its quota counts too, are not.
        if (requestLineBytes(exchange) > MAX_REQUEST_LINE_BYTES) {
            send(exchange, 414, "application/json", "{\"message\":\"Request-URI Too Long\"}", Map.of());
            return;
        }
        // As API Gateway routes it and passes it on: the path as sent, duplicate slashes and escapes kept.
        String path = rawPath(exchange);
        boolean webhook = path.startsWith("/v1/events/");
        String function = webhook ? webhookFunction : queryFunction;
        if (function == null || !functions.has(function)) {
            send(exchange, 503, "application/json", "{\"message\":\"the function for " + path + " is not running in local mode\"}", Map.of());
            return;
        }
        String event;
        try {
            event = toEvent(exchange, path, webhook).toString();
        } catch (IllegalArgumentException e) {
            // A malformed %-escape (in the query string, or in the webhook's source): API Gateway answers such a
            // request 400 before any function runs.
            send(exchange, 400, "application/json", "{\"message\":\"malformed %-escape in the path or query string\"}", Map.of());
            return;
        }
        LocalFunctions.Result result = functions.invoke(function, event);
        if (result.error() != null) {
            // What API Gateway answers when the integration fails.
            send(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}", Map.of());
            return;
        }
        JsonNode response = AlertJson.readTree(result.response());
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        String contentType = headers.remove("Content-Type");
        if (contentType == null) {
            contentType = headers.remove("content-type");
        }
        byte[] body = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(response.path("body").asText(""))
                : response.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        send(exchange, response.path("statusCode").asInt(200), contentType, body, headers);
    }

    @Override
    void refuseTooLarge(HttpExchange exchange, int limit) throws IOException {
        // API Gateway's own answer, before any function runs.
        send(exchange, 413, "application/json", "{\"message\":\"Request Entity Too Large\"}", Map.of());
    }

    private ObjectNode toEvent(HttpExchange exchange, String rawPath, boolean webhook) throws IOException {
        String method = exchange.getRequestMethod();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        ObjectNode event = AlertJson.mapper().createObjectNode();
        event.put("version", "2.0");
        String routeKey = webhook ? "POST /v1/events/{source}" : "$default";
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        if (rawQuery != null && !rawQuery.isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            Map<String, String> joined = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                joined.merge(key, value, (a, b) -> a + "," + b);
            }
            joined.forEach(query::put);
        }
        if (webhook) {
            String source = rawPath.substring("/v1/events/".length());
            if (!source.isEmpty() && !source.contains("/")) {
                // Decoded once and strictly, as the function names of the Invoke API are: a '+' stays a plus, and an
                // escape that is no UTF-8 is the API's 400 below rather than a U+FFFD in the source.
                String decoded = decodedSegment(source);
                if (decoded == null) {
                    throw new IllegalArgumentException("malformed %-escape in the source");
                }
                event.putObject("pathParameters").put("source", decoded);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", LocalConfig.ACCOUNT_ID);
        context.put("apiId", "local");
        context.put("domainName", "127.0.0.1");
        context.put("domainPrefix", "local");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        byte[] body = body(exchange);
        if (body.length > 0) {
            // Text bodies pass as they are; anything that is not valid UTF-8 goes base64-encoded, as API Gateway does.
            String text = utf8OrNull(body);
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", text == null);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }
}
