package dev.rollcall.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.ingest.SqsHandler;

/**
 * {@code POST /v1/events/{source}} on the HTTP API: checks size, signature and JSON, puts the payload on the SQS
 * queue with its source and relevant headers as message attributes, and answers 202 without waiting for
 * OpenSearch. A group of alerts larger than one queue message is queued in parts (see {@link AlertGroupParts}).
 * Bad signature 401, malformed JSON 400, oversize 413, nothing enqueued for any of them.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The response header naming the request id of the delivery's log line. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Logger LOG = LogManager.getLogger(WebhookHandler.class);
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final String PREFIX = "/v1/events/";
    /** The most of a request's path, and of a refusal's answer, one log line carries: both hold what a sender chose. */
    private static final int MAX_LOGGED_PATH = 200;
    private static final int MAX_LOGGED_ANSWER = 500;
    private static final int MAX_SHOWN_SOURCE = 40;
    /**
     * Longest a call to SQS or Secrets Manager may take, retries included: well inside the function's 10 s, so a
     * service that hangs is answered with a 503 the sender retries instead of a Lambda timeout (a bare 500).
     */
    static final Duration AWS_CALL_TIMEOUT = Duration.ofSeconds(4);
    /** What one send needs left of the invocation: the call's own limit and a second to answer. */
    private static final Duration SEND_BUDGET = AWS_CALL_TIMEOUT.plusSeconds(1);
    /** SQS's largest message (1 MiB, the queues are created for it), body and message attributes together. */
    static final int SQS_MESSAGE_BYTES = 1024 * 1024;
    /** The most body a message carries: SQS's largest less room for the attributes. */
    static final int MESSAGE_BYTES = SQS_MESSAGE_BYTES - 8 * 1024;
    /**
     * Characters kept of a header value: what normalizers read is short (a resource type, a timestamp), and a long
     * User-Agent would otherwise push a message near the limit over SQS's, refused on every retry.
     */
    static final int HEADER_CHARS = 256;
    /** Headers normalizers may need (Sentry sends the resource type only in a header); the rest are not kept. */
    private static final Set<String> KEPT_HEADERS = Set.of("sentry-hook-resource", "sentry-hook-timestamp", "user-agent",
            "content-type", "x-github-event", "dd-api-key-id", "x-pagerduty-webhook-subscription");

    private final WebhookConfig config;
    private final WebhookAuthenticator authenticator;
    private final SqsClient sqs;

    public WebhookHandler() {
        this(WebhookConfig.fromEnvironment(System.getenv()));
    }

    public WebhookHandler(WebhookConfig config) {
        this(config, new WebhookAuthenticator(secrets(config)), sqsClient(config));
    }

    public WebhookHandler(WebhookConfig config, WebhookAuthenticator authenticator, SqsClient sqs) {
        this.config = config;
        this.authenticator = authenticator;
        this.sqs = sqs;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        if (request == null) {
            // Invoked directly with a JSON null: no request to answer, and nothing to queue.
            try (CloseableThreadContext.Instance ignored = CloseableThreadContext.put("request_id", requestId)) {
                LOG.warn("webhook answered 400: invoked without an HTTP API event");
            }
            return withRequestId(error(400, "the function takes API Gateway HTTP API events (payload format 2.0), not null"), requestId);
        }
        // The path names the sender's source: a refusal's line must say whose delivery it refused, and why.
        String path = request.getRawPath() == null ? "" : request.getRawPath();
        // API Gateway's id, which its access log (where the webhook alarms count) names: a search starts there.
        String apiRequestId = request.getRequestContext() == null || request.getRequestContext().getRequestId() == null
                ? "none" : request.getRequestContext().getRequestId();
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext.put("request_id", requestId)
                .put("api_request_id", apiRequestId)
                .put("path", path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) : path)) {
            // Without a context (tests, local calls) there is no invocation deadline to keep.
            long deadline = context == null ? Long.MAX_VALUE : System.nanoTime() + context.getRemainingTimeInMillis() * 1_000_000L;
            APIGatewayV2HTTPResponse response = handle(request, deadline);
            if (response.getStatusCode() >= 400) {
                // A warning: the rejected-webhook alarm's remedy reads these lines, which a stack set to log
                // warnings only (logLevel=WARN) would otherwise drop.
                String answer = response.getBody() == null ? "" : response.getBody();
                LOG.warn("webhook answered {}: {}", response.getStatusCode(),
                        answer.length() > MAX_LOGGED_ANSWER ? answer.substring(0, MAX_LOGGED_ANSWER) : answer);
            } else {
                LOG.info("webhook answered {}", response.getStatusCode());
            }
            // The sender's side of a refusal can be matched with this line by the id, from the header or the body
            // (many senders keep only the body of a failed delivery).
            return withHeader(withRequestId(response, requestId), REQUEST_ID_HEADER, requestId);
        }
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent request, long deadlineNanos) {
        String path = request.getRawPath() == null ? "" : request.getRawPath();
        String method = request.getRequestContext() != null && request.getRequestContext().getHttp() != null
                ? request.getRequestContext().getHttp().getMethod() : null;
        if (!path.startsWith(PREFIX)) {
            return error(404, "no route for " + path + "; webhooks are POSTed to /v1/events/{source}");
        }
        String source = sourceOf(request, path);
        if (source == null || !SOURCE.matcher(source).matches()) {
            return error(404, "no source " + shown(source == null ? path.substring(PREFIX.length()) : source)
                    + ": the source in /v1/events/{source} is 1-32 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        }
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            return withHeader(error(405, "use POST for /v1/events/" + source), "Allow", "POST");
        }
        byte[] body;
        try {
            body = body(request);
        } catch (IllegalArgumentException e) {
            return error(400, "body is marked base64-encoded but is not valid base64");
        }
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext.put("source", source)
                .put("bytes", Integer.toString(body.length))) {
            if (body.length > config.maxBodyBytes()) {
                return error(413, "payload of " + body.length + " bytes is over the limit of " + config.maxBodyBytes() + " bytes");
            }
            Map<String, String> headers = lowerCase(request.getHeaders());
            WebhookAuthenticator.Verdict verdict;
            try {
                verdict = authenticator.verify(source, headers, body);
            } catch (SdkException e) {
                LOG.error("webhook secrets unavailable: {}", e.getMessage());
                return withHeader(error(503, "webhook secrets are unavailable, retry later"), "Retry-After", "5");
            } catch (IllegalArgumentException e) {
                // The secret holds something other than {"source":"secret"}: the operator's to fix, the sender's to retry.
                LOG.error("webhook secrets misconfigured: {}", e.getMessage());
                return withHeader(error(503, "webhook secrets are misconfigured, retry later"), "Retry-After", "5");
            }
            if (!verdict.accepted()) {
                // The deployment counts refused credentials from this field: a sender set up with the wrong secret
                // loses every delivery, however few, while requests without any (scanners) are no one's to fix.
                try (CloseableThreadContext.Instance refusal = CloseableThreadContext.put(OperatorMetrics.WEBHOOK_REJECTION_FIELD,
                        verdict.credentialsRefused() ? OperatorMetrics.CREDENTIALS_REFUSED : OperatorMetrics.CREDENTIALS_MISSING)) {
                    LOG.warn("webhook rejected: {}", verdict.reason());
                }
                return error(401, verdict.reason());
            }
            JsonNode tree;
            try {
                tree = AlertJson.readPayload(body);
            } catch (AlertJson.MalformedJsonException e) {
                return error(400, e.getMessage());
            }
            // Valid JSON that SQS cannot carry (U+FFFE, U+FFFF, a lone surrogate) would be refused on every retry:
            // the sender is told it is the body, not a passing outage.
            String text = new String(body, StandardCharsets.UTF_8);
            int refused = SqsMessageCharacters.firstRefused(text);
            if (refused >= 0) {
                LOG.warn("webhook body holds a character the queue refuses at index {}", refused);
                return error(422, "the body holds a character the event queue cannot carry (such as U+FFFF) at index "
                        + refused + "; escape it in the JSON (\\uFFFF)");
            }
            Map<String, MessageAttributeValue> attributes = attributes(source, headers, receivedAt(request));
            int room = Math.min(MESSAGE_BYTES, SQS_MESSAGE_BYTES - bytes(attributes));
            // Checked as the queue's function will read it, through its envelopes: only a body one message carries, or
            // a group that goes in parts (no envelope), since unwrapping a large Records envelope costs far more than
            // refusing it (413 below).
            boolean goesInParts = body.length > room && EventNormalizer.readsAlertByAlert(tree, source);
            if (body.length <= room || goesInParts) {
                Optional<String> malformed = EventNormalizer.webhookBodyMalformation(body, tree, source);
                if (malformed.isPresent()) {
                    return error(400, malformed.get());
                }
            }
            List<String> messages;
            int cutAlerts = 0;
            if (body.length <= room) {
                messages = List.of(text);
            } else {
                // Only a group read alert by alert may go in parts: any other body is one alert, which parts would
                // count once per part.
                Optional<AlertGroupParts.Parts> parts = AlertGroupParts.split(tree, room, group -> EventNormalizer.readsAlertByAlert(group, source));
                if (parts.isEmpty()) {
                    return error(413, "payload of " + body.length + " bytes is over the " + room + " bytes one queue message "
                            + "carries, and not a group of alerts in Alertmanager's or Grafana's format ({\"alerts\":[...]} "
                            + "with receiver, groupKey or commonLabels, or labelled alerts on their paths) that can be queued in parts");
                }
                messages = parts.get().messages();
                cutAlerts = parts.get().cutAlerts();
                LOG.info("webhook group of {} bytes queued in {} parts", body.length, messages.size());
                if (cutAlerts > 0) {
                    LOG.warn("webhook group held {} alerts larger than one queue message: their longest strings were cut "
                            + "(annotation {})", cutAlerts, AlertGroupParts.CUT_MARK);
                }
            }
            List<String> messageIds = new ArrayList<>(messages.size());
            try {
                for (String message : messages) {
                    if (deadlineNanos - System.nanoTime() < SEND_BUDGET.toNanos()) {
                        // A slow queue and a group of several parts: answer the retryable 503 while there is time,
                        // rather than be cut off by the function's timeout with a bare 500.
                        LOG.warn("webhook out of time after {} of {} messages", messageIds.size(), messages.size());
                        return withHeader(error(503, "the event queue is slow, retry later"), "Retry-After", "5");
                    }
                    messageIds.add(enqueue(attributes, message));
                }
            } catch (SdkException e) {
                // Parts already queued are stored again when the sender retries: each alert's id is its own, so once.
                LOG.error("enqueueing webhook failed after {} of {} messages: {}", messageIds.size(), messages.size(), e.getMessage());
                return withHeader(error(503, "the event queue is unavailable, retry later"), "Retry-After", "5");
            }
            ObjectNode answer = AlertJson.mapper().createObjectNode().put("accepted", true).put("source", source)
                    .put("message_id", messageIds.get(0)).put("messages", messageIds.size());
            if (cutAlerts > 0) {
                answer.put("alerts_cut", cutAlerts);
            }
            return response(202, answer.toString());
        }
    }

    private String enqueue(Map<String, MessageAttributeValue> attributes, String body) {
        return sqs.sendMessage(b -> b.queueUrl(config.queueUrl().toString())
                .messageBody(body)
                .messageAttributes(attributes)).messageId();
    }

    /**
     * When API Gateway received the request, in epoch milliseconds (the handler's clock when it does not say). It
     * goes with every message of the delivery: an SDK retry of a send whose answer was lost queues a second copy
     * with a later {@code SentTimestamp}, and a payload without an id of its own is identified by this time instead.
     */
    static long receivedAt(APIGatewayV2HTTPEvent request) {
        long epoch = request.getRequestContext() == null ? 0 : request.getRequestContext().getTimeEpoch();
        return epoch > 0 ? epoch : System.currentTimeMillis();
    }

    /**
     * The source, the door, when the request was received and the kept headers, each header value cut to
     * {@value #HEADER_CHARS} characters.
     */
    static Map<String, MessageAttributeValue> attributes(String source, Map<String, String> headers, long receivedAtMillis) {
        Map<String, String> kept = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (KEPT_HEADERS.contains(k) && v != null) {
                int end = v.length() <= HEADER_CHARS ? v.length() : Character.isHighSurrogate(v.charAt(HEADER_CHARS - 1)) ? HEADER_CHARS - 1 : HEADER_CHARS;
                kept.put(k, v.substring(0, end));
            }
        });
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(SqsHandler.SOURCE_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(source).build());
        attributes.put(SqsHandler.DOOR_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(SqsHandler.WEBHOOK_DOOR).build());
        attributes.put(SqsHandler.RECEIVED_AT_ATTRIBUTE, MessageAttributeValue.builder().dataType("Number")
                .stringValue(Long.toString(receivedAtMillis)).build());
        if (!kept.isEmpty()) {
            attributes.put(SqsHandler.HEADERS_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(AlertJson.toJson(kept)).build());
        }
        return attributes;
    }

    /** What attributes count toward SQS's message size: each name, data type and value, in UTF-8. */
    static int bytes(Map<String, MessageAttributeValue> attributes) {
        int bytes = 0;
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            bytes += utf8(attribute.getKey()) + utf8(attribute.getValue().dataType()) + utf8(attribute.getValue().stringValue());
        }
        return bytes;
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A sender's value in an answer, quoted and cut: the path is the sender's, and its answer is logged. */
    private static String shown(String value) {
        return "'" + (value.length() > MAX_SHOWN_SOURCE ? value.substring(0, MAX_SHOWN_SOURCE) + "...'" : value + "'");
    }

    private static String sourceOf(APIGatewayV2HTTPEvent request, String path) {
        if (request.getPathParameters() != null && request.getPathParameters().get("source") != null) {
            return request.getPathParameters().get("source").toLowerCase(Locale.ROOT);
        }
        String rest = path.substring(PREFIX.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest.toLowerCase(Locale.ROOT);
    }

    private static byte[] body(APIGatewayV2HTTPEvent request) {
        String body = request.getBody() == null ? "" : request.getBody();
        return request.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        return lower;
    }

    /**
     * A refusal in the query API's shape ({@code status}, {@code error} code, {@code message}), so that one client of
     * the API reads both routes' errors alike.
     */
    private static APIGatewayV2HTTPResponse error(int status, String message) {
        return response(status, AlertJson.mapper().createObjectNode().put("status", status).put("error", errorCode(status))
                .put("message", message).toString());
    }

    static String errorCode(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 422 -> "unprocessable_body";
            case 503 -> "unavailable";
            default -> "error";
        };
    }

    private static APIGatewayV2HTTPResponse response(int status, String json) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(json).build();
    }

    /** The answer with {@code request_id} added to its JSON body; every body this handler writes is an object. */
    private static APIGatewayV2HTTPResponse withRequestId(APIGatewayV2HTTPResponse response, String requestId) {
        ObjectNode body = (ObjectNode) AlertJson.readTree(response.getBody());
        response.setBody(body.put("request_id", requestId).toString());
        return response;
    }

    private static APIGatewayV2HTTPResponse withHeader(APIGatewayV2HTTPResponse response, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
        headers.put(name, value);
        response.setHeaders(headers);
        return response;
    }

    private static WebhookSecrets secrets(WebhookConfig config) {
        if (config.inlineSecrets() != null && !config.inlineSecrets().isBlank()) {
            return StaticWebhookSecrets.parse(config.inlineSecrets(), "ROLLCALL_WEBHOOK_SECRETS");
        }
        SecretsManagerClient client = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(AWS_CALL_TIMEOUT)).build();
        return new SecretsManagerWebhookSecrets(client, config.secretArn(), Duration.ofMinutes(5), Clock.systemUTC());
    }

    private static SqsClient sqsClient(WebhookConfig config) {
        SqsClientBuilder builder = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(AWS_CALL_TIMEOUT));
        if (config.sqsEndpoint() != null) {
            builder.endpointOverride(config.sqsEndpoint());
        }
        return builder.build();
    }
}
