package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.ingest.CapturedLog;
import dev.rollcall.ingest.IngestHandlersIT;
import dev.rollcall.ingest.SqsHandler;
import dev.rollcall.ingest.WebhookTestEvents;
import dev.rollcall.servers.LocalLambdaContext;
import dev.rollcall.servers.SqsEventSourceMapping;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;
import dev.rollcall.servers.junit.TestSqs;
import dev.rollcall.servers.ClosedPort;
import dev.rollcall.servers.FaultInjectingProxy;

/** The webhook door: signature, size and JSON checks in front of a real SQS queue, then on into OpenSearch. */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookHandlerIT {

    private static final String SENTRY_BODY = "{\"action\":\"triggered\",\"data\":{\"event\":{\"event_id\":\"e1\",\"title\":\"ZeroDivisionError\"}}}";

    private TestSqs sqs;
    private TestOpenSearch openSearch;
    private String queueUrl;
    private WebhookHandler handler;
    private SqsClient client;

    @BeforeAll
    void setUp(TestSqs sqs, TestOpenSearch openSearch) {
        this.sqs = sqs;
        this.openSearch = openSearch;
        this.client = sqs.client();
        this.queueUrl = sqs.createQueueWithDlq("webhooks-" + UUID.randomUUID(), 3, 1);
        WebhookConfig config = new WebhookConfig(URI.create(queueUrl), null,
                "{\"sentry\":\"sentry-secret\",\"default\":\"shared-secret\"}", 2048, sqs.endpoint());
        this.handler = new WebhookHandler(config);
    }

    private APIGatewayV2HTTPResponse post(String path, Map<String, String> headers, String body) {
        return handler.handleRequest(WebhookTestEvents.request("POST", path, headers, body), WebhookTestEvents.invocation());
    }

    private APIGatewayV2HTTPResponse postBytes(byte[] body) {
        return handler.handleRequest(WebhookTestEvents.binaryRequest("POST", "/v1/events/alertmanager",
                Map.of("Authorization", "Bearer shared-secret"), body), WebhookTestEvents.invocation());
    }

    private List<Message> drain() {
        return client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages();
    }

    @Test
    void aSignedSentryWebhookIsAcceptedAndEnqueuedWithItsSourceAndHeaders() {
        String signature = WebhookAuthenticator.hmacHex("sentry-secret", SENTRY_BODY.getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPResponse response = post("/v1/events/sentry",
                Map.of("Sentry-Hook-Signature", signature, "Sentry-Hook-Resource", "event_alert"), SENTRY_BODY);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        JsonNode answer = AlertJson.readTree(response.getBody());
        assertThat(answer.path("accepted").asBoolean()).isTrue();
        List<Message> messages = drain();
        assertThat(messages).hasSize(1);
        Message message = messages.get(0);
        assertThat(message.messageId()).isEqualTo(answer.path("message_id").asText());
        assertThat(message.body()).isEqualTo(SENTRY_BODY);
        assertThat(message.messageAttributes().get(SqsHandler.SOURCE_ATTRIBUTE).stringValue()).isEqualTo("sentry");
        assertThat(message.messageAttributes().get(SqsHandler.DOOR_ATTRIBUTE).stringValue()).isEqualTo(SqsHandler.WEBHOOK_DOOR);
        assertThat(message.messageAttributes().get(SqsHandler.HEADERS_ATTRIBUTE).stringValue()).contains("\"sentry-hook-resource\":\"event_alert\"");
        client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }

    @Test
    void everyRejectionAnswersClearlyAndEnqueuesNothing() {
        String badSignature = WebhookAuthenticator.hmacHex("wrong", SENTRY_BODY.getBytes(StandardCharsets.UTF_8));
        String malformed = "{\"action\": ";
        String signedMalformed = WebhookAuthenticator.hmacHex("sentry-secret", malformed.getBytes(StandardCharsets.UTF_8));
        String oversize = "{\"x\":\"" + "a".repeat(3000) + "\"}";

        record Case(APIGatewayV2HTTPResponse response, int status, String message) {
        }
        List<Case> cases = List.of(
                new Case(post("/v1/events/sentry", Map.of("Sentry-Hook-Signature", badSignature), SENTRY_BODY), 401, "invalid signature"),
                new Case(post("/v1/events/sentry", Map.of(), SENTRY_BODY), 401, "missing Sentry-Hook-Signature header"),
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer nope"), "{}"), 401, "invalid credentials"),
                // PagerDuty has no entry of its own: the shared default must not sign for it.
                new Case(post("/v1/events/pagerduty", Map.of("X-PagerDuty-Signature", "v1=" + WebhookAuthenticator.hmacHex("shared-secret",
                        "{}".getBytes(StandardCharsets.UTF_8))), "{}"), 401, "no webhook secret is configured for source 'pagerduty'"),
                new Case(post("/v1/events/sentry", Map.of("Sentry-Hook-Signature", signedMalformed), malformed), 400, "malformed JSON"),
                // Deeper than the stored document could hold: refused here, not failed later in the queue's batch.
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"), "[".repeat(600) + "]".repeat(600)),
                        400, "malformed JSON: nested deeper than 500 levels"),
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"), oversize), 413, "over the limit of 2048 bytes"),
                // Valid JSON and UTF-8 that SQS refuses on every attempt: not a 503 the sender would retry for ever.
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"), "{\"x\":\"\uFFFF\"}"), 422,
                        "a character the event queue cannot carry"),
                // JSON in UTF-32 and UTF-16 (Jackson would guess either): a client error, not a 500 or a stored guess.
                new Case(postBytes(new byte[] {0, 0, 0, '{', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}), 400, "JSON must be UTF-8"),
                new Case(postBytes("{\"x\":1}".getBytes(StandardCharsets.UTF_16LE)), 400, "JSON must be UTF-8"),
                new Case(postBytes("{\"x\":1}".getBytes(StandardCharsets.UTF_16)), 400, "JSON must be UTF-8"),
                // An overlong '<': Jackson alone read it as '<' while the queued text carried U+FFFD in its place.
                new Case(postBytes(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC0, (byte) 0xBC, '"', '}'}), 400,
                        "the bytes at offset 6 are no UTF-8 character"),
                new Case(post("/v1/events/Bad Source!", Map.of(), "{}"), 404, "no source 'bad source!': the source in /v1/events/{source}"),
                new Case(post("/v1/events/-abc", Map.of(), "{}"), 404, "no source '-abc'"),
                // The deployed HTTP API routes only /v1/events/{source}: a trailing slash is shown, not read past.
                new Case(post("/v1/events/alertmanager/", Map.of(), "{}"), 404, "no source 'alertmanager/'"),
                new Case(post("/v1/events/" + "a".repeat(5000), Map.of(), "{}"), 404, "no source '" + "a".repeat(40) + "...'"),
                // Valid JSON that is no event, and a group that breaks Alertmanager's format: refused, not stored as pages.
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"), "42"), 400,
                        "body must be a JSON object, got a number"),
                new Case(post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"),
                        "{\"receiver\":\"x\",\"alerts\":[{\"status\":\"bogus\",\"labels\":{\"alertname\":\"A\"}}]}"), 400,
                        "alerts[0].status must be \"firing\" or \"resolved\", got 'bogus'"),
                new Case(post("/v2/other", Map.of(), "{}"), 404, "no route"),
                new Case(handler.handleRequest(WebhookTestEvents.request("GET", "/v1/events/sentry", Map.of(), null), WebhookTestEvents.invocation()), 405, "use POST"));

        // The query API's error shape: one client reads both routes' refusals alike.
        Map<Integer, String> codes = Map.of(400, "invalid_request", 401, "unauthorized", 404, "not_found",
                405, "method_not_allowed", 413, "payload_too_large", 422, "unprocessable_body");
        for (Case c : cases) {
            assertThat(c.response().getStatusCode()).as(c.response().getBody()).isEqualTo(c.status());
            JsonNode body = AlertJson.readTree(c.response().getBody());
            assertThat(body.path("message").asText()).contains(c.message());
            assertThat(body.path("error").asText()).as(c.response().getBody()).isEqualTo(codes.get(c.status()));
            assertThat(body.path("status").asInt()).isEqualTo(c.status());
        }
        assertThat(cases.get(cases.size() - 1).response().getHeaders()).containsEntry("Allow", "POST");
        assertThat(drain()).isEmpty();
    }

    @Test
    void aRefusalsLogLineNamesThePathAndWhy() {
        try (CapturedLog log = CapturedLog.of(WebhookHandler.class)) {
            post("/v1/events/alertmanager", Map.of("Authorization", "Bearer shared-secret"), "{\"x\":\"" + "a".repeat(3000) + "\"}");

            assertThat(log.lastMessage()).startsWith("webhook answered 413: ").contains("over the limit of 2048 bytes");
            assertThat(log.fieldsOfLast("webhook answered 413")).containsEntry("path", "/v1/events/alertmanager");
            // Kept by a stack that logs warnings only: the rejected-webhook alarm's remedy reads these lines.
            assertThat(log.levelOfLast("webhook answered 413")).isEqualTo("WARN");
        }
    }

    /**
     * The deployment alarms on the first delivery whose credentials were refused (a sender set up wrong loses every
     * one), counted from this field; a request without credentials (a scanner) carries the other value.
     */
    @Test
    void aRejectionLineSaysWhetherCredentialsWereRefusedOrMissing() {
        try (CapturedLog log = CapturedLog.of(WebhookHandler.class)) {
            post("/v1/events/alertmanager", Map.of("Authorization", "Bearer rotated-elsewhere"), "{}");
            assertThat(log.fieldsOfLast("webhook rejected")).containsEntry(OperatorMetrics.WEBHOOK_REJECTION_FIELD, OperatorMetrics.CREDENTIALS_REFUSED)
                    .containsEntry("source", "alertmanager");

            post("/v1/events/alertmanager", Map.of(), "{}");
            assertThat(log.lastMessage()).startsWith("webhook answered 401");
            assertThat(log.fieldsOfLast("webhook rejected")).containsEntry(OperatorMetrics.WEBHOOK_REJECTION_FIELD, OperatorMetrics.CREDENTIALS_MISSING);
        }
        assertThat(drain()).isEmpty();
    }

    /** Every answer names the request id of its log line, so a sender's refused delivery can be found in the log. */
    @Test
    void everyAnswerNamesTheRequestIdOfItsLogLine() {
        try (CapturedLog log = CapturedLog.of(WebhookHandler.class)) {
            APIGatewayV2HTTPResponse refused = handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                    Map.of(), "{}"), LocalLambdaContext.withRequestId("req-webhook-1"));
            assertThat(refused.getStatusCode()).isEqualTo(401);
            assertThat(refused.getHeaders()).containsEntry(WebhookHandler.REQUEST_ID_HEADER, "req-webhook-1");
            assertThat(AlertJson.readTree(refused.getBody()).path("request_id").asText()).isEqualTo("req-webhook-1");
            assertThat(AlertJson.readTree(refused.getBody()).path("status").asInt()).isEqualTo(401);
            assertThat(log.fieldsOfLast("webhook answered 401")).containsEntry("request_id", "req-webhook-1")
                    // API Gateway's id of the request (the sample's), which its access log names.
                    .containsEntry("api_request_id", "id");

            APIGatewayV2HTTPResponse accepted = handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                    Map.of("Authorization", "Bearer shared-secret"), "{\"status\":\"firing\"}"),
                    LocalLambdaContext.withRequestId("req-webhook-2"));
            assertThat(accepted.getStatusCode()).isEqualTo(202);
            assertThat(accepted.getHeaders()).containsEntry(WebhookHandler.REQUEST_ID_HEADER, "req-webhook-2");
            assertThat(AlertJson.readTree(accepted.getBody()).path("request_id").asText()).isEqualTo("req-webhook-2");
            assertThat(AlertJson.readTree(accepted.getBody()).path("accepted").asBoolean()).isTrue();
            // Other tests read this queue: take the accepted message off it.
            List<Message> queued = drain();
            assertThat(queued).hasSize(1);
            client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(queued.get(0).receiptHandle()));
        }
    }

    @Test
    void anUnreachableQueueIsA503WithRetryAfterSoTheSenderRetries() throws Exception {
        URI dead = ClosedPort.http();
        URI deadQueue = dead.resolve("/000000000000/gone");
        WebhookHandler toNowhere = new WebhookHandler(new WebhookConfig(deadQueue, null, "{\"default\":\"shared-secret\"}", 4096,
                dead), new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("default", "shared-secret"))),
                software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(dead)
                        .region(software.amazon.awssdk.regions.Region.of(TestSqs.REGION))
                        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                        .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                                .apiCallTimeout(Duration.ofSeconds(10)))
                        .build());

        APIGatewayV2HTTPResponse response = toNowhere.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                Map.of("Authorization", "Bearer shared-secret"), "{\"alerts\":[]}"), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(AlertJson.readTree(response.getBody()).path("message").asText()).isEqualTo("the event queue is unavailable, retry later");
        assertThat(AlertJson.readTree(response.getBody()).path("error").asText()).isEqualTo("unavailable");
    }

    /** An Alertmanager group of hundreds of alerts: Alertmanager does not retry a 413, so it must fit. */
    @Test
    void aBodyOverSqsFormer256KibLimitIsAcceptedWithTheDefaultLimit() {
        WebhookHandler defaults = new WebhookHandler(new WebhookConfig(URI.create(queueUrl), null,
                "{\"default\":\"shared-secret\"}", WebhookConfig.DEFAULT_MAX_BODY_BYTES, sqs.endpoint()));
        StringBuilder alerts = new StringBuilder("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[");
        for (int i = 0; i < 1_500; i++) {
            alerts.append(i == 0 ? "" : ",").append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\",\"pod\":\"pod-")
                    .append(i).append("\"},\"annotations\":{\"description\":\"").append("x".repeat(300))
                    .append("\"},\"startsAt\":\"2026-03-14T12:00:00Z\",\"fingerprint\":\"f").append(i).append("\"}");
        }
        String body = alerts.append("]}").toString();
        assertThat(body.length()).isBetween(600_000, WebhookConfig.DEFAULT_MAX_BODY_BYTES);

        APIGatewayV2HTTPResponse response = defaults.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                Map.of("Authorization", "Bearer shared-secret"), body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        List<Message> messages = drain();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).isEqualTo(body);
        client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
    }

    @Test
    void base64BodiesAreDecodedBeforeTheSignatureIsChecked() {
        String signature = WebhookAuthenticator.hmacHex("sentry-secret", SENTRY_BODY.getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPEvent event = WebhookTestEvents.binaryRequest("POST", "/v1/events/sentry", Map.of("Sentry-Hook-Signature", signature),
                SENTRY_BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(handler.handleRequest(event, WebhookTestEvents.invocation()).getStatusCode()).isEqualTo(202);
        List<Message> messages = drain();
        // The queue gets the decoded text, which the SQS function reads as the sender wrote it.
        assertThat(messages).extracting(Message::body).containsExactly(SENTRY_BODY);
        messages.forEach(m -> client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
    }

    @Test
    void aWebhookTravelsThroughTheQueueIntoOpenSearch() {
        String prefix = TestOpenSearch.uniquePrefix("hook");
        String queue = sqs.createQueueWithDlq("hook-e2e-" + UUID.randomUUID(), 3, 1);
        WebhookHandler toQueue = new WebhookHandler(new WebhookConfig(URI.create(queue), null, "{\"default\":\"shared-secret\"}", 4096, sqs.endpoint()));
        SqsHandler ingest = new SqsHandler(IngestHandlersIT.runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        String body = "{\"receiver\":\"rollcall\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\"}}]}";
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer shared-secret"));

        assertThat(toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers, body), WebhookTestEvents.invocation()).getStatusCode()).isEqualTo(202);
        // The shared token does not make its holder AWS: a GuardDuty finding sent by webhook is kept, as custom.
        assertThat(toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom", headers, FORGED_FINDING), WebhookTestEvents.invocation())
                .getStatusCode()).isEqualTo(202);
        try (SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queue, TestSqs.REGION,
                new SqsEventSourceMapping.Settings(10, Duration.ofMillis(100)), IngestHandlersIT.lambdaInvoke(ingest, Duration.ofSeconds(30)))) {
            mapping.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(2));
        }
        openSearch.refresh(prefix + "-events-*");
        assertThat(openSearch.count(prefix + "-events-*", "{\"query\":{\"term\":{\"source\":\"alertmanager\"}}}")).isEqualTo(1);
        assertThat(openSearch.count(prefix + "-events-*", "{\"query\":{\"term\":{\"source\":\"guardduty\"}}}")).isZero();
        assertThat(openSearch.count(prefix + "-events-*", "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"source\":\"custom\"}},"
                + "{\"term\":{\"labels.event_source\":\"aws.guardduty\"}},{\"term\":{\"labels.source_hint\":\"custom\"}}]}}}")).isEqualTo(1);
    }

    /**
     * SQS takes a send and its answer is lost (here a 500 after the message is queued): the SDK sends it again, and
     * the queue holds two copies with different {@code SentTimestamp}s. A payload without an id or a time of its own
     * is identified by when the webhook received it, which both copies carry, so it is stored once.
     */
    @Test
    void aSendTheSdkRepeatsAfterALostAnswerIsStoredOnce() {
        String prefix = TestOpenSearch.uniquePrefix("hookresend");
        String queue = sqs.createQueueWithDlq("hook-resend-" + UUID.randomUUID(), 3, 1);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(sqs.endpoint())) {
            // A fixed pause between the tries, so that the two copies' SentTimestamps surely differ.
            SqsClient resending = SqsClient.builder().endpointOverride(proxy.uri())
                    .region(software.amazon.awssdk.regions.Region.of(TestSqs.REGION))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                    .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(3)
                            .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(20)))))
                    .build();
            WebhookHandler toQueue = new WebhookHandler(new WebhookConfig(URI.create(queue), null, "{\"default\":\"shared-secret\"}", 4096,
                    proxy.uri()), new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("default", "shared-secret"))), resending);
            proxy.failAfterForwardingNext(1, 500, path -> true);

            APIGatewayV2HTTPEvent request = WebhookTestEvents.request("POST", "/v1/events/custom",
                    Map.of("Authorization", "Bearer shared-secret"), "{\"name\":\"DiskFull\",\"status\":\"firing\"}");
            // API Gateway's receive time is now, not the published sample's.
            request.getRequestContext().setTimeEpoch(System.currentTimeMillis());
            APIGatewayV2HTTPResponse response = toQueue.handleRequest(request, WebhookTestEvents.invocation());

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(proxy.forwarded()).as("the lost send and the SDK's second one").isEqualTo(2);
        }
        List<Message> copies = client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
                .visibilityTimeout(0).messageSystemAttributeNamesWithStrings("SentTimestamp")).messages();
        assertThat(copies).hasSize(2);
        assertThat(copies.get(0).attributesAsStrings().get("SentTimestamp"))
                .as("two sends, two send times").isNotEqualTo(copies.get(1).attributesAsStrings().get("SentTimestamp"));

        ingestUntilStored(queue, prefix, 1);
    }

    /** A GuardDuty finding's EventBridge event, as someone holding only a webhook token would send it. */
    private static final String FORGED_FINDING = """
            {"version":"0","id":"forged-1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"999999999999",
             "time":"2026-03-14T12:00:00Z","region":"us-east-1","resources":[],
             "detail":{"schemaVersion":"2.0","accountId":"999999999999","region":"us-east-1","partition":"aws","id":"f-1",
              "arn":"arn:aws:guardduty:us-east-1:999999999999:detector/d/finding/f-1","type":"Backdoor:EC2/C&CActivity.B",
              "severity":8,"title":"forged","description":"forged","createdAt":"2026-03-14T11:59:00Z","updatedAt":"2026-03-14T12:00:00Z",
              "resource":{"resourceType":"Instance"},"service":{"count":1}}}""";

    @Test
    void aGroupOfAlertsOverOneQueueMessageIsQueuedInPartsAndEveryAlertIsStoredOnce() {
        String prefix = TestOpenSearch.uniquePrefix("hookparts");
        String queue = sqs.createQueueWithDlq("hook-parts-" + UUID.randomUUID(), 3, 1);
        WebhookHandler toQueue = withDefaultLimits(queue);
        // A cluster-wide outage: 6,000 pods crash-looping in one Alertmanager group of about 3 MB.
        String body = AlertGroupPartsTest.group(6_000, 400).toString();
        assertThat(body.length()).isBetween(2_500_000, WebhookConfig.DEFAULT_MAX_BODY_BYTES);
        Map<String, String> headers = Map.of("Authorization", "Bearer shared-secret");

        APIGatewayV2HTTPResponse response = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers, body), WebhookTestEvents.invocation());
        // The sender retries the whole group (after a 503 on a later part, say): its alerts are not stored twice.
        APIGatewayV2HTTPResponse again = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers, body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(again.getStatusCode()).isEqualTo(202);
        int parts = AlertJson.readTree(response.getBody()).path("messages").asInt();
        assertThat(parts).isBetween(3, 4);
        ingestUntilStored(queue, prefix, 6_000);

        // An invocation with too little time left for another send answers the retryable 503 and queues nothing.
        int before = queuedCount(queue);
        APIGatewayV2HTTPResponse late = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers, body),
                LocalLambdaContext.withTimeout(Duration.ofSeconds(3)));
        assertThat(late.getStatusCode()).isEqualTo(503);
        assertThat(late.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(queuedCount(queue)).isEqualTo(before);

        String notAGroup = "{\"message\":\"" + "z".repeat(WebhookHandler.MESSAGE_BYTES) + "\"}";
        APIGatewayV2HTTPResponse refused = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom", headers, notAGroup), WebhookTestEvents.invocation());
        assertThat(refused.getStatusCode()).isEqualTo(413);
        assertThat(AlertJson.readTree(refused.getBody()).path("message").asText()).contains("not a group of alerts");

        // A custom producer's {"alerts":[...]} is one custom alert as one message: in parts it would count once per
        // part, so it is refused like any other body over a message. On Alertmanager's path its labelled alerts are
        // read one by one, and parts are fine.
        ObjectNode customGroup = AlertGroupPartsTest.group(6_000, 400);
        customGroup.remove("receiver");
        APIGatewayV2HTTPResponse customRefused = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom", headers,
                customGroup.toString()), WebhookTestEvents.invocation());
        assertThat(customRefused.getStatusCode()).isEqualTo(413);
        assertThat(AlertJson.readTree(customRefused.getBody()).path("message").asText()).contains("not a group of alerts in Alertmanager's");
        int queuedBefore = queuedCount(queue);
        APIGatewayV2HTTPResponse labelled = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers,
                customGroup.toString()), WebhookTestEvents.invocation());
        assertThat(labelled.getStatusCode()).as(labelled.getBody()).isEqualTo(202);
        assertThat(queuedCount(queue) - queuedBefore).isEqualTo(AlertJson.readTree(labelled.getBody()).path("messages").asInt()).isGreaterThan(1);

        // Told apart by its first alert's labels, such a group could leave a later part starting with an alert
        // without any, which alone reads as one custom alert: each part must read alert by alert too.
        ArrayNode alerts = (ArrayNode) customGroup.path("alerts");
        for (int i = alerts.size() / 2; i < alerts.size(); i++) {
            ((ObjectNode) alerts.get(i)).remove("labels");
        }
        APIGatewayV2HTTPResponse mixed = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers,
                customGroup.toString()), WebhookTestEvents.invocation());
        assertThat(mixed.getStatusCode()).isEqualTo(413);
        assertThat(queuedCount(queue) - queuedBefore).as("nothing more queued").isEqualTo(AlertJson.readTree(labelled.getBody()).path("messages").asInt());

        // A group that goes in parts is checked whole before any part is queued: one bad entry in a late part.
        ObjectNode oneBad = AlertGroupPartsTest.group(6_000, 400);
        ((ObjectNode) oneBad.path("alerts").get(5_000)).put("status", "bogus");
        APIGatewayV2HTTPResponse malformed = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager", headers,
                oneBad.toString()), WebhookTestEvents.invocation());
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(AlertJson.readTree(malformed.getBody()).path("message").asText()).startsWith("alerts[5000].status must be");
        assertThat(queuedCount(queue) - queuedBefore).as("no part queued").isEqualTo(AlertJson.readTree(labelled.getBody()).path("messages").asInt());
    }

    /**
     * One alert with a runaway annotation larger than a queue message no longer costs its group (Alertmanager does
     * not send again after a 413): it is queued with its longest strings cut, and every alert is stored once.
     */
    @Test
    void anAlertLargerThanAQueueMessageCostsNeitherItselfNorItsGroup() {
        String prefix = TestOpenSearch.uniquePrefix("hookcut");
        String queue = sqs.createQueueWithDlq("hook-cut-" + UUID.randomUUID(), 3, 1);
        WebhookHandler toQueue = withDefaultLimits(queue);
        com.fasterxml.jackson.databind.node.ObjectNode group = AlertGroupPartsTest.group(3, 100);
        ((com.fasterxml.jackson.databind.node.ObjectNode) group.path("alerts").get(1).path("annotations"))
                .put("description", "stack trace line\n".repeat(80_000));
        String body = group.toString();
        assertThat(body.length()).isGreaterThan(WebhookHandler.SQS_MESSAGE_BYTES);

        APIGatewayV2HTTPResponse response = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                Map.of("Authorization", "Bearer shared-secret"), body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(AlertJson.readTree(response.getBody()).path("alerts_cut").asInt()).isEqualTo(1);
        ingestUntilStored(queue, prefix, 3);
    }

    /**
     * Kept headers travel as message attributes, which count toward SQS's 1 MiB: a body just under the body room
     * with a 9 KB User-Agent made a message SQS refused on every retry, a 503 for ever. Kept header values are
     * cut, and what attributes remain is counted in the room a body has.
     */
    @Test
    void aBodyNearTheLimitWithALongUserAgentIsQueued() {
        WebhookHandler defaults = new WebhookHandler(new WebhookConfig(URI.create(queueUrl), null,
                "{\"default\":\"shared-secret\"}", WebhookConfig.DEFAULT_MAX_BODY_BYTES, sqs.endpoint()));
        String body = "{\"a\":\"" + "x".repeat(WebhookHandler.MESSAGE_BYTES - 10) + "\"}";
        String userAgent = "Mozilla/5.0 " + "u".repeat(9_000);

        APIGatewayV2HTTPResponse response = defaults.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom",
                Map.of("Authorization", "Bearer shared-secret", "User-Agent", userAgent), body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        List<Message> messages = drain();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).isEqualTo(body);
        // ElasticMQ does not count attributes toward the limit; SQS does, body and every attribute's name, type and value.
        long size = body.length();
        for (var attribute : messages.get(0).messageAttributes().entrySet()) {
            size += attribute.getKey().length() + attribute.getValue().dataType().length()
                    + attribute.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(size).as("what SQS would count").isLessThanOrEqualTo(1024 * 1024);
        JsonNode headers = AlertJson.readTree(messages.get(0).messageAttributes().get(SqsHandler.HEADERS_ATTRIBUTE).stringValue());
        assertThat(headers.path("user-agent").asText()).isEqualTo(userAgent.substring(0, 256));
        client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
    }

    /**
     * Headers whose JSON escapes take more than the room kept for attributes leave a body just under it no room: the
     * sender gets a 413 at once, not a 503 for a message SQS would refuse on every retry, and nothing is queued.
     */
    @Test
    void aBodyThatFitsOnlyWithoutItsAttributesIsRefusedWith413AndNothingIsQueued() {
        WebhookHandler defaults = new WebhookHandler(new WebhookConfig(URI.create(queueUrl), null,
                "{\"default\":\"shared-secret\"}", WebhookConfig.DEFAULT_MAX_BODY_BYTES, sqs.endpoint()));
        // Control characters are six bytes each once escaped in the headers attribute: 7 headers of 256 are over 8 KiB.
        String control = "\u0001".repeat(300);
        Map<String, String> headers = Map.of("Authorization", "Bearer shared-secret", "User-Agent", control,
                "Content-Type", control, "Sentry-Hook-Resource", control, "Sentry-Hook-Timestamp", control,
                "X-GitHub-Event", control, "DD-API-KEY-ID", control, "X-PagerDuty-Webhook-Subscription", control);
        String body = "{\"a\":\"" + "x".repeat(WebhookHandler.MESSAGE_BYTES - 10) + "\"}";

        APIGatewayV2HTTPResponse response = defaults.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom",
                headers, body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(413);
        assertThat(drain()).isEmpty();
    }

    /**
     * Grafana's group message and title list every alert: when each alert kept them whole, 600 alerts made 147 MB of
     * documents and 1,500 split over three queue messages ran a 1 GB function out of memory. Now the documents of a
     * 1,500-alert storm, sent the way Grafana sends it, are a small multiple of the body.
     */
    @Test
    void aGrafanaStormIsStoredInAboutTheSizeOfItsBody() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("grafanastorm");
        String queue = sqs.createQueueWithDlq("grafana-storm-" + UUID.randomUUID(), 3, 1);
        WebhookHandler toQueue = new WebhookHandler(new WebhookConfig(URI.create(queue), null, "{\"default\":\"shared-secret\"}",
                WebhookConfig.DEFAULT_MAX_BODY_BYTES, sqs.endpoint()));
        String body = grafanaStorm(1_500).toString();

        APIGatewayV2HTTPResponse response = toQueue.handleRequest(WebhookTestEvents.request("POST", "/v1/events/grafana",
                Map.of("Authorization", "Bearer shared-secret"), body), WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        ingestUntilStored(queue, prefix, 1_500);
        long sourceBytes = 0;
        for (int from = 0; from < 1_500; from += 500) {
            JsonNode hits = AlertJson.readTree(openSearch.request("POST", "/" + prefix + "-events-*/_search",
                    "{\"from\":" + from + ",\"size\":500,\"sort\":[\"_doc\"]}").body()).path("hits").path("hits");
            for (JsonNode hit : hits) {
                sourceBytes += AlertJson.toBytes(hit.path("_source")).length;
            }
        }
        assertThat(sourceBytes).as("documents of a %d-byte body", body.length()).isLessThan(10L * body.length());
    }

    /**
     * The repository's Grafana sample widened to {@code alerts} alerts, with the group's title and message listing
     * them as Grafana's default template does.
     */
    static ObjectNode grafanaStorm(int alerts) throws java.io.IOException {
        ObjectNode group = (ObjectNode) AlertJson.readTree(Files.readString(Path.of(System.getProperty("rollcall.root"),
                "core/src/test/resources/samples/grafana/webhook-firing.json")));
        JsonNode samples = group.path("alerts");
        ArrayNode storm = group.putArray("alerts");
        StringBuilder message = new StringBuilder("**Firing**\n");
        for (int i = 0; i < alerts; i++) {
            ObjectNode alert = samples.get(i % samples.size()).deepCopy();
            ((ObjectNode) alert.path("labels")).put("instance", "host-" + i);
            alert.put("fingerprint", String.format("%016x", i));
            storm.add(alert);
            message.append("\nLabels:\n");
            alert.path("labels").properties().forEach(label -> message.append(" - ").append(label.getKey()).append(" = ")
                    .append(label.getValue().asText()).append('\n'));
            message.append("Annotations:\n");
            alert.path("annotations").properties().forEach(annotation -> message.append(" - ").append(annotation.getKey()).append(" = ")
                    .append(annotation.getValue().asText()).append('\n'));
            message.append("Source: ").append(alert.path("generatorURL").asText()).append("\nSilence: ")
                    .append(alert.path("silenceURL").asText()).append('\n');
        }
        return group.put("title", "[FIRING:" + alerts + "]  (blue)").put("message", message.toString());
    }

    /** Runs the SQS handler on {@code queue}, as Lambda's event source mapping does, until {@code count} alerts are stored. */
    private void ingestUntilStored(String queue, String prefix, int count) {
        SqsHandler ingest = new SqsHandler(IngestHandlersIT.runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        try (SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queue, TestSqs.REGION,
                new SqsEventSourceMapping.Settings(10, Duration.ofMillis(100)), IngestHandlersIT.lambdaInvoke(ingest, Duration.ofSeconds(60)))) {
            mapping.start();
            // Every message taken off the queue first (a retried group's parts too), then the count: waiting for the
            // count alone would stop while a second copy is still on its way in.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(queuedCount(queue)).isZero());
        }
        openSearch.refresh(prefix + "-events-*");
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(count);
    }

    /** A handler with the default body limit, the shared token {@code shared-secret}, queueing to {@code queue}. */
    private WebhookHandler withDefaultLimits(String queue) {
        return new WebhookHandler(new WebhookConfig(URI.create(queue), null, "{\"default\":\"shared-secret\"}",
                WebhookConfig.DEFAULT_MAX_BODY_BYTES, sqs.endpoint()));
    }

    /** Messages visible or in flight on {@code queue}. */
    private int queuedCount(String queue) {
        var attributes = client.getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(attributes.get("ApproximateNumberOfMessages")) + Integer.parseInt(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }
}
