package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.ingest.SqsHandler;
import dev.rollcall.ingest.WebhookTestEvents;

/** A queue message's size counts its attributes: kept headers are cut, and what they still take leaves the body less room. */
class WebhookMessageSizeTest {

    @Test
    void keptHeaderValuesAreCutAndCountedInUtf8() {
        // Two bytes a character, and a pair of surrogates where the cut falls: it must not split them.
        String userAgent = "é".repeat(WebhookHandler.HEADER_CHARS - 1) + "\uD83D\uDE00" + "u".repeat(9_000);
        Map<String, MessageAttributeValue> attributes = WebhookHandler.attributes("grafana",
                Map.of("user-agent", userAgent, "content-type", "application/json", "x-unknown", "dropped"), 1769903999000L);

        String headers = attributes.get(SqsHandler.HEADERS_ATTRIBUTE).stringValue();
        assertThat(AlertJson.readTree(headers).path("user-agent").asText()).isEqualTo("é".repeat(WebhookHandler.HEADER_CHARS - 1));
        assertThat(headers).doesNotContain("x-unknown");
        assertThat(WebhookHandler.bytes(attributes)).isEqualTo(utf8(SqsHandler.SOURCE_ATTRIBUTE + "String" + "grafana"
                + SqsHandler.DOOR_ATTRIBUTE + "String" + SqsHandler.WEBHOOK_DOOR + SqsHandler.RECEIVED_AT_ATTRIBUTE + "Number" + "1769903999000"
                + SqsHandler.HEADERS_ATTRIBUTE + "String" + headers))
                .isGreaterThan(headers.length());
    }

    private static int utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Headers whose JSON escapes take more than the room kept for attributes leave a body just under it no room. */
    @Test
    void aBodyThatFitsOnlyWithoutItsAttributesIsRefusedWith413NotSentToBeRefusedForEver() {
        // A recording client, not ElasticMQ: ElasticMQ does not count attributes toward the 1 MiB limit as SQS does,
        // so it would take the message SQS refuses. What SQS counts is worked out here (the real queue's side of
        // webhook sizes is WebhookHandlerIT's).
        List<SendMessageRequest> sent = new ArrayList<>();
        SqsClient sqs = new SqsClient() {
            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }

            @Override
            public SendMessageResponse sendMessage(Consumer<SendMessageRequest.Builder> request) {
                SendMessageRequest.Builder builder = SendMessageRequest.builder();
                request.accept(builder);
                sent.add(builder.build());
                return SendMessageResponse.builder().messageId("m" + sent.size()).build();
            }
        };
        WebhookHandler handler = new WebhookHandler(new WebhookConfig(URI.create("http://127.0.0.1:1/000000000000/q"), null,
                "{\"default\":\"s\"}", WebhookConfig.DEFAULT_MAX_BODY_BYTES, null),
                new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("default", "s"))), sqs);
        // Control characters are six bytes each once escaped in the headers attribute: 7 headers of 256 are over 8 KiB.
        String control = "\u0001".repeat(300);
        Map<String, String> headers = Map.of("Authorization", "Bearer s", "User-Agent", control, "Content-Type", control,
                "Sentry-Hook-Resource", control, "Sentry-Hook-Timestamp", control, "X-GitHub-Event", control, "DD-API-KEY-ID", control,
                "X-PagerDuty-Webhook-Subscription", control);
        String body = "{\"a\":\"" + "x".repeat(WebhookHandler.MESSAGE_BYTES - 10) + "\"}";

        APIGatewayV2HTTPResponse response = handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom", headers, body), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(413);
        assertThat(sent).isEmpty();
        assertThat(handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/custom", Map.of("Authorization", "Bearer s",
                "User-Agent", "u".repeat(9_000)), body), null).getStatusCode()).isEqualTo(202);
        assertThat(sent).hasSize(1);
        // Counted as SQS counts: the body and every attribute's name, type and value, in UTF-8.
        int size = utf8(sent.get(0).messageBody());
        for (Map.Entry<String, MessageAttributeValue> attribute : sent.get(0).messageAttributes().entrySet()) {
            size += utf8(attribute.getKey()) + utf8(attribute.getValue().dataType()) + utf8(attribute.getValue().stringValue());
        }
        assertThat(size).isLessThanOrEqualTo(1024 * 1024);
    }
}
