package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.ingest.SqsHandler;

/** A queue message's size counts its attributes: kept headers are cut and counted in UTF-8 (the queue's side is WebhookHandlerIT's). */
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
}
