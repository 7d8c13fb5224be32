package dev.rollcall.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import dev.rollcall.core.alert.AlertJson;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}), as {@code sam local start-lambda}
 * serves it, so {@code aws lambda invoke --endpoint-url http://127.0.0.1:3001} works against local functions.
 */
final class LambdaInvokeEndpoint extends HttpEndpoint {

    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
    /** Lambda's largest synchronous invocation payload, 6 MB. */
    static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    private final LocalFunctions functions;
    private final AsyncInvocations async;

    LambdaInvokeEndpoint(int port, LocalFunctions functions, AsyncInvocations async) {
        super(port, "--lambda-port", MAX_BODY_BYTES);
        this.functions = functions;
        this.async = async;
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String path = rawPath(exchange);
        Matcher m = INVOKE.matcher(path);
        if (!m.matches() || !"POST".equals(exchange.getRequestMethod())) {
            sendError(exchange, 404, "ResourceNotFoundException", "no such route: " + exchange.getRequestMethod() + " " + path);
            return;
        }
        // The name as the client encoded it, decoded once: the decoded path would turn a %25 into a % to decode again.
        String given = decodedSegment(m.group(1));
        if (given == null) {
            sendError(exchange, 400, "ValidationException", "the function name " + m.group(1) + " is not UTF-8 once its %-escapes are decoded");
            return;
        }
        String name = functionName(given);
        if (!functions.has(name)) {
            sendError(exchange, 404, "ResourceNotFoundException", "Function not found: " + name + " (local functions: " + functions.names() + ")");
            return;
        }
        String event = new String(body(exchange), StandardCharsets.UTF_8);
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        if ("DryRun".equals(type)) {
            send(exchange, 204, null, (String) null, Map.of());
            return;
        }
        if ("Event".equals(type)) {
            // As Lambda: retried, then the function's failure destination, instead of lost on the first error.
            async.submit(name, event, "Invoke with InvocationType Event");
            send(exchange, 202, null, (String) null, Map.of());
            return;
        }
        LocalFunctions.Result result = functions.invoke(name, event);
        if (result.error() != null) {
            send(exchange, 200, "application/json", result.error(), Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"));
        } else {
            send(exchange, 200, "application/json", result.response() == null ? "null" : result.response(), Map.of("X-Amz-Executed-Version", "$LATEST"));
        }
    }

    /** Accepts a plain name, a partial ARN or a full ARN, as Lambda does. */
    private static String functionName(String given) {
        int colon = given.lastIndexOf(":function:");
        String name = colon >= 0 ? given.substring(colon + ":function:".length()) : given;
        int qualifier = name.indexOf(':');
        return qualifier >= 0 ? name.substring(0, qualifier) : name;
    }

    @Override
    void refuseTooLarge(HttpExchange exchange, int limit) throws IOException {
        sendError(exchange, 413, "RequestEntityTooLargeException",
                "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
    }

    private static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = AlertJson.mapper().createObjectNode().put("Type", "User").put("Message", message);
        send(exchange, status, "application/json", body.toString(), Map.of("x-amzn-ErrorType", type));
    }
}
