package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.ingest.WebhookTestEvents;
import dev.rollcall.servers.ClosedPort;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Seeded random webhook requests, a third of them correctly signed so that they get past authentication to the body
 * checks and the queue: whatever the internet sends is answered 400, 401, 404, 405 or 413 with a JSON reason, or
 * reaches the queue, which sits on a closed port here (503). Never an exception out of the handler (a 500 at API
 * Gateway). The queue that works is {@code WebhookHandlerIT}'s business.
 */
class WebhookInputFuzzTest {

    private static final Map<String, String> SECRETS = Map.of("sentry", "sentry-secret", "pagerduty", "pd-secret", "default", "shared");
    private static final List<String> PATHS = List.of("/v1/events/sentry", "/v1/events/pagerduty", "/v1/events/alertmanager",
            "/v1/events/datadog", "/v1/events/sentry", "/v1/events/pagerduty", "/v1/events/alertmanager", "/v1/events/datadog",
            "/v1/events/sentry", "/v1/events/pagerduty", "/v1/events/alertmanager", "/v1/events/datadog", "/v1/events/Sentry", "/v1/events/", "/v1/events", "/v1/events/sentry/extra", "/v1/events/ü",
            "/v1/events/" + "a".repeat(40), "/v1/events/%2e%2e", "/v1/events/a b", "/v2/events/sentry", "/", "");
    private static final List<String> METHODS = List.of("POST", "POST", "POST", "POST", "POST", "GET", "PUT", "post", "DELETE");
    private static final List<String> BODIES = List.of("", "{", "}", "null", "[]", "{}", "[1,2]", "\"text\"", "12", "{\"a\":",
            "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"}}]}", "{\"data\":{\"event\":{\"event_id\":\"e1\"}}}",
            "{\"a\":1} trailing", "{\"a\":\"\u0000\"}", "\uFEFF{}", "{\"deep\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}",
            "x".repeat(5_000), "{\"big\":\"" + "y".repeat(3_000) + "\"}");
    private static final List<String> JUNK = List.of("", " ", "v1=", "v1=abc", "sha256=00", "zz", "Bearer", "Bearer ", "Basic",
            "Basic !!!", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
            "Basic " + Base64.getEncoder().encodeToString(":shared".getBytes(StandardCharsets.UTF_8)), "\u00e9\u00e9", "x".repeat(5_000));
    private static final Set<Integer> ANSWERS = Set.of(400, 401, 404, 405, 413, 503);

    private static WebhookHandler handler;

    @BeforeAll
    static void queueOnAClosedPort() {
        URI endpoint = ClosedPort.http();
        SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        WebhookConfig config = new WebhookConfig(endpoint.resolve("/000000000000/events"), null, AlertJson.toJson(SECRETS), 4096, endpoint);
        handler = new WebhookHandler(config, new WebhookAuthenticator(StaticWebhookSecrets.of(SECRETS)), sqs);
    }

    @Test
    void noRequestIsAnExceptionOrAnUnexpectedStatus() {
        Random random = new Random(512);
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String method = pick(random, METHODS);
            String path = pick(random, PATHS);
            String body = pick(random, BODIES);
            boolean base64 = random.nextInt(5) == 0;
            Map<String, String> headers = headers(random, path, body);
            APIGatewayV2HTTPEvent event = WebhookTestEvents.request(method, path, headers,
                    base64 && random.nextBoolean() ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body, base64);
            String request = method + " " + path + " " + headers.keySet() + " base64=" + base64 + " body " + body.substring(0, Math.min(60, body.length()));

            APIGatewayV2HTTPResponse response = handler.handleRequest(event, WebhookTestEvents.invocation());

            assertThat(response.getStatusCode()).as(request).isIn(ANSWERS);
            assertThat(AlertJson.readTree(response.getBody()).path("message").asText()).as(request).isNotBlank();
            assertThat(response.getBody()).as(request).doesNotContain("Exception", "\tat ");
            statuses.merge(response.getStatusCode(), 1, Integer::sum);
        }
        // Every kind of answer occurs, so the checks above are not vacuous: 503 means past every check to the queue.
        assertThat(statuses).as("%s", statuses).containsKeys(400, 401, 404, 405, 413, 503);
        assertThat(statuses.get(503)).as("%s", statuses).isGreaterThan(100);
    }

    /** Invoked by hand with a JSON null, as the runtime reads it: a 400 that says what the function takes. */
    @Test
    void aNullEventIsA400NotAnException() {
        APIGatewayV2HTTPEvent none = dev.rollcall.ingest.LambdaRuntimeSerialization.fromJson("null", APIGatewayV2HTTPEvent.class);

        APIGatewayV2HTTPResponse response = handler.handleRequest(none, WebhookTestEvents.invocation());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(AlertJson.readTree(response.getBody()).path("message").asText()).contains("HTTP API events");
    }

    /** A correct signature for the path's source a third of the time, else random or missing credentials. */
    private static Map<String, String> headers(Random random, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        String source = path.substring(path.lastIndexOf('/') + 1);
        String secret = SECRETS.getOrDefault(source, SECRETS.get("default"));
        String signature = WebhookAuthenticator.hmacHex(secret, body.getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(3) == 0) {
            switch (source) {
                case "sentry" -> headers.put("Sentry-Hook-Signature", random.nextBoolean() ? signature : signature.toUpperCase());
                case "pagerduty" -> headers.put("X-PagerDuty-Signature", "v1=deadbeef, v1=" + signature);
                default -> headers.put(random.nextBoolean() ? "Authorization" : "authorization", "Bearer " + secret);
            }
        } else {
            for (String name : List.of("Sentry-Hook-Signature", "X-PagerDuty-Signature", "Authorization", "X-Rollcall-Token")) {
                if (random.nextInt(3) == 0) {
                    headers.put(name, pick(random, JUNK));
                }
            }
        }
        return headers;
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
