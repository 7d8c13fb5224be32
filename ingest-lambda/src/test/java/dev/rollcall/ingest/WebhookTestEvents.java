package dev.rollcall.ingest;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/** HTTP API requests for tests: the published sample deserialized as the runtime does, with path, headers and body set. */
public final class WebhookTestEvents {

    private WebhookTestEvents() {
    }

    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent event = LambdaRuntimeSerialization.fromJson(LambdaRuntimeSerialization.resource("apigw-http-event.json"),
                APIGatewayV2HTTPEvent.class);
        event.setRouteKey(method + " /v1/events/{source}");
        event.setRawPath(path);
        event.setPathParameters(null);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.setHeaders(new HashMap<>(headers));
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** A request whose body API Gateway passes base64-encoded, as it does for bytes that are not UTF-8 text. */
    public static APIGatewayV2HTTPEvent binaryRequest(String method, String path, Map<String, String> headers, byte[] body) {
        APIGatewayV2HTTPEvent event = request(method, path, headers, Base64.getEncoder().encodeToString(body));
        event.setIsBase64Encoded(true);
        return event;
    }
}
