package dev.rollcall.ingest;

import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.servers.LocalLambdaContext;

/**
 * HTTP API (payload 2.0) requests for tests: the published sample with the request's method, path, headers and body
 * written into its JSON, then deserialized once the way the Lambda Java runtime does. Header names are lower case,
 * as API Gateway's HTTP API delivers them, and {@code isBase64Encoded} reaches the handler through the runtime's own
 * mapping of that field, not a setter.
 */
public final class WebhookTestEvents {

    private WebhookTestEvents() {
    }

    /** The webhook function's timeout in the stack. */
    public static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(10);

    /** A fresh invocation's context, as Lambda passes one to every call: the handler keeps to its deadline. */
    public static Context invocation() {
        return LocalLambdaContext.withTimeout(FUNCTION_TIMEOUT);
    }

    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, String body) {
        return deserialize(event(method, path, headers, body, false));
    }

    /** A request whose body is given as API Gateway passes it, with the flag saying whether that is base64. */
    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, String body,
                                                boolean base64Encoded) {
        return deserialize(event(method, path, headers, body, base64Encoded));
    }

    /** A request whose body API Gateway passes base64-encoded, as it does for bytes that are not UTF-8 text. */
    public static APIGatewayV2HTTPEvent binaryRequest(String method, String path, Map<String, String> headers, byte[] body) {
        return deserialize(event(method, path, headers, Base64.getEncoder().encodeToString(body), true));
    }

    /** The event as API Gateway would send it to the function, as JSON. */
    public static ObjectNode event(String method, String path, Map<String, String> headers, String body, boolean base64Encoded) {
        ObjectNode event = (ObjectNode) AlertJson.readTree(LambdaRuntimeSerialization.resource("apigw-http-event.json"));
        event.put("routeKey", method + " /v1/events/{source}");
        event.put("rawPath", path);
        event.remove("pathParameters");
        ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
        http.put("method", method);
        http.put("path", path);
        // The sample's own headers are mixed case, which an HTTP API never delivers: only the request's, lower-cased.
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach((name, value) -> headerNode.put(name.toLowerCase(Locale.ROOT), value));
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", body);
        }
        event.put("isBase64Encoded", base64Encoded);
        return event;
    }

    private static APIGatewayV2HTTPEvent deserialize(ObjectNode event) {
        return LambdaRuntimeSerialization.fromJson(event.toString(), APIGatewayV2HTTPEvent.class);
    }
}
