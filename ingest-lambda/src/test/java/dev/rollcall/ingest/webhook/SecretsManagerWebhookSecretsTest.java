package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.ingest.WebhookTestEvents;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The webhook secrets as the Lambda reads them: the AWS SDK's real GetSecretValue call, sent to a stand-in endpoint
 * on 127.0.0.1 that records it and answers with the secret's current value.
 */
class SecretsManagerWebhookSecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rollcall-webhooks-AbCdEf";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String secretValue = "{\"sentry\":\"s1\",\"default\":\"d1\"}";
    private volatile int status = 200;
    private volatile String error;
    private SecretsManagerClient client;
    private Instant now = Instant.parse("2026-03-14T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            requests.add(target + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = (status == 200 || error == null
                    ? AlertJson.mapper().createObjectNode().put("ARN", ARN).put("Name", "rollcall-webhooks").put("SecretString", secretValue)
                    : AlertJson.mapper().createObjectNode().put("__type", error).put("message", "refused: " + error))
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        client = SecretsManagerClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void readsTheSecretOnceForItsLifetimeThenPicksUpARotation() {
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);

        assertThat(secrets.secretsFor("sentry")).contains("s1");
        assertThat(secrets.secretsFor("alertmanager")).contains("d1");
        now = now.plus(Duration.ofMinutes(4));
        assertThat(secrets.secretsFor("sentry")).contains("s1");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).startsWith("secretsmanager.GetSecretValue ");
        JsonNode body = AlertJson.readTree(requests.get(0).substring(requests.get(0).indexOf(' ') + 1).getBytes(StandardCharsets.UTF_8));
        assertThat(body.path("SecretId").asText()).isEqualTo(ARN);

        secretValue = "{\"sentry\":\"s2\",\"default\":\"d2\"}";
        now = now.plus(Duration.ofMinutes(2));
        assertThat(secrets.secretsFor("sentry")).contains("s2");
        assertThat(requests).hasSize(2);
    }

    /** Sentry never retries a delivery: a Secrets Manager hiccup must not turn into refused webhooks. */
    @Test
    void aFailedRefreshKeepsTheCachedSecretAndTriesAgainLater() {
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);
        assertThat(secrets.secretsFor("sentry")).contains("s1");

        status = 500;
        now = now.plus(Duration.ofMinutes(6));
        assertThat(secrets.secretsFor("sentry")).contains("s1");
        int afterFailure = requests.size();
        now = now.plus(Duration.ofSeconds(10));
        assertThat(secrets.secretsFor("sentry")).as("no new call within 30 s of a failure").contains("s1");
        assertThat(requests).hasSize(afterFailure);

        status = 200;
        secretValue = "{\"sentry\":\"s2\"}";
        now = now.plus(Duration.ofSeconds(25));
        assertThat(secrets.secretsFor("sentry")).contains("s2");
    }

    /** Deleting the secret, or taking the function's access to it, cuts off a leaked token at once. */
    @ParameterizedTest
    @ValueSource(strings = {"ResourceNotFoundException", "AccessDeniedException", "InvalidRequestException", "DecryptionFailure"})
    void aRefusedReadDropsTheCachedSecret(String refusal) {
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);
        assertThat(secrets.secretsFor("sentry")).contains("s1");

        status = 400;
        error = refusal;
        now = now.plus(Duration.ofMinutes(6));
        assertThatThrownBy(() -> secrets.secretsFor("sentry")).isInstanceOf(RuntimeException.class).hasMessageContaining(refusal);
        assertThatThrownBy(() -> secrets.secretsFor("sentry")).as("not served from a cache meanwhile").isInstanceOf(RuntimeException.class);

        status = 200;
        assertThat(secrets.secretsFor("sentry")).as("served again once it reads").contains("s1");
    }

    @Test
    void aThrottledReadKeepsTheCachedSecret() {
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);
        assertThat(secrets.secretsFor("sentry")).contains("s1");
        status = 400;
        error = "ThrottlingException";
        now = now.plus(Duration.ofMinutes(6));
        assertThat(secrets.secretsFor("sentry")).contains("s1");
    }

    @Test
    void withNothingCachedAFailedReadIsAnError() {
        status = 500;
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);

        assertThatThrownBy(() -> secrets.secretsFor("sentry")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aSecretThatIsNotASourceToSecretObjectIsRefusedWithoutEchoingIt() {
        secretValue = "not json but sensitive-value";
        SecretsManagerWebhookSecrets secrets = new SecretsManagerWebhookSecrets(client, ARN, Duration.ofMinutes(5), clock);

        assertThatThrownBy(() -> secrets.secretsFor("sentry")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ARN).hasMessageNotContaining("sensitive-value");

        // At the door: the sender is told to retry (the operator fixes the secret), nothing about its content.
        WebhookHandler handler = new WebhookHandler(new WebhookConfig(URI.create("http://127.0.0.1:1/000000000000/events"), ARN, null,
                4096, null), new WebhookAuthenticator(secrets), null);
        APIGatewayV2HTTPResponse response = handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                Map.of("Authorization", "Bearer d1"), "{\"alerts\":[]}"), WebhookTestEvents.invocation());
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(response.getBody()).contains("misconfigured").doesNotContain("sensitive-value");
    }
}
